// The member list's sections, built in one pass over the members in name order (member-order.ts):
// each role that has members, in the group's role order, then everyone with no role; in each, the
// online members then the offline ones, each part already in name order, so nothing is sorted here.
// A member with several roles is listed once, under the first of them (as in Tailchat and Discord,
// where the highest role a member holds decides where they appear: the role is "hoisted").
//
// In a big group presence changes all the time (people come and go), members join and roles move:
// SectionBuilder patches the sections it built last for such changes (each member moved is two
// binary searches and two splices in copies of the lists it leaves and enters) instead of walking
// every member again. Pure: unit-tested, no Vue.
import type { UserId } from '@tailmesh/core'
import {
  indexOfMember,
  insertionPoint,
  type Compare,
  type OrderChange,
  type OrderedMember,
} from './member-order'

export interface PresenceMember {
  userId: UserId
  nickname: string
  online: boolean
  me: boolean
  owner: boolean
}

export interface MemberSection {
  /** The role's id; null for members with no role but everyone. */
  roleId: string | null
  /** The role's name (null: the everyone section, named by the UI in its language). */
  name: string | null
  color?: string
  /** In name order. */
  online: PresenceMember[]
  /** In name order. */
  offline: PresenceMember[]
}

export interface RoleHead {
  id: string
  name: string
  color?: string
  /** The everyone role: every member holds it, it has no section of its own. */
  everyone?: boolean
}

export interface SectionInput {
  /** Every member, in name order. */
  order: readonly OrderedMember[]
  /** Roles in the order sections appear. */
  roles: readonly RoleHead[]
  /** Each member's section (hoistedRoles); a member not in it is under everyone. */
  sectionOf: ReadonlyMap<UserId, string>
  /** Members heard online (this device's own user is online whatever it says). */
  online: ReadonlySet<UserId>
  me: UserId
  owner?: UserId | undefined
  /** Only members whose folded name contains this (already folded; empty: everyone). */
  query?: string
}

/**
 * The role each member is listed under: the first role, in `roles` order, of those they hold
 * (members holding none are left out: they are under everyone).
 */
export function hoistedRoles(
  roles: readonly RoleHead[],
  assigned: readonly { userId: UserId; roles: readonly string[] }[],
): Map<UserId, string> {
  const rank = new Map<string, number>()
  for (const r of roles) if (!r.everyone) rank.set(r.id, rank.size)
  const out = new Map<UserId, string>()
  for (const m of assigned) {
    let best: string | undefined
    let bestRank = Infinity
    for (const id of m.roles) {
      const at = rank.get(id)
      if (at !== undefined && at < bestRank) [best, bestRank] = [id, at]
    }
    if (best !== undefined) out.set(m.userId, best)
  }
  return out
}

/** The sections that have members (or match the query), in one pass over `order`. */
export function buildSections(input: SectionInput): MemberSection[] {
  return nonEmpty(fullBuild(input).all)
}

const nonEmpty = (all: readonly MemberSection[]): MemberSection[] =>
  all.filter((s) => s.online.length + s.offline.length > 0)

/** What a build leaves for the next one to patch. */
interface Built {
  input: SectionInput
  /** Every section, empty or not: each role's in order, then everyone's (last). */
  all: MemberSection[]
  /** Section index by role id. */
  at: Map<string, number>
  /** Each listed member's row. */
  rows: Map<UserId, PresenceMember>
}

function fullBuild(input: SectionInput): Built {
  const all: MemberSection[] = []
  const at = new Map<string, number>()
  for (const r of input.roles) {
    if (r.everyone || at.has(r.id)) continue
    const s: MemberSection = { roleId: r.id, name: r.name, online: [], offline: [] }
    if (r.color) s.color = r.color
    at.set(r.id, all.push(s) - 1)
  }
  all.push({ roleId: null, name: null, online: [], offline: [] })
  const rows = new Map<UserId, PresenceMember>()
  const query = input.query ?? ''
  for (const m of input.order) {
    if (query && !m.folded.includes(query)) continue
    const row = rowOf(input, m)
    rows.set(m.userId, row)
    const section = all[sectionIndex(input, at, m.userId)]!
    ;(row.online ? section.online : section.offline).push(row)
  }
  return { input, all, at, rows }
}

