// Where a person's own devices talk to each other: a mailbox topic derived from a secret only their
// devices hold (the self secret), as a friend topic derives from a friend secret (friends/friend-topic.ts).
// The identity device derives the secret from its seed, so a restored backup finds the same topic;
// a linked device receives it in the pairing bundle (sync/pairing.ts). The relay sees a topic hash and
// ciphertext, and no other person can read or post there.
import { utf8 } from '../bytes'
import { hkdf } from '../crypto/hash'
import type { Identity } from '../identity/identity'
import { GroupKey } from '../keys/group-key'
import { deriveTopic } from '../keys/topic'
import type { TopicAccess } from '../sync/transport'
import type { UserId } from '../identity/user-id'

export const SELF_SECRET_BYTES = 32

export interface SelfTopic {
  /** Seals what the devices post (AES-256-GCM). */
  key: GroupKey
  access: TopicAccess
}

/** The self secret of the device that holds the identity key (needs an extractable key, as backups do). */
export async function selfSecretOf(identity: Identity): Promise<Uint8Array> {
  const seed = await identity.exportSeed()
  try {
    return await hkdf(seed, utf8('tailmesh'), 'tailmesh/self-secret/v1', SELF_SECRET_BYTES)
  } finally {
    seed.fill(0)
  }
}

export async function selfTopic(userId: UserId, secret: Uint8Array): Promise<SelfTopic> {
  const salt = utf8(userId)
  const raw = await hkdf(secret, salt, 'tailmesh/self-topic-key/v1', 32)
  try {
    const key = await GroupKey.fromBytes(raw)
    return {
      key,
      access: {
        topic: await deriveTopic(`self/${userId}`, key),
        secret: await hkdf(raw, salt, 'tailmesh/self-transport-secret/v1', 32),
      },
    }
  } finally {
    raw.fill(0)
  }
}
