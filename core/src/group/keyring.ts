// The group keys this member can open: the key from their invite link, then every rotation that
// wrapped a newer key for them. New content is sealed with the current (newest) key; older ones stay
// for older content. A removed member's keyring stops at the removal: later rotations were never
// wrapped for them.

import { fromBase64Url, toBase64Url } from '../bytes'
import { boxOpen, boxSeal, type BoxKeyPair } from '../crypto/x25519'
import type { UserId } from '../identity/user-id'
import { GroupKey } from '../keys/group-key'
import { deviceKeyRecipients, isMember, keyRecipients, type AuthorityState } from './authority-state'
import { GROUP_DOC_ID, GroupRoot, deviceKey } from './documents'
import { LIMITS, keyRotationPartKey, validateKeyRotation, validateKeyRotationPart } from './records'
import type { GroupSession } from './session'
import { InvalidOperationError } from '../errors'
import type { KeyRotationRecord } from './records'

export interface KeyringEntry {
  /** 'initial' for the key from the invite link, else the rotation id. */
  id: string
  key: GroupKey
  /** HLC of the rotation (0 for the initial key). */
  at: number
}

export interface Keyring {
  current: GroupKey
  keys: KeyringEntry[]
}

const wrapContext = (groupId: string, rotationId: string) => `tailmesh/group-key/${groupId}/${rotationId}`

/** Rotations in the one order every peer agrees on. */
export function rotationsInOrder(state: AuthorityState): [string, KeyRotationRecord][] {
  return [...state.rotations].sort(([ia, a], [ib, b]) => a.at - b.at || (ia < ib ? -1 : 1))
}

/** The box key that sealed a rotation's wraps: the rotator's member box, or its device's. */
function sealerBox(state: AuthorityState, rotation: KeyRotationRecord): string | undefined {
  return rotation.from === undefined
    ? state.members.get(rotation.by)?.box
    : state.devices.get(deviceKey(rotation.by, rotation.from))?.record?.box
}

/**
 * The keys `me` can open. `deviceId` is set on a linked device: it opens the wraps made for its own
 * box key (`${me}:${deviceId}`), never the ones for the member's box key.
 */
export async function openKeyring(
  state: AuthorityState,
  groupId: string,
  me: UserId,
  box: BoxKeyPair,
  initial: GroupKey,
  deviceId?: string,
): Promise<Keyring> {
  const keys: KeyringEntry[] = [{ id: 'initial', key: initial, at: 0 }]
  const recipient = deviceId === undefined ? me : deviceKey(me, deviceId)
  for (const [id, rotation] of rotationsInOrder(state)) {
    const wrapped = rotation.wrapped[recipient]
    const senderBox = sealerBox(state, rotation)
    if (wrapped === undefined || senderBox === undefined) continue
    try {
      const raw = await boxOpen(
        box,
        fromBase64Url(senderBox),
        fromBase64Url(wrapped),
        wrapContext(groupId, id),
      )
      keys.push({ id, key: await GroupKey.fromBytes(raw), at: rotation.at })
      raw.fill(0)
    } catch {
      // Wrapped with a key that is not ours (a rogue rotator): this rotation gives us nothing.
    }
  }
  return { current: keys[keys.length - 1]!.key, keys }
}

/** A new key wrapped for every member of this moment who published a box key (the rotator included). */
export async function wrapNewKey(
  state: AuthorityState,
  groupId: string,
  rotationId: string,
  box: BoxKeyPair,
): Promise<{ key: GroupKey; wrapped: Record<string, string> }> {
  const key = await GroupKey.generate()
  const raw = key.raw
  const wrapped: Record<string, string> = {}
  const recipients: [string, string][] = [
    ...keyRecipients(state).map((u): [string, string] => [u, state.members.get(u)!.box!]),
    ...deviceKeyRecipients(state).map((d): [string, string] => [
      deviceKey(d.userId, d.deviceId),
      d.record!.box,
    ]),
  ]
  for (const [recipient, theirs] of recipients) {
    wrapped[recipient] = toBase64Url(
      await boxSeal(box, fromBase64Url(theirs), raw, wrapContext(groupId, rotationId)),
    )
  }
  raw.fill(0)
  return { key, wrapped }
}