function rowOf(input: SectionInput, m: { userId: UserId; nickname: string }): PresenceMember {
  const me = m.userId === input.me
  return {
    userId: m.userId,
    nickname: m.nickname,
    online: me || input.online.has(m.userId),
    me,
    owner: m.userId === input.owner,
  }
}

/** The member's section in `input` (everyone's, the last, when they hold no listed role). */
function sectionIndex(input: SectionInput, at: ReadonlyMap<string, number>, userId: UserId): number {
  const roleId = input.sectionOf.get(userId)
  return (roleId !== undefined ? at.get(roleId) : undefined) ?? at.size
}

/** Above this many members to move, one pass over everyone is cheaper than moving each. */
const PATCH_LIMIT = 512

/**
 * Builds the sections, patching the last ones when only who is online, who holds which role, or
 * (with `change`, the order's own patch) who is a member changed.
 */
export class SectionBuilder {
  private last: Built | null = null

  constructor(private readonly compare: Compare) {}

  build(input: SectionInput, change: OrderChange | null): MemberSection[] {
    const last = this.last
    const patched = last && this.patchable(last, input, change) ? this.patch(last, input, change) : null
    this.last = patched ?? fullBuild(input)
    return nonEmpty(this.last.all)
  }

  private patchable(last: Built, input: SectionInput, change: OrderChange | null): boolean {
    const was = last.input
    if (was.roles !== input.roles || was.me !== input.me || was.owner !== input.owner) return false
    if ((was.query ?? '') !== (input.query ?? '')) return false
    return was.order === input.order || (change?.from === was.order && change.to === input.order)
  }

  private patch(last: Built, input: SectionInput, change: OrderChange | null): Built | null {
    const was = last.input
    const removed = was.order === input.order ? [] : change!.removed
    const added = was.order === input.order ? [] : change!.added
    const moved = new Set<UserId>()
    if (was.online !== input.online) {
      for (const u of was.online) if (!input.online.has(u)) moved.add(u)
      for (const u of input.online) if (!was.online.has(u)) moved.add(u)
    }
    if (was.sectionOf !== input.sectionOf) {
      for (const [u, r] of was.sectionOf) if (input.sectionOf.get(u) !== r) moved.add(u)
      for (const u of input.sectionOf.keys()) if (!was.sectionOf.has(u)) moved.add(u)
    }
    if (moved.size + removed.length + added.length > PATCH_LIMIT) return null

    // Copy on write: the lists of the last build stay as they were (a view may still hold them).
    const all = [...last.all]
    const copied = new Set<PresenceMember[]>()
    const list = (section: number, online: boolean): PresenceMember[] => {
      const s = all[section]!
      const part = online ? 'online' : 'offline'
      if (!copied.has(s[part])) {
        const copy = [...s[part]]
        copied.add(copy)
        all[section] = { ...s, [part]: copy }
      }
      return all[section]![part]
    }
    const rows = last.rows
    const take = (userId: UserId) => {
      const row = rows.get(userId)
      if (!row) return
      const from = list(sectionIndex(was, last.at, userId), row.online)
      const i = indexOfMember(from, row, this.compare)
      if (i >= 0) from.splice(i, 1)
      rows.delete(userId)
    }
    const put = (m: { userId: UserId; nickname: string }) => {
      const row = rowOf(input, m)
      const to = list(sectionIndex(input, last.at, m.userId), row.online)
      to.splice(insertionPoint(to, row, this.compare), 0, row)
      rows.set(m.userId, row)
    }
    for (const m of removed) take(m.userId)
    for (const userId of moved) {
      const row = rows.get(userId)
      if (!row) continue // not listed: not a member (any more), or not matching the search
      take(userId)
      put(row)
    }
    const query = input.query ?? ''
    for (const m of added) if (!query || m.folded.includes(query)) put(m)
    return { input, all, at: last.at, rows }
  }
}
