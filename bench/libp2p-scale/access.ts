// One group's topic for every host process of the bench: derived from a secret the parent hands out
// (BENCH_TOPIC_SECRET, base64url of 64 random bytes: the group key, then the mailbox secret).
import { randomBytes } from 'node:crypto'
import { GroupKey, deriveTopic, fromBase64Url, toBase64Url, type TopicAccess } from '@tailmesh/core'

export const newTopicSecret = (): string => toBase64Url(new Uint8Array(randomBytes(64)))

export async function accessFromSecret(secret: string): Promise<TopicAccess> {
  const bytes = fromBase64Url(secret)
  const topic = await deriveTopic('bench-group', await GroupKey.fromBytes(bytes.slice(0, 32)))
  return { topic, secret: bytes.slice(32) }
}