/**
 * Whether someone who holds the newest key has left the group since it was made, or a device holding it
 * was revoked (kicks and bans are followed by the moderator's own rotation, so they are not counted here). Before any rotation,
 * everyone who ever joined holds the key from the invite links.
 */
export function leftSinceRotation(state: AuthorityState): boolean {
  const newest = rotationsInOrder(state).pop()
  const holders = newest ? Object.keys(newest[1].wrapped) : [...state.members.keys()]
  return holders.some((holder) => {
    const [u, device] = holder.split(':') as [UserId, string | undefined]
    if (device !== undefined && state.devices.get(holder)?.revoked !== undefined) return true
    const m = state.members.get(u)
    return (m === undefined || m.left === true) && !state.kicks.has(u) && !state.bans.has(u)
  })
}

/**
 * Members who hold no copy of the newest key: not wrapped for them, and the invite they joined
 * with was made before the rotation (so its link carried an older key). They joined concurrently with
 * the rotation, or used an old link afterwards; until someone rotates again they cannot read anything
 * new. Members whose invite came after the rotation got the newest key in their link.
 */
export function missedRotation(state: AuthorityState): UserId[] {
  const newest = rotationsInOrder(state).pop()
  if (!newest) return []
  const [, rotation] = newest
  return keyRecipients(state).filter((u) => {
    if (rotation.wrapped[u] !== undefined) return false
    const inviteId = state.members.get(u)?.invite?.id
    const invite = inviteId === undefined ? undefined : state.invites.get(inviteId)
    return invite !== undefined && invite.createdAt < rotation.at
  })
}

/**
 * Rotates the group key from `session`: a new key wrapped for every current member with a box key,
 * recorded in the group document. The member must have published their own box key.
 */
export async function rotateGroupKey(
  session: GroupSession,
  newId: () => string,
  perRecord: number = LIMITS.keyRecipients,
): Promise<GroupKey> {
  const state = session.authority()
  if (!isMember(state, session.userId)) throw new InvalidOperationError('Not a member.')
  const box = await session.identity.boxKeys()
  const deviceId = session.identity.deviceId
  const published =
    deviceId === undefined
      ? state.members.get(session.userId)?.box
      : state.devices.get(deviceKey(session.userId, deviceId))?.record?.box
  if (published !== toBase64Url(box.publicKey))
    throw new InvalidOperationError('Publish your box key (join or update your membership) before rotating.')
  const id = newId()
  const { key, wrapped } = await wrapNewKey(state, session.groupId, id, box)
  const from = deviceId === undefined ? {} : { from: deviceId }
  // The rotation holds the first `perRecord` wraps (its author's first: the rule asks for it), each
  // part the next ones, each in an envelope of its own (a record and an envelope have size limits).
  const self = deviceId === undefined ? session.userId : deviceKey(session.userId, deviceId)
  const recipients = [self, ...Object.keys(wrapped).filter((r) => r !== self)]
  const chunks: Record<string, string>[] = []
  for (let i = 0; i < recipients.length; i += perRecord)
    chunks.push(Object.fromEntries(recipients.slice(i, i + perRecord).map((r) => [r, wrapped[r]!])))
  await session.transact(GROUP_DOC_ID, (doc, hlc) =>
    doc
      .getMap(GroupRoot.keys)
      .set(id, validateKeyRotation({ by: session.userId, at: hlc, wrapped: chunks[0]!, ...from })),
  )
  for (let part = 1; part < chunks.length; part++)
    await session.transact(GROUP_DOC_ID, (doc) =>
      doc
        .getMap(GroupRoot.keys)
        .set(
          keyRotationPartKey(id, part),
          validateKeyRotationPart({ by: session.userId, wrapped: chunks[part]!, ...from }),
        ),
    )
  return key
}
