// What the mailbox endpoint and the libp2p node need from durable storage, whichever engine holds it:
// the embedded LevelDB (level-mailbox-store.ts, the default) or a Redis shared by many relay processes
// (redis-mailbox-store.ts). Both pass relay/test/mailbox-store-conformance.ts.
//
// Semantics every implementation keeps: an append resolves only once the entry is durable; cursors
// start at 1 and strictly increase per topic; a replayed entry gets its original cursor; a snapshot
// and the drop of the entries it covers are one atomic write (for a chunked snapshot: the write of its
// last chunk; readers never see an upload in progress, and until it completes the log stays as it
// was); a read is one consistent view; quotas count storedCost figures (mailbox-keys.ts) the same way
// for both engines.
import { MailboxErrorCode, type SnapshotChunk } from '@tailmesh/core'
import type { Limits } from './limits'
import { MailboxError } from './mailbox-error'
import {
  CHUNKED_BYTES,
  CHUNK_KEY_BYTES,
  ENTRY_KEY_BYTES,
  HASH_KEY_BYTES,
  META_BYTES,
  TOPIC_KEY_BYTES,
  UPLOAD_BYTES,
  UPLOAD_KEY_BYTES,
  storedCost,
} from './mailbox-keys'

export interface AppendResult {
  cursor: number
  duplicate: boolean
  /** This append registered the topic. */
  created: boolean
  /** Bytes it added to the store (0 for a duplicate). */
  bytes: number
}

export interface ReadResult {
  head: number
  snapshot: { cursor: number; bytes: Uint8Array } | null
  /** Instead of `snapshot` when it was uploaded in chunks (then no entries come with it). */
  chunked: { cursor: number; count: number } | null
  entries: { cursor: number; entry: Uint8Array }[]
  next: number
  more: boolean
}

export interface StoreStats {
  topics: number
  storedBytes: number
  expiredTopics: number
  compactionsPending: number
}

/** Which engine, and whether it can take writes right now (an embedded store always can). */
export interface StoreHealth {
  kind: 'leveldb' | 'redis'
  reachable: boolean
}

export type CommitListener = (topic: Uint8Array, topicHex: string, cursor: number, entry: Uint8Array) => void

/** What storing an entry of `n` bytes costs: the entry record and its dedupe hash record. */
export const entryCost = (n: number): number => storedCost(ENTRY_KEY_BYTES, n) + storedCost(HASH_KEY_BYTES, 8)

/** What a topic's meta record costs. */
export const META_COST = storedCost(TOPIC_KEY_BYTES, META_BYTES)
/** What a snapshot of `n` bytes costs (its record holds the cursor it covers up to, then the bytes). */
export const snapshotCost = (n: number): number => storedCost(TOPIC_KEY_BYTES, 8 + n)
/** What one stored chunk costs beyond its bytes. */
export const CHUNK_RECORD_COST = storedCost(CHUNK_KEY_BYTES, 0)
/** What an upload in progress costs: its record and the chunks it has so far. */
export const uploadCost = (u: { received: number; size: number }): number =>
  storedCost(UPLOAD_KEY_BYTES, UPLOAD_BYTES) + u.received * CHUNK_RECORD_COST + u.size
/** What a chunked snapshot of `count` chunks and `size` bytes costs: its record and its chunks. */
export const chunkedSnapshotCost = (count: number, size: number): number =>
  storedCost(TOPIC_KEY_BYTES, CHUNKED_BYTES) + count * CHUNK_RECORD_COST + size

/**
 * Uploads a topic may have in progress at once (members compacting at the same time, or an upload
 * its client abandoned): a new one past this discards the oldest.
 */
export const MAX_UPLOADS_PER_TOPIC = 4

/**
 * A topic's byte quota grows with its group: the configured quota plus twice the size of its
 * snapshot (the snapshot itself, and as much again for the dedupe records of the entries it
 * replaced and the log until the next one), at most maxTopicQuotaBytes. A relay cannot see how large
 * a group is; its snapshot is the one measure it has, and only members can write one.
 */
export function topicQuota(limits: Limits, snapshotSize: number): number {
  const base = limits.topicQuotaBytes
  return Math.max(base, Math.min(limits.maxTopicQuotaBytes, base + 2 * snapshotSize))
}

