// The client seam: everything web/ uses from @tailmesh/core goes through here.
//
//   createTailmeshClient({ keystore?, sync? }) → TailmeshClient
//     me / loadIdentity() / createIdentity(nickname)      identity, kept in the keystore (IndexedDB)
//     list() / group(id) / onGroupsChanged(fn) / keepsGroups   groups open on this device
//     createGroup(name) / openInvite(payload) / join(payload)
//   GroupHandle (one group)
//     info() / panels() / members() / isMember() / nickname(userId)
//     messages(panelId) → ChatMessage[] (core's HistoryMessage; status 'pending' until it has left)
//     send(panelId, body) / createInviteLink(appUrl) / onChange(fn: Change → void)
//     connection() → { relay, peers }
//   GroupSync (sync.ts): where the Replica plugs in. replicaSync() (replica-sync.ts) is the real one
//   (IndexedDB + mailbox + WebRTC + BroadcastChannel); memoryOnlySync() is the unit tests' stand-in.
import { TailmeshClient } from './client'
import { indexedDbKeystore, type Keystore } from './keystore'
import { memoryOnlySync, type GroupSync } from './sync'

export { TailmeshClient, type Me, type ProfileChange } from './client'
export { PROFILE_LIMITS } from '@tailmesh/core'
export { profileOf } from './profiles'
export {
  GroupHandle,
  type Change,
  type ChatMessage,
  type DeliveryStatus,
  type HistoryView,
  type HistoryWeek,
  type MemberView,
  type PanelView,
} from './group-handle'
/** Core's types the views display, re-exported so that nothing outside client/ imports core. */
export type { GroupInfo, UserId } from '@tailmesh/core'
export type { CallHub, CallMedia, CallParticipant, CallRoomRef, RingNotice } from '@tailmesh/core'
export { CallFullError, roomKey } from '@tailmesh/core'
export {
  InvalidInviteError,
  decodeInvitePayload,
  encodeInvitePayload,
  inviteLink,
  payloadOfLink,
} from './invite-link'
export type { InvitePayload } from './invite-link'
export { indexedDbKeystore, memoryKeystore, type Keystore, type StoredIdentity } from './keystore'
export {
  memoryOnlySync,
  type GroupLink,
  type GroupSync,
  type KnownGroup,
  type LinkChange,
  type LinkStatus,
  type SyncedGroup,
} from './sync'
// The sync engine loads on first use (replica-sync-lazy.ts), outside the app shell.
export { replicaSync } from './replica-sync-lazy'
export type { ReplicaSyncOptions } from './replica-sync'
export * from './manage'
export { groupSystemEvents, systemEvents, type SystemEvent } from './system-events'
export { hlcWallMs } from '@tailmesh/core'
export { ReadTracker, type InboxItem, type ReadMark } from './reads'
export { bucketOfMessage } from './history-window'

export function createTailmeshClient(
  options: { keystore?: Keystore; sync?: GroupSync } = {},
): TailmeshClient {
  return new TailmeshClient({
    keystore: options.keystore ?? indexedDbKeystore(),
    sync: options.sync ?? memoryOnlySync(),
  })
}
