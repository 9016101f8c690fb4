// THE permission resolver: the effective points of (member, panel, time). Everything that asks
// "may this member do that here, then?" — operations, the gate, the UI — asks this one function.

import type { UserId } from '../identity/user-id'
import { isMember, isMuted, rolesOf, type AuthorityState } from './authority-state'
import { PERMISSION_POINTS, withPrerequisites, type Point } from './points'
import type { PermissionOverride } from './records'

export interface Permissions {
  readonly isOwner: boolean
  readonly isMember: boolean
  has(point: Point): boolean
  /** The points held, for display (the owner's list is every built-in point). */
  list(): Point[]
}

const NONE: Permissions = { isOwner: false, isMember: false, has: () => false, list: () => [] }
const OWNER: Permissions = {
  isOwner: true,
  isMember: true,
  has: () => true,
  list: () => [...PERMISSION_POINTS],
}

function applyOverrides(points: Set<Point>, overrides: PermissionOverride[]): void {
  // Within one level, a deny from any role loses to an allow from another (as in Discord):
  // the member holds a point if any of their roles grants it here.
  const deny = new Set(overrides.flatMap((o) => o.deny))
  const allow = new Set(overrides.flatMap((o) => o.allow))
  for (const p of deny) points.delete(p)
  for (const p of allow) points.add(p)
}

/**
 * @param panelId the panel acted in, or undefined for group-wide actions.
 * @param atWallMs the time of the action (mutes are timed).
 */
export function resolvePermissions(
  state: AuthorityState,
  userId: UserId,
  panelId: string | undefined,
  atWallMs: number,
): Permissions {
  if (!state.info) return NONE
  if (state.info.owner === userId) return OWNER
  if (!isMember(state, userId)) return NONE

  const roleIds = rolesOf(state, userId)
  const points = new Set<Point>()
  for (const id of roleIds) for (const p of state.roles.get(id)?.points ?? []) points.add(p)

  // A panel inherits its category's overrides, then applies its own: role level, then member level.
  const panel = panelId === undefined ? undefined : state.panels.get(panelId)
  const chain = [panel?.parentId === undefined ? undefined : state.panels.get(panel.parentId), panel]
  for (const p of chain) {
    if (!p?.overrides) continue
    applyOverrides(
      points,
      roleIds.flatMap((id) => p.overrides?.roles?.[id] ?? []),
    )
    const own = p.overrides.members?.[userId]
    if (own) applyOverrides(points, [own])
  }

  if (!points.has('viewPanel')) points.delete('message')
  if (isMuted(state, userId, atWallMs)) {
    // A muted member may still listen to a call, not be heard in one.
    points.delete('message')
    points.delete('callSpeak')
  }
  const effective = withPrerequisites(points)
  return { isOwner: false, isMember: true, has: (p) => effective.has(p), list: () => [...effective] }
}
