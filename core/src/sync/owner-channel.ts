// A pairwise mailbox topic between a group's owner and one member, keyed by X25519 between their box
// keys: only the two of them can read or post on it. The owner uses it to reach a member who joined with
// an invite link older than the group's newest key (keyring.ts, missedRotation): that member cannot
// open anything sealed with the newer keys, so the owner sends them the group document — including the
// fresh rotation that wraps the newest key for them — on this channel.
import { boxSharedSecret, type BoxKeyPair } from '../crypto/x25519'
import type { UserId } from '../identity/user-id'
import { GroupKey } from '../keys/group-key'

export async function ownerChannelKey(
  groupId: string,
  member: UserId,
  mine: BoxKeyPair,
  theirs: Uint8Array,
): Promise<GroupKey> {
  const raw = await boxSharedSecret(mine, theirs, `tailmesh/owner-channel/${groupId}/${member}`)
  try {
    return await GroupKey.fromBytes(raw)
  } finally {
    raw.fill(0)
  }
}
