import { describe, expect, it } from 'vitest'
import { shallowRef } from 'vue'
import type { MemberPresence, UserId } from '@tailmesh/core'
import { memberListModel } from './member-list-model'

const here = (userId: UserId, typing: string | null = null): MemberPresence => ({
  userId,
  online: true,
  typing,
  lastActive: 0,
})

function model() {
  const members = shallowRef([
    { userId: 'a', nickname: 'Ann' },
    { userId: 'b', nickname: 'Bo' },
    { userId: 'c', nickname: 'Cy' },
  ])
  const roles = shallowRef([
    { id: 'everyone', name: 'everyone', everyone: true },
    { id: 'crew', name: 'Crew' },
  ])
  const assigned = shallowRef([{ userId: 'b', roles: ['crew'] }])
  const presence = shallowRef<ReadonlyMap<UserId, MemberPresence>>(new Map([['b', here('b')]]))
  const query = shallowRef('')
  const m = memberListModel({
    members: () => members.value,
    roles: () => roles.value,
    assigned: () => assigned.value,
    presence: () => presence.value,
    me: () => 'a',
    owner: () => 'a',
    locale: () => 'en',
    query: () => query.value,
  })
  return { m, members, roles, assigned, presence, query }
}

describe('member list model', () => {
  it('is built from members, roles and presence, with totals', () => {
    const { m } = model()
    expect(m.sections.value.map((s) => [s.name, s.online.length, s.offline.length])).toEqual([
      ['Crew', 1, 0],
      [null, 1, 1],
    ])
    expect([m.total.value, m.online.value]).toEqual([3, 2])
  })

  it('is not rebuilt when the stores re-read the same things: new arrays, a heartbeat, typing', () => {
    const { m, members, roles, assigned, presence } = model()
    const built = m.sections.value
    members.value = members.value.map((x) => ({ ...x }))
    roles.value = roles.value.map((x) => ({ ...x }))
    assigned.value = assigned.value.map((x) => ({ ...x, roles: [...x.roles] }))
    presence.value = new Map([['b', here('b', 'panel-1')]])
    expect(m.sections.value).toBe(built)
  })

  it('is rebuilt when someone comes online, a role is renamed, a member joins, or the search changes', () => {
    const { m, members, roles, presence, query } = model()
    let built = m.sections.value
    const changed = () => {
      const now = m.sections.value
      const was = built
      built = now
      return now !== was
    }
    presence.value = new Map([
      ['b', here('b')],
      ['c', here('c')],
    ])
    expect(changed()).toBe(true)
    roles.value = [roles.value[0]!, { id: 'crew', name: 'Deck crew' }]
    expect(changed()).toBe(true)
    expect(m.sections.value[0]!.name).toBe('Deck crew')
    members.value = [...members.value, { userId: 'd', nickname: 'Di' }]
    expect(changed()).toBe(true)
    query.value = ' DI '
    expect(changed()).toBe(true)
    expect(m.sections.value.flatMap((s) => [...s.online, ...s.offline].map((x) => x.nickname))).toEqual([
      'Di',
    ])
  })
})
