// Which groups this device keeps, and their keys, so they reopen after a restart. The group key is
// kept next to the group's envelopes: both are this device's own storage (IndexedDB or LevelDB), and
// the key never leaves it except inside an invite link's fragment.

import { GroupKey } from '../keys/group-key'
import type { StorageAdapter } from '../storage/storage'

const KEY = 'group-key'
const LATER_KEYS = 'group-keys-later'
const RAW_KEY_BYTES = 32

export async function rememberGroup(storage: StorageAdapter, groupId: string, key: GroupKey): Promise<void> {
  await storage.set(groupId, KEY, key.raw)
}

/** Keys after the invite's that this device was handed at pairing (see ReplicaOptions.knownKeys). */
export async function rememberLaterKeys(
  storage: StorageAdapter,
  groupId: string,
  keys: GroupKey[],
): Promise<void> {
  const raw = new Uint8Array(keys.length * RAW_KEY_BYTES)
  keys.forEach((k, i) => raw.set(k.raw, i * RAW_KEY_BYTES))
  await storage.set(groupId, LATER_KEYS, raw)
}

export interface KnownGroup {
  groupId: string
  key: GroupKey
  laterKeys: GroupKey[]
}

export async function knownGroups(storage: StorageAdapter): Promise<KnownGroup[]> {
  const out: KnownGroup[] = []
  for (const groupId of await storage.groups()) {
    const raw = await storage.get(groupId, KEY)
    if (!raw) continue
    const later = (await storage.get(groupId, LATER_KEYS)) ?? new Uint8Array()
    const laterKeys: GroupKey[] = []
    for (let at = 0; at + RAW_KEY_BYTES <= later.length; at += RAW_KEY_BYTES)
      laterKeys.push(await GroupKey.fromBytes(later.subarray(at, at + RAW_KEY_BYTES)))
    out.push({ groupId, key: await GroupKey.fromBytes(raw), laterKeys })
  }
  return out
}
