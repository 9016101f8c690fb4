// The mailbox's LevelDB layout. Every key starts with a one-byte kind and the 32-byte topic id;
// entry keys end in the cursor as 8 big-endian bytes, so a range read returns a topic's entries in
// cursor order.
//
//   'm' topic             -> meta: publicKey(32) head(8) snapshotCursor(8) snapshotSize(8) bytes(8)
//                            lastWrite(8, seconds since the epoch; absent in records written before it)
//   'e' topic cursor(8)   -> entry bytes (an opaque sealed envelope)
//   'h' topic sha256(32)  -> cursor(8) of the entry with that hash (dedupe; kept after compaction)
//   's' topic             -> upTo(8) snapshot bytes
import { MAILBOX_PUBLIC_KEY_BYTES } from '@tailmesh/core'

const META = 0x6d
const ENTRY = 0x65
const HASH = 0x68
const SNAPSHOT = 0x73

export interface TopicMeta {
  publicKey: Uint8Array
  /** The newest cursor on disk (0: none yet). */
  head: number
  /** The cursor the stored snapshot covers up to (0: no snapshot). */
  snapshotCursor: number
  snapshotSize: number
  /** Every stored byte of the topic (records, keys and their overhead; see storedCost): what the quotas count. */
  bytes: number
  /** When the topic was last written (appended to or compacted), in seconds since the epoch. */
  lastWrite: number
}

const OLD_META_BYTES = MAILBOX_PUBLIC_KEY_BYTES + 4 * 8
export const META_BYTES = OLD_META_BYTES + 8
/** Bytes of every key but entry and hash keys: kind(1) topic(32). */
export const TOPIC_KEY_BYTES = 1 + 32
export const ENTRY_KEY_BYTES = TOPIC_KEY_BYTES + 8
export const HASH_KEY_BYTES = TOPIC_KEY_BYTES + 32

/**
 * What one LevelDB record of `keyBytes` + `valueBytes` costs on disk beyond them, measured against
 * the data directory (sequence number and type, length varints, restart points, block index and
 * checksums, less the prefix the keys of one topic share). See relay/test/quota.test.ts.
 */
export const RECORD_OVERHEAD = 16

export const storedCost = (keyBytes: number, valueBytes: number): number =>
  keyBytes + valueBytes + RECORD_OVERHEAD

function key(kind: number, topic: Uint8Array, suffix?: Uint8Array): Uint8Array {
  const k = new Uint8Array(1 + topic.length + (suffix?.length ?? 0))
  k[0] = kind
  k.set(topic, 1)
  if (suffix) k.set(suffix, 1 + topic.length)
  return k
}

export function u64(n: number): Uint8Array {
  const b = new Uint8Array(8)
  new DataView(b.buffer).setBigUint64(0, BigInt(n))
  return b
}

export function readU64(b: Uint8Array, at = 0): number {
  return Number(new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(at))
}

export const metaKey = (topic: Uint8Array): Uint8Array => key(META, topic)
export const entryKey = (topic: Uint8Array, cursor: number): Uint8Array => key(ENTRY, topic, u64(cursor))
export const hashKey = (topic: Uint8Array, hash: Uint8Array): Uint8Array => key(HASH, topic, hash)
export const snapshotKey = (topic: Uint8Array): Uint8Array => key(SNAPSHOT, topic)
/** The key range that holds every meta record. */
export const metaRange = { gte: new Uint8Array([META]), lt: new Uint8Array([META + 1]) }
export const cursorOfEntryKey = (k: Uint8Array): number => readU64(k, k.length - 8)
export const topicOfMetaKey = (k: Uint8Array): Uint8Array => k.subarray(1)
/** Every key of `topic` of one kind, as a range (for deleting an expired topic). */
export function topicRange(kind: 'entry' | 'hash' | 'snapshot' | 'meta', topic: Uint8Array) {
  const k = { entry: ENTRY, hash: HASH, snapshot: SNAPSHOT, meta: META }[kind]
  return { gte: key(k, topic), lte: key(k, topic, new Uint8Array(32).fill(0xff)) }
}

export function encodeMeta(m: TopicMeta): Uint8Array {
  const b = new Uint8Array(META_BYTES)
  b.set(m.publicKey, 0)
  const v = new DataView(b.buffer)
  let at = MAILBOX_PUBLIC_KEY_BYTES
  for (const n of [m.head, m.snapshotCursor, m.snapshotSize, m.bytes, m.lastWrite]) {
    v.setBigUint64(at, BigInt(n))
    at += 8
  }
  return b
}

/** `now` (seconds) stands for the last write of a record from before lastWrite was stored. */
export function decodeMeta(b: Uint8Array, now = Math.floor(Date.now() / 1000)): TopicMeta | null {
  if (b.length !== META_BYTES && b.length !== OLD_META_BYTES) return null
  const n = (i: number) => readU64(b, MAILBOX_PUBLIC_KEY_BYTES + i * 8)
  return {
    publicKey: b.slice(0, MAILBOX_PUBLIC_KEY_BYTES),
    head: n(0),
    snapshotCursor: n(1),
    snapshotSize: n(2),
    bytes: n(3),
    lastWrite: b.length === META_BYTES ? n(4) : now,
  }
}
