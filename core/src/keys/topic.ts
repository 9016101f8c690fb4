// A group's mailbox topic on the relay. The relay learns only the topic id and the topic's public
// signing key: both are HKDF outputs of the group key, so without the key the relay cannot link a
// topic to a group id (or two topics to each other), while every member can derive the signing key
// and so prove to the relay that an append comes from a member.
import { utf8, toHex } from '../bytes'
import { signingKeyPairFromSeed, type SigningKeyPair } from '../crypto/ed25519'
import { hkdf } from '../crypto/hash'
import type { GroupKey } from './group-key'

export interface Topic {
  /** Hex of 32 bytes. */
  id: string
  signingKeys: SigningKeyPair
}

export async function deriveTopic(groupId: string, key: GroupKey): Promise<Topic> {
  const raw = key.raw
  const salt = utf8(groupId)
  const id = toHex(await hkdf(raw, salt, 'tailmesh/topic/v1', 32))
  const seed = await hkdf(raw, salt, 'tailmesh/topic-signing/v1', 32)
  raw.fill(0)
  const signingKeys = await signingKeyPairFromSeed(seed)
  seed.fill(0)
  return { id, signingKeys }
}
