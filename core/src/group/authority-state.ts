// A typed, read-only snapshot of a group document's authority: who is a member, with which roles,
// sanctions, panels and invites. The gate judges every envelope against the snapshot of the group's
// authority history at the envelope's timestamp; operations and views read the current one.

import type { UserId } from '../identity/user-id'
import type { CardRecord } from './card-record'
import { EVERYONE_ROLE, deviceKey } from './documents'
import type {
  BanRecord,
  DeviceRecord,
  DeviceRevocationRecord,
  InviteRecord,
  KeyRotationRecord,
  KickRecord,
  MemberRecord,
  MuteRecord,
  PanelRecord,
  RoleRecord,
} from './records'

export interface GroupInfo {
  name: string
  avatar?: string
  description?: string
  owner: UserId
  config: Record<string, unknown>
  createdAt: number
  dm: boolean
  /**
   * 2 when the group numbers its envelopes and judges sanctions by what their authors had seen
   * (docs/adr/0009), set at creation; 1 for groups made before (timestamps alone).
   */
  authority: 1 | 2
}

export interface AuthorityState {
  readonly info: GroupInfo | null
  readonly roles: ReadonlyMap<string, RoleRecord>
  readonly members: ReadonlyMap<UserId, MemberRecord>
  /** userId -> role ids assigned (roles that no longer exist are left out). */
  readonly assignments: ReadonlyMap<UserId, ReadonlySet<string>>
  readonly mutes: ReadonlyMap<UserId, MuteRecord>
  readonly bans: ReadonlyMap<UserId, BanRecord>
  readonly kicks: ReadonlyMap<UserId, KickRecord>
  readonly panels: ReadonlyMap<string, PanelRecord>
  readonly invites: ReadonlyMap<string, InviteRecord>
  /** inviteId -> how many joins it admitted. */
  readonly inviteUses: ReadonlyMap<string, number>
  /** rotationId -> group key rotation. */
  /** Rotations, each with its parts' wraps merged in. */
  readonly rotations: ReadonlyMap<string, KeyRotationRecord>
  /** The keys of the rotation parts written (`${rotationId}/${part}`). */
  readonly keyParts: ReadonlySet<string>
  /** `${userId}:${deviceId}` -> a linked device (its certificate) and its revocation, if any. */
  readonly devices: ReadonlyMap<string, LinkedDevice>
  /** `${panelId}/${messageId}` -> who may act on a message's card, and whether it is closed. */
  readonly cards: ReadonlyMap<string, CardRecord>
}

export interface LinkedDevice {
  userId: UserId
  deviceId: string
  record?: DeviceRecord
  revoked?: DeviceRevocationRecord
}

/** A member now: joined, not left, not kicked since joining, not banned. The owner always is. */
export function isMember(state: AuthorityState, userId: UserId): boolean {
  if (state.info?.owner === userId) return true
  const m = state.members.get(userId)
  if (!m || m.left) return false
  if (state.bans.has(userId)) return false
  const kick = state.kicks.get(userId)
  return !(kick && kick.at > m.joinedAt)
}

export function memberIds(state: AuthorityState): UserId[] {
  return [...state.members.keys()].filter((u) => isMember(state, u))
}

/** Members at this time who published a box key: exactly whom a key rotation must wrap for. */
export function keyRecipients(state: AuthorityState): UserId[] {
  return memberIds(state).filter((u) => state.members.get(u)?.box !== undefined)
}

/** Whether the device was withdrawn by its user at or before wall-clock ms `atWallMs`. */
export function isDeviceRevoked(
  state: AuthorityState,
  userId: UserId,
  deviceId: string,
  atWallMs: number,
): boolean {
  const revoked = state.devices.get(deviceKey(userId, deviceId))?.revoked
  return revoked !== undefined && revoked.at <= atWallMs
}

/**
 * Linked devices a key rotation wraps for besides the members' own box keys: recorded, of a current
 * member, not revoked at all (a revocation dated later still means the user withdrew it).
 */
export function deviceKeyRecipients(state: AuthorityState): LinkedDevice[] {
  return [...state.devices.values()].filter(
    (d) => d.record !== undefined && d.revoked === undefined && isMember(state, d.userId),
  )
}

export function rolesOf(state: AuthorityState, userId: UserId): string[] {
  return [EVERYONE_ROLE, ...(state.assignments.get(userId) ?? [])]
}

export function isMuted(state: AuthorityState, userId: UserId, atWallMs: number): boolean {
  const mute = state.mutes.get(userId)
  return mute !== undefined && mute.until > atWallMs
}
