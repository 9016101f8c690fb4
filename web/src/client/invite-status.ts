// Why an invite cannot let me in, read from the group document before anything is signed: the same
// checks as core's join (GroupActions.join) and every peer's gate, so the join screen can say so
// instead of offering Join until the click fails.
import { LIMITS, memberIds, type AuthorityState, type UserId } from '@tailmesh/core'

/** What stands in the way of joining with an invite, or null when nothing does. */
export type InviteProblem = 'banned' | 'revoked' | 'expired' | 'usedUp' | 'full'

export function inviteProblem(
  state: AuthorityState,
  inviteId: string,
  me: UserId,
  now = Date.now(),
): InviteProblem | null {
  if (state.bans.has(me)) return 'banned'
  const invite = state.invites.get(inviteId)
  if (!invite) return null
  if (invite.revoked) return 'revoked'
  if (invite.expiresAt !== null && invite.expiresAt <= now) return 'expired'
  if (invite.maxUses !== null && (state.inviteUses.get(inviteId) ?? 0) >= invite.maxUses) return 'usedUp'
  if (state.info?.dm && memberIds(state).length >= LIMITS.dmParticipants) return 'full'
  return null
}
