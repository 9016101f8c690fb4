import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MemberOrder, type NamedMember } from './member-order'
import {
  SectionBuilder,
  buildSections,
  hoistedRoles,
  type MemberSection,
  type SectionInput,
} from './member-sections'

const roles = [
  { id: 'everyone', name: 'everyone', everyone: true },
  { id: 'r-mod', name: 'Moderators', color: '#aa0000' },
  { id: 'r-crew', name: 'Crew' },
  { id: 'r-empty', name: 'Nobody yet' },
]

const people = (...names: string[]): NamedMember[] =>
  names.map((nickname) => ({ userId: nickname.toLowerCase(), nickname }))

/** The sections as [name, online names, offline names]. */
const shape = (sections: MemberSection[]) =>
  sections.map((s) => [s.name, s.online.map((m) => m.nickname), s.offline.map((m) => m.nickname)])

function sections(
  members: NamedMember[],
  assigned: Record<string, string[]>,
  online: string[],
  extra: Partial<SectionInput> = {},
  locale = 'en',
): MemberSection[] {
  return buildSections({
    order: new MemberOrder(locale).update(members),
    roles,
    sectionOf: hoistedRoles(
      roles,
      Object.entries(assigned).map(([userId, r]) => ({ userId, roles: r })),
    ),
    online: new Set(online),
    me: 'nobody',
    ...extra,
  })
}

describe('member list sections', () => {
  it('roles with members in role order, then everyone else; online first, each part by name', () => {
    const s = sections(
      people('Frank', 'Erin', 'Dave', 'Carol', 'Bob', 'Alice'),
      { bob: ['r-crew', 'r-mod'], carol: ['r-crew'], dave: ['r-crew'] },
      ['dave', 'erin'],
      { me: 'frank', owner: 'alice' },
    )
    expect(shape(s)).toEqual([
      ['Moderators', [], ['Bob']],
      ['Crew', ['Dave'], ['Carol']],
      // Frank is this device's user: online whatever the network says.
      [null, ['Erin', 'Frank'], ['Alice']],
    ])
    expect(s[0]!.color).toBe('#aa0000')
    expect(s[2]!.offline[0]).toMatchObject({ nickname: 'Alice', owner: true, online: false })
    expect(s[2]!.online[1]).toMatchObject({ nickname: 'Frank', me: true, online: true })
  })

  it('a member with several roles is listed once, under the first role in the role order', () => {
    const s = sections(people('Bob'), { bob: ['r-crew', 'r-mod', 'unknown-role'] }, [])
    expect(shape(s)).toEqual([['Moderators', [], ['Bob']]])
  })

  it('nobody with a role: one everyone section; an unknown role counts as none', () => {
    const s = sections(people('A'), { a: ['gone'] }, [], { me: 'a' })
    expect(shape(s)).toEqual([[null, ['A'], []]])
  })

  it('names sort as the reader\u2019s language sorts them: accents by letter, numbers by value', () => {
    const s = sections(people('Zoë', 'Émile', 'eve', 'Member 10', 'Member 9', 'adam'), {}, [])
    expect(s[0]!.offline.map((m) => m.nickname)).toEqual([
      'adam',
      'Émile',
      'eve',
      'Member 9',
      'Member 10',
      'Zoë',
    ])
  })

  it('in Chinese, names sort by their pinyin', () => {
    const s = sections(people('张伟', '李娜', '王芳'), {}, [], {}, 'zh-CN')
    // li, wang, zhang
    expect(s[0]!.offline.map((m) => m.nickname)).toEqual(['李娜', '王芳', '张伟'])
  })

  it('equal names keep one order everywhere: by user id', () => {
    const twins = [
      { userId: 'u2', nickname: 'Sam' },
      { userId: 'u1', nickname: 'Sam' },
    ]
    const s = sections(twins, {}, [])
    expect(s[0]!.offline.map((m) => m.userId)).toEqual(['u1', 'u2'])
  })

  it('a member changing role moves once: out of the old section, into the new, the rest unchanged', () => {
    const members = people('Alice', 'Bob', 'Carol', 'Dave')
    const order = new MemberOrder('en')
    // The builder patches its last sections: Alice is moved, nobody else is touched.
    const builder = new SectionBuilder(order.compare)
    const online = new Set(['alice', 'carol'])
    const build = (assigned: Record<string, string[]>) =>
      builder.build(
        {
          order: order.update(members),
          roles,
          sectionOf: hoistedRoles(
            roles,
            Object.entries(assigned).map(([userId, r]) => ({ userId, roles: r })),
          ),
          online,
          me: 'dave',
        },
        order.lastChange(),
      )
    const before = build({ carol: ['r-crew'] })
    expect(shape(before)).toEqual([
      ['Crew', ['Carol'], []],
      [null, ['Alice', 'Dave'], ['Bob']],
    ])
    const after = build({ carol: ['r-crew'], alice: ['r-mod'] })
    expect(shape(after)).toEqual([
      ['Moderators', ['Alice'], []],
      ['Crew', ['Carol'], []],
      [null, ['Dave'], ['Bob']],
    ])
    const listed = after.flatMap((s) => [...s.online, ...s.offline].map((m) => m.userId))
    expect(listed.filter((u) => u === 'alice')).toHaveLength(1)
    expect(listed).toHaveLength(members.length)
    // The sections Alice's move did not touch are the very same lists.
    expect(after[1]!.online).toBe(before[0]!.online)
    expect(after[2]!.offline).toBe(before[1]!.offline)
  })

  it('a search keeps only the members whose name contains it, in their sections', () => {
    const s = sections(people('Robin', 'Rowan', 'Bob', 'Carol'), { robin: ['r-crew'] }, ['rowan'], {
      query: 'ro',
    })
    expect(shape(s)).toEqual([
      ['Crew', [], ['Robin']],
      [null, ['Rowan'], ['Carol']],
    ])
  })
})

