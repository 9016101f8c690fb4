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

/**
 * Who hands on to each relay what `author` sends, for the relays the author does not use: the relays
 * the author records hold it first; a relay is reached from those by the member (not the author)
 * with the lowest id among those who record it and one relay already holding it, and so on outwards
 * (a member on relays 1 and 2 fills 2 from 1, then one on 2 and 3 fills 3). One member per relay, so
 * a relay gets one copy rather than one per member who uses it. Relays that nobody can reach this way
 * are left out. An author who records no relays (a join, before its record) is taken to use
 * `otherwise` (the relay it came through).
 */
export function relayKeepers(
  state: AuthorityState,
  author: string,
  otherwise: readonly string[] = [],
): Map<string, string> {
  const own = state.members.get(author)?.relays
  const holding = new Set(own?.length ? own : otherwise)
  const keepers = new Map<string, string>()
  const members = memberIds(state)
    .filter((id) => id !== author)
    .sort()
    .map((id) => ({ id, relays: state.members.get(id)?.relays ?? [] }))
  for (let grew = true; grew;) {
    grew = false
    const reached = new Map<string, string>()
    for (const { id, relays } of members) {
      if (!relays.some((r) => holding.has(r))) continue
      for (const r of relays) if (!holding.has(r) && !reached.has(r)) reached.set(r, id)
    }
    for (const [r, id] of reached) {
      holding.add(r)
      keepers.set(r, id)
      grew = true
    }
  }
  return keepers
}
