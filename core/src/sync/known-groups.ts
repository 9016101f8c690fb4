// Which groups this device keeps, and their keys, so they reopen after a restart. The group key is
// kept next to the group's envelopes: both are this device's own storage (IndexedDB or LevelDB), and
// the key never leaves it except inside an invite link's fragment.

import { GroupKey } from '../keys/group-key'
import type { StorageAdapter } from '../storage/storage'

const KEY = 'group-key'

export async function rememberGroup(storage: StorageAdapter, groupId: string, key: GroupKey): Promise<void> {
  await storage.set(groupId, KEY, key.raw)
}

export async function knownGroups(storage: StorageAdapter): Promise<{ groupId: string; key: GroupKey }[]> {
  const out: { groupId: string; key: GroupKey }[] = []
  for (const groupId of await storage.groups()) {
    const raw = await storage.get(groupId, KEY)
    if (raw) out.push({ groupId, key: await GroupKey.fromBytes(raw) })
  }
  return out
}
