// What happened to the group's membership, as the first text panel tells it between messages:
// joins (and whose invite), mutes, kicks and bans. Derived from the group document the gate accepted
// (member records and sanctions, each stamped with the HLC of the envelope that wrote it), so every
// member sees the same rows at the same places. Not messages: nothing to reply to, never unread.
import { hlcWallMs, type AuthorityState, type UserId } from '@tailmesh/core'
import type { GroupHandle } from './group-handle'

export type SystemEvent =
  | { kind: 'join'; key: string; hlc: number; wallMs: number; who: UserId; via?: UserId }
  | { kind: 'mute'; key: string; hlc: number; wallMs: number; who: UserId; by: UserId; minutes: number }
  | { kind: 'kick'; key: string; hlc: number; wallMs: number; who: UserId; by: UserId }
  | { kind: 'ban'; key: string; hlc: number; wallMs: number; who: UserId; by: UserId }

/** Every event the document records, oldest first (ties by key, so all peers agree). */
export function systemEvents(state: AuthorityState): SystemEvent[] {
  const out: SystemEvent[] = []
  const owner = state.info?.owner
  const at = (hlc: number) => ({ hlc, wallMs: hlcWallMs(hlc) })
  for (const [who, m] of state.members) {
    // The owner's record is the genesis, not a join.
    if (who === owner) continue
    out.push({
      kind: 'join',
      key: `join:${who}:${m.joinedAt}`,
      ...at(m.joinedAt),
      who,
      via: m.invite?.creator,
    })
  }
  for (const [who, s] of state.mutes) {
    // A mute written before records carried `at` has no place in time: it is not told.
    if (s.at === undefined) continue
    const minutes = Math.max(1, Math.round((s.until - hlcWallMs(s.at)) / 60_000))
    out.push({ kind: 'mute', key: `mute:${who}:${s.at}`, ...at(s.at), who, by: s.by, minutes })
  }
  for (const [who, s] of state.kicks)
    out.push({ kind: 'kick', key: `kick:${who}:${s.at}`, ...at(s.at), who, by: s.by })
  for (const [who, s] of state.bans)
    out.push({ kind: 'ban', key: `ban:${who}:${s.at}`, ...at(s.at), who, by: s.by })
  return out.sort((a, b) => a.hlc - b.hlc || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
}

/** The events of one open group (none until its document has arrived). */
export function groupSystemEvents(handle: GroupHandle): SystemEvent[] {
  return handle.info() ? systemEvents(handle.group.gate.authority()) : []
}
