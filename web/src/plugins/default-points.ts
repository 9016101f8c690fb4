// Default-granted plugin points: when a plugin's first panel is created in a group, the group's
// "everyone" role gets the points the plugin marks `defaultGranted`. It is an ordinary role edit —
// core's operation checks manageRoles (and, for a non-owner, that they hold each point they grant)
// and every peer's gate judges it again — so someone who may not edit roles is told what is missing
// instead.
import type { Point } from '../client'
import { describeError } from './loader'

/** What granting needs from the group (GroupManager + my permissions in the app; peers in tests). */
export interface RolesPort {
  /** Whether I hold this point in the group now. */
  can(point: string): boolean
  /** The points of the everyone role now. */
  everyonePoints(): readonly Point[]
  setEveryonePoints(points: Point[]): Promise<void>
}

export type GrantOutcome =
  | { kind: 'none' }
  | { kind: 'granted'; points: Point[] }
  | { kind: 'cannot'; points: Point[]; reason: string }

export async function grantDefaultPoints(
  roles: RolesPort,
  defaults: readonly Point[],
): Promise<GrantOutcome> {
  const have = new Set(roles.everyonePoints())
  const missing = defaults.filter((p) => !have.has(p))
  if (missing.length === 0) return { kind: 'none' }
  if (!roles.can('manageRoles'))
    return { kind: 'cannot', points: missing, reason: 'you may not manage roles in this group' }
  try {
    await roles.setEveryonePoints([...roles.everyonePoints(), ...missing])
    return { kind: 'granted', points: missing }
  } catch (error) {
    return { kind: 'cannot', points: missing, reason: describeError(error) }
  }
}
