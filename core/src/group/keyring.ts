// The group keys this member can open: the key from their invite link, then every rotation that
// wrapped a newer key for them. New content is sealed with the current (newest) key; older ones stay
// for older content. A removed member's keyring stops at the removal: later rotations were never
// wrapped for them.

import { fromBase64Url, toBase64Url } from '../bytes'
import { boxOpen, boxSeal, type BoxKeyPair } from '../crypto/x25519'
import type { UserId } from '../identity/user-id'
import { GroupKey } from '../keys/group-key'
import { keyRecipients, type AuthorityState } from './authority-state'
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
function rotationsInOrder(state: AuthorityState): [string, KeyRotationRecord][] {
  return [...state.rotations].sort(([ia, a], [ib, b]) => a.at - b.at || (ia < ib ? -1 : 1))
}

export async function openKeyring(
  state: AuthorityState,
  groupId: string,
  me: UserId,
  box: BoxKeyPair,
  initial: GroupKey,
): Promise<Keyring> {
  const keys: KeyringEntry[] = [{ id: 'initial', key: initial, at: 0 }]
  for (const [id, rotation] of rotationsInOrder(state)) {
    const wrapped = rotation.wrapped[me]
    const senderBox = state.members.get(rotation.by)?.box
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
): Promise<{ key: GroupKey; wrapped: Record<UserId, string> }> {
  const key = await GroupKey.generate()
  const raw = key.raw
  const wrapped: Record<UserId, string> = {}
  for (const member of keyRecipients(state)) {
    const theirs = state.members.get(member)!.box!
    wrapped[member] = toBase64Url(
      await boxSeal(box, fromBase64Url(theirs), raw, wrapContext(groupId, rotationId)),
    )
  }
  raw.fill(0)
  return { key, wrapped }
}
