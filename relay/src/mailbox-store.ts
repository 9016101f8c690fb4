// What the mailbox endpoint and the libp2p node need from durable storage, whichever engine holds it:
// the embedded LevelDB (level-mailbox-store.ts, the default) or a Redis shared by many relay processes
// (redis-mailbox-store.ts). Both pass relay/test/mailbox-store-conformance.ts.
//
// Semantics every implementation keeps: an append resolves only once the entry is durable; cursors
// start at 1 and strictly increase per topic; a replayed entry gets its original cursor; a snapshot
// and the drop of the entries it covers are one atomic write; a read is one consistent view; quotas
// count storedCost figures (mailbox-keys.ts) the same way for both engines.
import { ENTRY_KEY_BYTES, HASH_KEY_BYTES, META_BYTES, TOPIC_KEY_BYTES, storedCost } from './mailbox-keys'

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
   * Entries after `after` (at most `limit`, about `budget` bytes, always at least one if any), preceded
   * by the snapshot when `after` is below its cursor, from one consistent view.
   */
  read(topic: Uint8Array, after: number, limit: number, budget: number): Promise<ReadResult>
  /** Resolves once every request already started has been decided and written. */
  flush(): Promise<void>
  close(): Promise<void>
}
