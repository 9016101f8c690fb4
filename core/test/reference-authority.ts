// The authority read as it was before the mirror (group/authority-mirror.ts): every key of the
// group document read and validated again. Kept as the oracle the mirror is tested against.

import type * as Y from 'yjs'
import type { UserId } from '../src/identity/user-id'
import type { AuthorityState, GroupInfo, LinkedDevice } from '../src/group/authority-state'
import { validCardRecord, type CardRecord } from '../src/group/card-record'
import { GroupRoot, deviceKey, parseDeviceKey } from '../src/group/documents'
import {
  parseKeyRotationPartKey,
  validateDevice,
  validateDeviceRevocation,
  validateInvite,
  validateKeyRotation,
  validateKeyRotationPart,
  validateMember,
  validatePanel,
  validateRole,
  validateSanction,
  type BanRecord,
  type KeyRotationPartRecord,
  type KeyRotationRecord,
  type KickRecord,
  type MuteRecord,
} from '../src/group/records'

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

export function referenceAuthorityState(doc: Y.Doc): AuthorityState {
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
  const cards = new Map<string, CardRecord>()
  doc.getMap(GroupRoot.cards).forEach((value, key) => {
    const card = validCardRecord(value)
    if (card) cards.set(key, card)
  })
  return {
    devices,
    cards,
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
