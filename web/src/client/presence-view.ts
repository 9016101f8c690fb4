// What the member list and the typing line show, from the group's roles and who is online: plain
// functions of their inputs (unit-tested), no Vue.
import type { UserId } from '@tailmesh/core'

export interface PresenceMember {
  userId: UserId
  nickname: string
  online: boolean
  me: boolean
  owner: boolean
}

export interface RoleSection {
  /** The role's id; null for members with no role but everyone. */
  roleId: string | null
  /** The role's name (null: the everyone section, named by the UI in its language). */
  name: string | null
  color?: string
  /** Online first, then by nickname. */
  members: PresenceMember[]
  online: number
}

export interface MembersByRoleInput {
  members: { userId: UserId; nickname: string }[]
  /** Roles in the order sections appear (the everyone role, if present, is skipped). */
  roles: { id: string; name: string; color?: string; everyone?: boolean }[]
  /** Each member's assigned roles (not everyone). */
  rolesOf: (userId: UserId) => readonly string[]
  online: (userId: UserId) => boolean
  me: UserId
  owner?: UserId | undefined
}

/**
 * Sections of the member list: each role that has members (in the given order), then everyone with
 * no role. A member with several roles is listed once, under the first of them (as in Tailchat and
 * Discord, where the highest role a member holds decides where they appear).
 */
export function membersByRole(input: MembersByRoleInput): RoleSection[] {
  const roles = input.roles.filter((r) => !r.everyone)
  const byRole = new Map<string | null, PresenceMember[]>()
  for (const m of input.members) {
    const mine = new Set(input.rolesOf(m.userId))
    const section = roles.find((r) => mine.has(r.id))?.id ?? null
    const row: PresenceMember = {
      userId: m.userId,
      nickname: m.nickname,
      online: m.userId === input.me || input.online(m.userId),
      me: m.userId === input.me,
      owner: m.userId === input.owner,
    }
    byRole.set(section, [...(byRole.get(section) ?? []), row])
  }
  const sections: RoleSection[] = []
  const add = (roleId: string | null, name: string | null, color?: string) => {
    const members = byRole.get(roleId)
    if (!members?.length) return
    members.sort(
      (a, b) =>
        Number(b.online) - Number(a.online) ||
        a.nickname.localeCompare(b.nickname) ||
        (a.userId < b.userId ? -1 : 1),
    )
    sections.push({
      roleId,
      name,
      ...(color ? { color } : {}),
      members,
      online: members.filter((m) => m.online).length,
    })
  }
  for (const r of roles) add(r.id, r.name, r.color)
  add(null, null)
  return sections
}

/** The line under the composer: which message, with which names. */
export type TypingLine =
  | { key: 'typingOne'; params: { name: string } }
  | { key: 'typingTwo'; params: { first: string; second: string } }
  | { key: 'typingMany'; params: Record<string, never> }
  | null

/** One name, two names, or "several people" (three or more); null when nobody is typing. */
export function typingLine(names: string[]): TypingLine {
  const sorted = [...names].sort((a, b) => a.localeCompare(b))
  if (sorted.length === 0) return null
  if (sorted.length === 1) return { key: 'typingOne', params: { name: sorted[0]! } }
  if (sorted.length === 2) return { key: 'typingTwo', params: { first: sorted[0]!, second: sorted[1]! } }
  return { key: 'typingMany', params: {} }
}
