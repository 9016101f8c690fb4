// The member list's sections, built in one pass over the members in name order (member-order.ts):
// each role that has members, in the group's role order, then everyone with no role; in each, the
// online members then the offline ones, each part already in name order, so nothing is sorted here.
// A member with several roles is listed once, under the first of them (as in Tailchat and Discord,
// where the highest role a member holds decides where they appear: the role is "hoisted").
// Pure: unit-tested, no Vue.
import type { UserId } from '@tailmesh/core'
import type { OrderedMember } from './member-order'

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
  const sections: MemberSection[] = []
  const at = new Map<string | null, MemberSection>()
  for (const r of input.roles) {
    if (r.everyone || at.has(r.id)) continue
    const s: MemberSection = { roleId: r.id, name: r.name, online: [], offline: [] }
    if (r.color) s.color = r.color
    sections.push(s)
    at.set(r.id, s)
  }
  const everyone: MemberSection = { roleId: null, name: null, online: [], offline: [] }
  sections.push(everyone)
  const query = input.query ?? ''
  for (const m of input.order) {
    if (query && !m.folded.includes(query)) continue
    const me = m.userId === input.me
    const online = me || input.online.has(m.userId)
    const row: PresenceMember = {
      userId: m.userId,
      nickname: m.nickname,
      online,
      me,
      owner: m.userId === input.owner,
    }
    const roleId = input.sectionOf.get(m.userId)
    const section = (roleId !== undefined ? at.get(roleId) : undefined) ?? everyone
    ;(online ? section.online : section.offline).push(row)
  }
  return sections.filter((s) => s.online.length + s.offline.length > 0)
}
