// The relays a group's members record (MemberRecord.relays), and which of them an invite link names:
// the inviter's own first, then the others by how many members use them, so a newcomer reaches the
// group where most of its members are.
import { memberIds, type AuthorityState } from './authority-state'
import { INVITE_RELAY_LIMITS } from './invite-link'

/** Every relay the group's current members record, most used first (equal counts: by URL). */
export function relaysOfMembers(state: AuthorityState): { url: string; members: number }[] {
  const counts = new Map<string, number>()
  for (const id of memberIds(state))
    for (const url of state.members.get(id)?.relays ?? []) counts.set(url, (counts.get(url) ?? 0) + 1)
  return [...counts]
    .map(([url, members]) => ({ url, members }))
    .sort((a, b) => b.members - a.members || (a.url < b.url ? -1 : a.url > b.url ? 1 : 0))
}

/**
 * The relays an invite link names: `own` (the inviter's) first, then the group's others most used
 * first, none of `leaveOut` (the relay the link opens at), at most as many as a link holds.
 */
export function inviteRelaysOf(
  state: AuthorityState,
  own: readonly string[],
  leaveOut: readonly string[] = [],
): string[] {
  const skip = new Set(leaveOut)
  const ordered = [...own, ...relaysOfMembers(state).map((r) => r.url)].filter((u) => !skip.has(u))
  return [...new Set(ordered)].slice(0, INVITE_RELAY_LIMITS.maxRelays)
}
