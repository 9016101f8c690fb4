// The member list of a large group (issue 18), `npm run bench -- large-group` or `-- members`:
// synthetic groups of 1k, 10k and 100k members (against 100) with six roles held by one member in
// fifty and one in twenty online, through the member list's own model (web/src/members), the way the
// component reads it. Four measures, each its own table:
//  - open: the first build (one collated sort, then the sections in one pass);
//  - presence: someone comes online (the sections rebuilt in one pass, nothing sorted);
//  - join: one more member (patched into the order by binary search, then one pass);
//  - search: a search typed (one pass that keeps the matches).
// Target (issue 18): member list at 100k ≤ 50 ms per change.
import { shallowRef } from 'vue'
import type { MemberPresence, UserId } from '@tailmesh/core'
import { memberListModel } from '../web/src/members/member-list-model'
import type { NamedMember } from '../web/src/members/member-order'
import { runBench, type BenchCase } from './harness'

const SIZES = [1_000, 10_000, 100_000]
const BASE = 100
const ROLES = 6
const WORDS = ['Lamp', 'Tower', 'Ferry', 'Harbour', 'Keeper', 'Signal', 'Fog', 'Beacon', 'Tide', 'Reef']

/** A deterministic generator (mulberry32), so every run sorts the same names. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function syntheticGroup(n: number) {
  const rnd = random(n)
  const pick = () => WORDS[Math.floor(rnd() * WORDS.length)]!
  const members: NamedMember[] = Array.from({ length: n }, (_, i) => ({
    userId: `user-${i.toString(36).padStart(6, '0')}`,
    nickname: `${pick()} ${pick()} ${Math.floor(rnd() * n)}`,
  }))
  const roles = [
    { id: 'everyone', name: 'everyone', everyone: true },
    ...Array.from({ length: ROLES }, (_, i) => ({ id: `role-${i}`, name: `Role ${i}` })),
  ]
  const assigned = members
    .filter((_, i) => i % 50 === 0)
    .map((m, i) => ({ userId: m.userId, roles: [`role-${i % ROLES}`] }))
  const presence = new Map<UserId, MemberPresence>()
  for (const [i, m] of members.entries())
    if (i % 20 === 0) presence.set(m.userId, { userId: m.userId, online: true, typing: null, lastActive: 0 })
  return { members, roles, assigned, presence }
}

function model(n: number) {
  const g = syntheticGroup(n)
  const members = shallowRef<readonly NamedMember[]>(g.members)
  const presence = shallowRef<ReadonlyMap<UserId, MemberPresence>>(g.presence)
  const query = shallowRef('')
  const m = memberListModel({
    members: () => members.value,
    roles: () => g.roles,
    assigned: () => g.assigned,
    presence: () => presence.value,
    me: () => g.members[0]!.userId,
    owner: () => g.members[1]!.userId,
    locale: () => 'en',
    query: () => query.value,
  })
  return { g, m, members, presence, query }
}

const timed = (fn: () => unknown): number => {
  const t = performance.now()
  fn()
  return performance.now() - t
}

type Measure = (n: number) => BenchCase

const open: Measure = (n) => ({
  name: `${n} members`,
  run: () => {
    const { m } = model(n)
    return timed(() => m.sections.value)
  },
})

/**
 * A case on one model per size, each run changing it once more. `change` prepares the new input
 * (what the stores hand over: not the member list's cost) and returns what puts it in place.
 */
function onModel(change: (x: ReturnType<typeof model>, run: number) => () => void): Measure {
  return (n) => {
    let x: ReturnType<typeof model> | null = null
    let runs = 0
    return {
      name: `${n} members`,
      run: () => {
        x ??= model(n)
        const sections = x.m.sections
        void sections.value
        const apply = change(x, runs++)
        return timed(() => {
          apply()
          return sections.value
        })
      },
    }
  }
}

const presence = onModel(({ g, presence }, run) => {
  const next = new Map(presence.value)
  const who = g.members[1 + ((run * 7) % (g.members.length - 1))]!.userId
  if (next.has(who)) next.delete(who)
  else next.set(who, { userId: who, online: true, typing: null, lastActive: 0 })
  return () => (presence.value = next)
})

const join = onModel(({ members }, run) => {
  const next = [...members.value, { userId: `joiner-${run}`, nickname: `Newcomer ${run}` }]
  return () => (members.value = next)
})

const search = onModel(
  ({ query }, run) =>
    () =>
      (query.value = run % 2 ? 'tower 1' : 'keeper'),
)

export default async function (): Promise<void> {
  const tables: [string, Measure][] = [
    ['open (collated sort + sections)', open],
    ['someone comes online (one pass)', presence],
    ['one member joins (patched in + one pass)', join],
    ['a search typed (one pass)', search],
  ]
  for (const [what, measure] of tables)
    await runBench({
      title: `Member list: ${what}`,
      unit: 'ms',
      better: 'lower',
      runs: 5,
      baseline: measure(BASE),
      cases: SIZES.map(measure),
      targets: what === tables[0]![0] ? [] : ['≤ 50 ms per change at 100k members (issue 18)'],
    })
}
