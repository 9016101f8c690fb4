import { describe, expect, it } from 'vitest'
import { membersByRole, typingLine } from './presence-view'

const roles = [
  { id: 'everyone', name: 'everyone', everyone: true },
  { id: 'r-mod', name: 'Moderators', color: '#aa0000' },
  { id: 'r-crew', name: 'Crew' },
  { id: 'r-empty', name: 'Nobody yet' },
]

describe('member list sections', () => {
  it('roles with members in order, then everyone else; each member once; online first, then by name', () => {
    const assigned: Record<string, string[]> = {
      bob: ['r-crew', 'r-mod'],
      carol: ['r-crew'],
      dave: ['r-crew'],
    }
    const online = new Set(['dave', 'erin'])
    const sections = membersByRole({
      members: [
        { userId: 'alice', nickname: 'Alice' },
        { userId: 'bob', nickname: 'Bob' },
        { userId: 'carol', nickname: 'Carol' },
        { userId: 'dave', nickname: 'Dave' },
        { userId: 'erin', nickname: 'Erin' },
        { userId: 'frank', nickname: 'Frank' },
      ],
      roles,
      rolesOf: (u) => assigned[u] ?? [],
      online: (u) => online.has(u),
      me: 'frank',
      owner: 'alice',
    })
    expect(sections.map((s) => [s.name, s.members.map((m) => m.nickname), s.online])).toEqual([
      ['Moderators', ['Bob'], 0],
      ['Crew', ['Dave', 'Carol'], 1],
      // Frank is this device's user: online whatever the network says.
      [null, ['Erin', 'Frank', 'Alice'], 2],
    ])
    expect(sections[0]!.color).toBe('#aa0000')
    const everyone = sections[2]!.members
    expect(everyone.find((m) => m.nickname === 'Alice')).toMatchObject({ owner: true, online: false })
    expect(everyone.find((m) => m.nickname === 'Frank')).toMatchObject({ me: true, online: true })
  })

  it('nobody with a role: one everyone section', () => {
    const sections = membersByRole({
      members: [{ userId: 'a', nickname: 'A' }],
      roles,
      rolesOf: () => [],
      online: () => false,
      me: 'a',
    })
    expect(sections).toHaveLength(1)
    expect(sections[0]).toMatchObject({ roleId: null, online: 1 })
  })
})

describe('typing line', () => {
  it('one name, two names, several people, nobody', () => {
    expect(typingLine([])).toBeNull()
    expect(typingLine(['Bob'])).toEqual({ key: 'typingOne', params: { name: 'Bob' } })
    expect(typingLine(['Carol', 'Bob'])).toEqual({
      key: 'typingTwo',
      params: { first: 'Bob', second: 'Carol' },
    })
    expect(typingLine(['Carol', 'Bob', 'Dave'])).toEqual({ key: 'typingMany', params: {} })
  })
})
