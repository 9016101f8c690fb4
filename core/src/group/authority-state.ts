// A typed, read-only snapshot of a group document's authority: who is a member, with which roles,
// sanctions, panels and invites. The gate judges every envelope against the snapshot of the group's
// authority history at the envelope's timestamp; operations and views read the current one.

import type * as Y from 'yjs'
import type { UserId } from '../identity/user-id'
import { GroupRoot, EVERYONE_ROLE, deviceKey, parseDeviceKey } from './documents'
import {
  validateDevice,
  validateDeviceRevocation,
  type DeviceRecord,
  type DeviceRevocationRecord,
  validateInvite,
  validateKeyRotation,
  validateKeyRotationPart,
  parseKeyRotationPartKey,
  validateMember,
  validatePanel,
  validateRole,
  validateSanction,
  type BanRecord,
  type InviteRecord,
  type KeyRotationRecord,
  type KeyRotationPartRecord,
  type KickRecord,
  type MemberRecord,
  type MuteRecord,
  type PanelRecord,
  type RoleRecord,
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
}

export interface LinkedDevice {
  userId: UserId
  deviceId: string
  record?: DeviceRecord
  revoked?: DeviceRevocationRecord
}

function entries<T>(doc: Y.Doc, root: string, validate: (v: unknown) => T): Map<string, T> {
  const out = new Map<string, T>()
  doc.getMap(root).forEach((value, key) => {
    try {
      out.set(key, validate(value))
    } catch {
      // Only a locally forged write can be invalid here: the gate refuses invalid remote records.
    }
  })
  return out
}

export function readAuthorityState(doc: Y.Doc): AuthorityState {
  const infoMap = doc.getMap(GroupRoot.info)
  const owner = infoMap.get('owner')
  const info: GroupInfo | null =
    typeof owner === 'string'
      ? {
          name: String(infoMap.get('name') ?? ''),
          avatar: infoMap.get('avatar') as string | undefined,
          description: infoMap.get('description') as string | undefined,
          owner,
          config: (infoMap.get('config') as Record<string, unknown> | undefined) ?? {},
          createdAt: Number(infoMap.get('createdAt') ?? 0),
          dm: infoMap.get('dm') === true,
          authority: infoMap.get('authority') === 2 ? 2 : 1,
        }
      : null
  const roles = entries(doc, GroupRoot.roles, validateRole)
  const members = entries(doc, GroupRoot.members, validateMember)
  const assignments = new Map<UserId, Set<string>>()
  doc.getMap(GroupRoot.assignments).forEach((value, key) => {
    const [userId, roleId] = key.split('/')
    if (value !== true || !userId || !roleId || !roles.has(roleId)) return
    let set = assignments.get(userId)
    if (!set) assignments.set(userId, (set = new Set()))
    set.add(roleId)
  })
  const mutes = new Map<UserId, MuteRecord>()
  const bans = new Map<UserId, BanRecord>()
  const kicks = new Map<UserId, KickRecord>()
  doc.getMap(GroupRoot.sanctions).forEach((value, key) => {
    const [kind, userId] = key.split('/') as ['mute' | 'ban' | 'kick', string]
    try {
      if (kind === 'mute') mutes.set(userId, validateSanction('mute', value) as MuteRecord)
      else if (kind === 'ban') bans.set(userId, validateSanction('ban', value) as BanRecord)
      else if (kind === 'kick') kicks.set(userId, validateSanction('kick', value) as KickRecord)
    } catch {
      // as above
    }
  })
  const inviteUses = new Map<string, number>()
  for (const m of members.values()) {
    if (m.invite) inviteUses.set(m.invite.id, (inviteUses.get(m.invite.id) ?? 0) + 1)
  }
  const devices = new Map<string, LinkedDevice>()
  doc.getMap(GroupRoot.devices).forEach((value, key) => {
    const k = parseDeviceKey(key)
    if (!k) return
    const id = deviceKey(k.userId, k.deviceId)
    const entry = devices.get(id) ?? { userId: k.userId, deviceId: k.deviceId }
    try {
      if (k.revoked) entry.revoked = validateDeviceRevocation(value)
      else entry.record = validateDevice(value)
      devices.set(id, entry)
    } catch {
      // as above
    }
  })
  return {
    devices,
    info,
    roles,
    members,
    assignments,
    mutes,
    bans,
    kicks,
    panels: entries(doc, GroupRoot.panels, validatePanel),
    invites: entries(doc, GroupRoot.invites, validateInvite),
    inviteUses,
    ...rotationsOf(doc),
  }
}

/**
 * Key rotations with their parts' wraps merged in (records.ts, KeyRotationPartRecord): a part counts
 * only beside its rotation and from the same author and device, as the gate requires.
 */
function rotationsOf(doc: Y.Doc): {
  rotations: Map<string, KeyRotationRecord>
  keyParts: Set<string>
} {
  const rotations = new Map<string, KeyRotationRecord>()
  const parts: [string, KeyRotationPartRecord][] = []
  const keyParts = new Set<string>()
  doc.getMap(GroupRoot.keys).forEach((value, key) => {
    try {
      const part = parseKeyRotationPartKey(key)
      if (part === null) rotations.set(key, validateKeyRotation(value))
      else {
        keyParts.add(key)
        parts.push([part.rotationId, validateKeyRotationPart(value)])
      }
    } catch {
      // as above
    }
  })
  const merged = new Map<string, Record<string, string>>()
  for (const [rotationId, part] of parts) {
    const base = rotations.get(rotationId)
    if (base === undefined || base.by !== part.by || base.from !== part.from) continue
    let wrapped = merged.get(rotationId)
    if (wrapped === undefined) merged.set(rotationId, (wrapped = { ...base.wrapped }))
    // The rotation's own wraps win over a part's for one recipient (the gate refuses such a part).
    for (const [recipient, w] of Object.entries(part.wrapped)) wrapped[recipient] ??= w
  }
  for (const [rotationId, wrapped] of merged)
    rotations.set(rotationId, { ...rotations.get(rotationId)!, wrapped })
  return { rotations, keyParts }
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