describe('patched sections', () => {
  it('after people come and go, roles move, members join, leave and are renamed: as a fresh build', () => {
    const userId = fc.constantFrom(...Array.from({ length: 30 }, (_, i) => `u${i}`))
    const step = fc.oneof(
      fc.record({ kind: fc.constant('online' as const), userId, on: fc.boolean() }),
      fc.record({
        kind: fc.constant('roles' as const),
        userId,
        roles: fc.subarray(['r-mod', 'r-crew', 'r-empty', 'gone']),
      }),
      fc.record({
        kind: fc.constant('member' as const),
        userId,
        nickname: fc.option(fc.constantFrom('Ann', 'ann', 'Bo', 'Member 2', 'Member 10', '王芳')),
      }),
      fc.record({ kind: fc.constant('query' as const), query: fc.constantFrom('', 'a', 'member') }),
    )
    fc.assert(
      fc.property(fc.array(fc.array(step, { maxLength: 8 }), { maxLength: 12 }), (batches) => {
        const order = new MemberOrder('en')
        const builder = new SectionBuilder(order.compare)
        const members = new Map<string, NamedMember>()
        const online = new Set<string>()
        const assigned = new Map<string, string[]>()
        let query = ''
        for (const batch of batches) {
          for (const s of batch) {
            if (s.kind === 'online') {
              if (s.on) online.add(s.userId)
              else online.delete(s.userId)
            } else if (s.kind === 'roles') assigned.set(s.userId, s.roles)
            else if (s.kind === 'query') query = s.query
            else if (s.nickname === null) members.delete(s.userId)
            else members.set(s.userId, { userId: s.userId, nickname: s.nickname })
          }
          const input: SectionInput = {
            order: order.update([...members.values()]),
            roles,
            sectionOf: hoistedRoles(
              roles,
              [...assigned].filter(([u]) => members.has(u)).map(([u, r]) => ({ userId: u, roles: r })),
            ),
            online: new Set(online),
            me: 'u0',
            owner: 'u1',
            query,
          }
          expect(builder.build(input, order.lastChange())).toEqual(buildSections(input))
        }
      }),
    )
  })
})

describe('member order', () => {
  it('returns the same array while nobody joins, leaves or is renamed', () => {
    const order = new MemberOrder('en')
    const first = order.update(people('B', 'A'))
    expect(order.update(people('A', 'B'))).toBe(first)
  })

  it('patched after joins, leaves and renames, it is the order a fresh sort gives', () => {
    const userId = fc.constantFrom(...Array.from({ length: 150 }, (_, i) => `u${i}`))
    const nickname = fc.constantFrom('Ann', 'ann', 'Ánn', 'Bo', 'Member 2', 'Member 10', '王芳', 'Zed')
    const edit = fc.record({ userId, nickname, leaves: fc.boolean() })
    // Up to 80 edits at once: a few are patched in, many sorted anew (both paths run).
    const batches = fc.array(fc.array(edit, { maxLength: 80 }), { minLength: 1, maxLength: 5 })
    fc.assert(
      fc.property(batches, (batches) => {
        const order = new MemberOrder('en')
        const members = new Map<string, NamedMember>()
        for (const batch of batches) {
          for (const e of batch)
            if (e.leaves) members.delete(e.userId)
            else members.set(e.userId, { userId: e.userId, nickname: e.nickname })
          const now = [...members.values()]
          const patched = order.update(now).map((m) => m.userId)
          expect(patched).toEqual([...now].sort(order.compare).map((m) => m.userId))
        }
      }),
    )
  })
})
