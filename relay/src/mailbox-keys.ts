// The mailbox's LevelDB layout. Every key starts with a one-byte kind and the 32-byte topic id;
// entry keys end in the cursor as 8 big-endian bytes, so a range read returns a topic's entries in
// cursor order.
//
//   'm' topic             -> meta: publicKey(32) head(8) snapshotCursor(8) snapshotSize(8) bytes(8)
//                            lastWrite(8, seconds since the epoch; absent in records written before it)
//   'e' topic cursor(8)   -> entry bytes (an opaque sealed envelope)
//   'h' topic sha256(32)  -> cursor(8) of the entry with that hash (dedupe; kept after compaction)
//   's' topic             -> upTo(8) snapshot bytes (a snapshot uploaded in one frame)
//   'S' topic             -> upTo(8) upload(16) count(8): the snapshot is that upload's chunks
//   'u' topic upload(16)  -> upTo(8) count(8) received(8) size(8) createdAt(8): an upload in progress
//   'c' topic upload(16) index(4) -> chunk bytes (of an upload in progress, or of the snapshot)
//
// A chunked snapshot's chunks stay where they were uploaded: committing one writes its 'S' record
// and deletes its 'u' record, so the last chunk's write is small whatever the snapshot's size.
import { MAILBOX_PUBLIC_KEY_BYTES, MAILBOX_UPLOAD_ID_BYTES } from '@tailmesh/core'

const META = 0x6d
const ENTRY = 0x65
const HASH = 0x68
const SNAPSHOT = 0x73
const CHUNKED = 0x53
const UPLOAD = 0x75
const CHUNK = 0x63

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
export const UPLOAD_KEY_BYTES = TOPIC_KEY_BYTES + MAILBOX_UPLOAD_ID_BYTES
export const CHUNK_KEY_BYTES = UPLOAD_KEY_BYTES + 4
export const UPLOAD_BYTES = 5 * 8
export const CHUNKED_BYTES = 8 + MAILBOX_UPLOAD_ID_BYTES + 8

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
export const chunkedKey = (topic: Uint8Array): Uint8Array => key(CHUNKED, topic)
export const uploadKey = (topic: Uint8Array, upload: Uint8Array): Uint8Array => key(UPLOAD, topic, upload)
export function chunkKey(topic: Uint8Array, upload: Uint8Array, index: number): Uint8Array {
  const suffix = new Uint8Array(MAILBOX_UPLOAD_ID_BYTES + 4)
  suffix.set(upload)
  new DataView(suffix.buffer).setUint32(MAILBOX_UPLOAD_ID_BYTES, index)
  return key(CHUNK, topic, suffix)
}
/** Every chunk key of one upload, as a range. */
export const chunkRange = (topic: Uint8Array, upload: Uint8Array) => ({
  gte: chunkKey(topic, upload, 0),
  lte: chunkKey(topic, upload, 0xffffffff),
})
export const indexOfChunkKey = (k: Uint8Array): number =>
  new DataView(k.buffer, k.byteOffset, k.byteLength).getUint32(k.length - 4)
export const uploadOfUploadKey = (k: Uint8Array): Uint8Array => k.slice(TOPIC_KEY_BYTES)
/** The key range that holds every upload record (of every topic). */
export const uploadRange = { gte: new Uint8Array([UPLOAD]), lt: new Uint8Array([UPLOAD + 1]) }
export const topicOfUploadKey = (k: Uint8Array): Uint8Array => k.subarray(1, TOPIC_KEY_BYTES)
/** The key range that holds every meta record. */
export const metaRange = { gte: new Uint8Array([META]), lt: new Uint8Array([META + 1]) }
export const cursorOfEntryKey = (k: Uint8Array): number => readU64(k, k.length - 8)
export const topicOfMetaKey = (k: Uint8Array): Uint8Array => k.subarray(1)
export const TOPIC_KINDS = ['entry', 'hash', 'snapshot', 'chunked', 'upload', 'chunk', 'meta'] as const
/** Every key of `topic` of one kind, as a range (for deleting an expired topic). */
export function topicRange(kind: (typeof TOPIC_KINDS)[number], topic: Uint8Array) {
  const k = {
    entry: ENTRY,
    hash: HASH,
    snapshot: SNAPSHOT,
    chunked: CHUNKED,
    upload: UPLOAD,
    chunk: CHUNK,
    meta: META,
  }[kind]
  return { gte: key(k, topic), lte: key(k, topic, new Uint8Array(32).fill(0xff)) }
}

/** An upload in progress: the snapshot it will be, and how much of it is in. */
export interface UploadRecord {
  upTo: number
  count: number
  /** Distinct chunks stored. */
  received: number
  /** Their bytes. */
  size: number
  /** When its first chunk came, in seconds since the epoch (the oldest goes first past the cap). */
  createdAt: number
}

export function encodeUpload(u: UploadRecord): Uint8Array {
  const b = new Uint8Array(UPLOAD_BYTES)
  const v = new DataView(b.buffer)
  ;[u.upTo, u.count, u.received, u.size, u.createdAt].forEach((n, i) => v.setBigUint64(i * 8, BigInt(n)))
  return b
}

export function decodeUpload(b: Uint8Array): UploadRecord | null {
  if (b.length !== UPLOAD_BYTES) return null
  const n = (i: number) => readU64(b, i * 8)
  return { upTo: n(0), count: n(1), received: n(2), size: n(3), createdAt: n(4) }
}

/** The snapshot is the chunks of `upload`. */
export interface ChunkedRecord {
  upTo: number
  upload: Uint8Array
  count: number
}

export function encodeChunked(c: ChunkedRecord): Uint8Array {
  const b = new Uint8Array(CHUNKED_BYTES)
  b.set(u64(c.upTo))
  b.set(c.upload, 8)
  b.set(u64(c.count), 8 + MAILBOX_UPLOAD_ID_BYTES)
  return b
}

export function decodeChunked(b: Uint8Array): ChunkedRecord | null {
  if (b.length !== CHUNKED_BYTES) return null
  return {
    upTo: readU64(b),
    upload: b.slice(8, 8 + MAILBOX_UPLOAD_ID_BYTES),
    count: readU64(b, 8 + MAILBOX_UPLOAD_ID_BYTES),
  }
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
