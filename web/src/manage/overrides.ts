// Per-panel role overrides: allow or deny a point for a role in one panel. Core's resolver applies a
// category's overrides, then the panel's; within one level an allow from any of a member's roles wins
// over a deny from another, which is what makes an announcement panel work: everyone is denied
// `message`, the speakers' roles are allowed it.
import { EVERYONE_ROLE, type PanelRecord, type Point } from '../client'

export type Overrides = NonNullable<PanelRecord['overrides']>
export type OverrideState = 'inherit' | 'allow' | 'deny'

export function overrideState(overrides: Overrides | undefined, roleId: string, point: Point): OverrideState {
  const o = overrides?.roles?.[roleId]
  if (o?.allow.includes(point)) return 'allow'
  if (o?.deny.includes(point)) return 'deny'
  return 'inherit'
}

/** A copy of `overrides` with (role, point) set to `state`; empty entries are dropped. */
export function setOverride(
  overrides: Overrides | undefined,
  roleId: string,
  point: Point,
  state: OverrideState,
): Overrides {
  const roles = { ...(overrides?.roles ?? {}) }
  const current = roles[roleId] ?? { allow: [], deny: [] }
  const allow = current.allow.filter((p) => p !== point)
  const deny = current.deny.filter((p) => p !== point)
  if (state === 'allow') allow.push(point)
  if (state === 'deny') deny.push(point)
  if (allow.length === 0 && deny.length === 0) delete roles[roleId]
  else roles[roleId] = { allow, deny }
  const out: Overrides = { ...overrides, roles }
  if (Object.keys(roles).length === 0) delete out.roles
  return out
}

/** The announcement preset: everyone may view, only `speakers` (role ids) may send. */
export function announcement(overrides: Overrides | undefined, speakers: readonly string[]): Overrides {
  let out = setOverride(overrides, EVERYONE_ROLE, 'viewPanel', 'allow')
  out = setOverride(out, EVERYONE_ROLE, 'message', 'deny')
  for (const [roleId] of Object.entries(out.roles ?? {}))
    if (roleId !== EVERYONE_ROLE && !speakers.includes(roleId))
      out = setOverride(out, roleId, 'message', 'inherit')
  for (const r of speakers) out = setOverride(out, r, 'message', 'allow')
  return out
}

/** Whether the panel's overrides are the announcement shape (everyone denied `message`). */
export function isAnnouncement(overrides: Overrides | undefined): boolean {
  return overrideState(overrides, EVERYONE_ROLE, 'message') === 'deny'
}