/** The refusal of an append past the topic's quota: the bound, and what to do about it. */
export function topicQuotaError(limits: Limits, snapshotSize: number): MailboxError {
  return new MailboxError(
    MailboxErrorCode.quotaExceeded,
    `the topic is over its quota of ${topicQuota(limits, snapshotSize)} bytes ` +
      `(${limits.topicQuotaBytes} plus twice its snapshot, at most ${limits.maxTopicQuotaBytes}): ` +
      'compact it with a snapshot',
  )
}

/** The refusal of a read of chunks from a snapshot another has replaced since. */
export function snapshotReplaced(): MailboxError {
  return new MailboxError(
    MailboxErrorCode.badCursor,
    "that snapshot is no longer the topic's: read again from your cursor",
  )
}

/** The refusal of a snapshot (or a chunk of one) that does not fit in the topic's quota. */
export function snapshotQuotaError(limits: Limits, what: string, quota: number): MailboxError {
  return new MailboxError(
    MailboxErrorCode.quotaExceeded,
    `${what} does not fit in the topic quota of ${quota} bytes (at most ${limits.maxTopicQuotaBytes} on this relay)`,
  )
}

export interface MailboxStore {
  /**
   * Called once per committed append to a watched topic, in cursor order per topic: the live push.
   * With a shared store this includes appends made through other relay processes.
   */
  onCommit: CommitListener
  /**
   * Asks for onCommit calls for `topicHex` (reference counted; the embedded store reports every topic
   * anyway). Resolves once every entry committed after it resolves will be reported.
   */
  watch(topicHex: string): Promise<void>
  unwatch(topicHex: string): void
  stats(): StoreStats
  health(): StoreHealth
  /** Deletes every topic not written for topicTtlSeconds, with all its entries, hashes and snapshot. */
  expireIdle(): Promise<void>
  /** Resolves once background compactions queued so far are done. */
  compacted(): Promise<void>
  /** The topic's registered public key, null when the topic is unknown. */
  publicKeyOf(topicHex: string): Promise<Uint8Array | null>
  /** The topic's newest committed cursor (0 for an empty or unknown topic). */
  head(topicHex: string): Promise<number>
  /**
   * Appends `entry` once its signature verifies; resolves with its cursor after the entry is durable.
   * `publicKey` registers a new topic and must match the registered key of a known one.
   */
  append(
    topic: Uint8Array,
    publicKey: Uint8Array | null,
    entry: Uint8Array,
    signature: Uint8Array,
    mayCreate?: boolean,
  ): Promise<AppendResult>
  /** Stores `snapshot` as covering `topic` up to `upTo` and drops the entries it covers, atomically. */
  snapshot(topic: Uint8Array, upTo: number, snapshot: Uint8Array, signature: Uint8Array): Promise<void>
  /**
   * Stores chunk `c.index` of upload `c.upload` (a snapshot of `c.count` chunks covering up to
   * `c.upTo`), durably, where no reader sees it. The chunk that completes the upload commits it: in one atomic
   * write the chunks become the snapshot, the entries it covers and the previous snapshot go, and so
   * do other uploads it makes pointless. A chunk sent again is stored once; the last one sent again
   * after its commit is answered `committed` again.
   */
  snapshotChunk(c: SnapshotChunk, signature: Uint8Array): Promise<{ committed: boolean }>
  /**
   * Entries after `after` (at most `limit`, about `budget` bytes, always at least one if any), preceded
   * by the snapshot when `after` is below its cursor, from one consistent view. A chunked snapshot is
   * only named (`chunked`), with no entries: its chunks are read with readSnapshot.
   */
  read(topic: Uint8Array, after: number, limit: number, budget: number): Promise<ReadResult>
  /**
   * Chunks of the chunked snapshot covering up to `upTo`, from index `from` on (about `budget` bytes,
   * always at least one if any), with how many it has. A 409 MailboxError when the topic's snapshot is
   * no longer that one: the reader reads again from its cursor.
   */
  readSnapshot(
    topic: Uint8Array,
    upTo: number,
    from: number,
    budget: number,
  ): Promise<{ count: number; chunks: Uint8Array[] }>
  /** Resolves once every request already started has been decided and written. */
  flush(): Promise<void>
  close(): Promise<void>
}
