// The embedded mailbox store (the default): LevelDB under --data. Per topic, a registered public key, an append-only log of opaque
// entries with increasing cursors, and at most one snapshot that replaces the entries it covers.
// All state changes go through the BatchWriter (fsync'd group commit); every topic's mutations run one
// at a time (a promise chain per topic) so cursor assignment, dedupe and quota checks never race.
import { createHash } from 'node:crypto'
import { ClassicLevel } from 'classic-level'
import {
  MAILBOX_MAX_READ_LIMIT,
  MailboxErrorCode,
  appendSigningBytes,
  snapshotSigningBytes,
} from '@tailmesh/core'
import { BatchWriter, type WriteOp } from './batch-writer'
import { verifyEd25519 } from './ed25519'
import { bytesEqual, toHex } from './bytes'
import type { Limits } from './limits'
import type { Logger } from './logger'
import { MailboxError } from './mailbox-error'
import {
  META_COST,
  entryCost,
  snapshotCost,
  type AppendResult,
  type CommitListener,
  type MailboxStore,
  type ReadResult,
  type StoreHealth,
  type StoreStats,
} from './mailbox-store'
import {
  cursorOfEntryKey,
  storedCost,
  topicRange,
  decodeMeta,
  encodeMeta,
  entryKey,
  hashKey,
  metaKey,
  metaRange,
  readU64,
  snapshotKey,
  topicOfMetaKey,
  u64,
  type TopicMeta,
} from './mailbox-keys'

interface TopicState extends TopicMeta {
  /** Cursors handed out, committed or not (head counts only committed ones). */
  next: number
  /** Entries queued but not yet on disk, by hash: a replay while one is in flight waits for it. */
  inFlight: Map<string, Promise<number>>
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000)

const MAX_CURSOR = Number.MAX_SAFE_INTEGER

export class LevelMailboxStore implements MailboxStore {
  private readonly topics = new Map<string, TopicState>()
  private readonly locks = new Map<string, Promise<unknown>>()
  private readonly writer: BatchWriter
  private storedBytes = 0
  private expired = 0
  private readonly sweep: NodeJS.Timeout
  private compacting: Promise<void> = Promise.resolve()
  private compactionsPending = 0
  /** Called once per committed append, in cursor order per topic: the live push. */
  onCommit: CommitListener = () => {}

  private constructor(
    private readonly db: ClassicLevel<Uint8Array, Uint8Array>,
    private readonly limits: Limits,
    private readonly log: Logger,
  ) {
    this.writer = new BatchWriter(db)
    // Idle topics expire: checked every tenth of the time to live, at least every hour.
    const every = Math.max(1000, Math.min(3600_000, (limits.topicTtlSeconds * 1000) / 10))
    this.sweep = setInterval(() => void this.expireIdle().catch(() => {}), every)
    this.sweep.unref()
  }

  static async open(dir: string, limits: Limits, log: Logger): Promise<LevelMailboxStore> {
    const db = new ClassicLevel<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' })
    await db.open()
    const store = new LevelMailboxStore(db, limits, log)
    // Every topic's meta is small (64 bytes) and the health endpoint reports totals, so load them all.
    for await (const [k, v] of db.iterator(metaRange)) {
      const meta = decodeMeta(v)
      if (meta === null) {
        log.error('mailbox: skipping a damaged topic record')
        continue
      }
      store.topics.set(toHex(topicOfMetaKey(k)), { ...meta, next: meta.head, inFlight: new Map() })
      store.storedBytes += meta.bytes
    }
    return store
  }

  /** Every commit is reported: one process holds every subscriber of the embedded store. */
  watch(): Promise<void> {
    return Promise.resolve()
  }

  unwatch(): void {}

  health(): StoreHealth {
    return { kind: 'leveldb', reachable: true }
  }

  stats(): StoreStats {
    return {
      topics: this.topics.size,
      storedBytes: this.storedBytes,
      expiredTopics: this.expired,
      compactionsPending: this.compactionsPending,
    }
  }

  /** Deletes every topic not written for topicTtlSeconds, with all its entries, hashes and snapshot. */
  async expireIdle(): Promise<void> {
    const cutoff = nowSeconds() - this.limits.topicTtlSeconds
    for (const [topicHex, t] of this.topics) {
      if (t.lastWrite > cutoff) continue
      await this.locked(topicHex, async () => {
        if (this.topics.get(topicHex) !== t || t.lastWrite > cutoff || t.next !== t.head) return
        const topic = new Uint8Array(Buffer.from(topicHex, 'hex'))
        const ops: WriteOp[] = []
        for (const kind of ['entry', 'hash', 'snapshot', 'meta'] as const)
          for await (const k of this.db.keys(topicRange(kind, topic))) ops.push({ type: 'del', key: k })
        await this.write(
          ops,
          () => {
            this.topics.delete(topicHex)
            this.storedBytes -= t.bytes
            this.expired++
            this.log.info({ topic: topicHex.slice(0, 8) }, 'mailbox: idle topic expired')
          },
          () => {},
        )
        this.compact(topic)
      })
    }
  }

  /**
   * Has LevelDB rewrite `topic`'s key ranges without what was deleted or overwritten, so the data
   * directory shrinks to what the quotas count. One at a time, in the background.
   */
  private compact(topic: Uint8Array): void {
    const ranges = (['entry', 'hash', 'snapshot', 'meta'] as const).map((k) => topicRange(k, topic))
    this.compactionsPending++
    this.compacting = this.compacting.then(async () => {
      for (const r of ranges) await this.db.compactRange(r.gte, r.lte).catch(() => {})
      this.compactionsPending--
    })
  }

  /** Resolves once background compactions queued so far are done. */
  compacted(): Promise<void> {
    return this.compacting
  }

  publicKeyOf(topicHex: string): Promise<Uint8Array | null> {
    return Promise.resolve(this.topics.get(topicHex)?.publicKey ?? null)
  }

  head(topicHex: string): Promise<number> {
    return Promise.resolve(this.topics.get(topicHex)?.head ?? 0)
  }

  /** Runs `fn` after every earlier call for the same topic has finished. */
  private locked<T>(topicHex: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(topicHex) ?? Promise.resolve()
    const run = prev.then(fn, fn)
    const tail = run.catch(() => {})
    this.locks.set(topicHex, tail)
    void tail.then(() => {
      if (this.locks.get(topicHex) === tail) this.locks.delete(topicHex)
    })
    return run
  }

  private write(ops: WriteOp[], onCommit: () => void, onFail: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.writer.write(
        ops,
        () => {
          onCommit()
          resolve()
        },
        (error) => {
          this.log.error({ err: error }, 'mailbox: write failed')
          onFail()
          reject(new MailboxError(MailboxErrorCode.internal, 'storage failed; retry later'))
        },
      )
    })
  }

  /**
   * Appends `entry` to `topic` once its signature verifies; resolves with its cursor after the entry
   * is durable. `publicKey` registers a new topic and must match the registered key of a known one.
   */
  async append(
    topic: Uint8Array,
    publicKey: Uint8Array | null,
    entry: Uint8Array,
    signature: Uint8Array,
    mayCreate = true,
  ): Promise<AppendResult> {
    const topicHex = toHex(topic)
    // The locked part only decides and queues; waiting for the disk happens outside it, so appends to
    // one busy topic still share fsyncs.
    const { done } = await this.locked(topicHex, async () => ({
      done: await this.decideAppend(topic, topicHex, publicKey, entry, signature, mayCreate),
    }))
    return done
  }

  private async decideAppend(
    topic: Uint8Array,
    topicHex: string,
    publicKey: Uint8Array | null,
    entry: Uint8Array,
    signature: Uint8Array,
    mayCreate: boolean,
  ): Promise<Promise<AppendResult>> {
    const known = this.topics.get(topicHex)
    const key = known?.publicKey ?? publicKey
    if (key === null)
      throw new MailboxError(
        MailboxErrorCode.unknownTopic,
        'unknown topic: the first append must carry its public key',
      )
    if (known !== undefined && publicKey !== null && !bytesEqual(publicKey, known.publicKey))
      throw new MailboxError(MailboxErrorCode.keyMismatch, 'the topic is registered under another key')
    if (!verifyEd25519(key, signature, appendSigningBytes(topic, entry)))
      throw new MailboxError(MailboxErrorCode.badSignature, 'signature does not verify under the topic key')

    const hash = createHash('sha256').update(entry).digest()
    const hashHex = hash.toString('hex')
    if (known !== undefined) {
      const inFlight = known.inFlight.get(hashHex)
      const dup = { duplicate: true, created: false, bytes: 0 }
      if (inFlight !== undefined) return inFlight.then((cursor) => ({ cursor, ...dup }))
      const stored = await this.db.get(hashKey(topic, hash))
      if (stored !== undefined) return Promise.resolve({ cursor: readU64(stored), ...dup })
    }
    const cost = entryCost(entry.length) + (known === undefined ? META_COST : 0)
    if ((known?.bytes ?? 0) + cost > this.limits.topicQuotaBytes)
      throw new MailboxError(
        MailboxErrorCode.quotaExceeded,
        `the topic is over its quota of ${this.limits.topicQuotaBytes} bytes: compact it with a snapshot`,
      )
    if (this.storedBytes + cost > this.limits.storeQuotaBytes)
      throw new MailboxError(MailboxErrorCode.quotaExceeded, 'the relay is full')
    if (known === undefined) {
      // The last share of the store is kept for the topics that already exist.
      if (this.storedBytes + cost > (this.limits.storeQuotaBytes * this.limits.newTopicFillPercent) / 100)
        throw new MailboxError(
          MailboxErrorCode.quotaExceeded,
          'the relay takes no new topics: it is nearly full',
        )
      if (!mayCreate)
        throw new MailboxError(
          MailboxErrorCode.rateLimited,
          'too many new topics from this client: try later',
        )
    }

    const t: TopicState = known ?? {
      publicKey: key.slice(),
      head: 0,
      next: 0,
      snapshotCursor: 0,
      snapshotSize: 0,
      bytes: 0,
      lastWrite: 0,
      inFlight: new Map(),
    }
    if (known === undefined) {
      this.topics.set(topicHex, t)
      this.log.info({ topic: topicHex.slice(0, 8) }, 'mailbox: topic registered')
    }
    const cursor = ++t.next
    t.bytes += cost
    t.lastWrite = nowSeconds()
    this.storedBytes += cost
    const stored = entry.slice()
    const ops: WriteOp[] = [
      { type: 'put', key: entryKey(topic, cursor), value: stored },
      { type: 'put', key: hashKey(topic, hash), value: u64(cursor) },
      { type: 'put', key: metaKey(topic), value: encodeMeta({ ...t, head: cursor }) },
    ]
    const done = this.write(
      ops,
      () => {
        t.head = Math.max(t.head, cursor)
        t.inFlight.delete(hashHex)
        this.onCommit(topic, topicHex, cursor, stored)
      },
      () => {
        // Cursors may skip a number after a failed write; they still only ever increase.
        t.bytes -= cost
        this.storedBytes -= cost
        t.inFlight.delete(hashHex)
      },
    ).then(() => ({ cursor, duplicate: false, created: known === undefined, bytes: cost }))
    const forDuplicates = done.then((r) => r.cursor)
    forDuplicates.catch(() => {}) // the original appender reports the failure; this copy must not be "unhandled"
    t.inFlight.set(hashHex, forDuplicates)
    return done
  }

  /**
   * Stores `snapshot` as covering `topic` up to and including `upTo`, and drops the entries it covers
   * in the same atomic batch. Resolves once that is durable.
   */
  snapshot(topic: Uint8Array, upTo: number, snapshot: Uint8Array, signature: Uint8Array): Promise<void> {
    const topicHex = toHex(topic)
    return this.locked(topicHex, async () => {
      const t = this.topics.get(topicHex)
      if (t === undefined) throw new MailboxError(MailboxErrorCode.unknownTopic, 'unknown topic')
      if (!verifyEd25519(t.publicKey, signature, snapshotSigningBytes(topic, upTo, snapshot)))
        throw new MailboxError(MailboxErrorCode.badSignature, 'signature does not verify under the topic key')
      if (upTo > t.head)
        throw new MailboxError(
          MailboxErrorCode.badCursor,
          `upTo ${upTo} is beyond the topic's head ${t.head}`,
        )
      if (upTo <= t.snapshotCursor)
        throw new MailboxError(
          MailboxErrorCode.badCursor,
          `upTo must be past the current snapshot (${t.snapshotCursor})`,
        )
      const ops: WriteOp[] = []
      let dropped = 0
      for await (const [k, v] of this.db.iterator({
        gt: entryKey(topic, t.snapshotCursor),
        lte: entryKey(topic, upTo),
      })) {
        ops.push({ type: 'del', key: k })
        dropped += storedCost(k.length, v.length)
      }
      const bytes =
        t.bytes -
        dropped -
        (t.snapshotCursor > 0 ? snapshotCost(t.snapshotSize) : 0) +
        snapshotCost(snapshot.length)
      if (bytes > this.limits.topicQuotaBytes)
        throw new MailboxError(MailboxErrorCode.quotaExceeded, 'the snapshot does not fit in the topic quota')
      const value = new Uint8Array(8 + snapshot.length)
      value.set(u64(upTo))
      value.set(snapshot, 8)
      const next: TopicMeta = {
        publicKey: t.publicKey,
        head: t.next,
        snapshotCursor: upTo,
        snapshotSize: snapshot.length,
        bytes,
        lastWrite: nowSeconds(),
      }
      ops.push({ type: 'put', key: snapshotKey(topic), value })
      ops.push({ type: 'put', key: metaKey(topic), value: encodeMeta(next) })
      await this.write(
        ops,
        () => {
          this.storedBytes += bytes - t.bytes
          t.bytes = bytes
          t.snapshotCursor = upTo
          t.snapshotSize = snapshot.length
          t.lastWrite = next.lastWrite
          this.log.debug({ topic: topicHex.slice(0, 8), upTo, dropped: ops.length - 2 }, 'mailbox: compacted')
        },
        () => {},
      )
      this.compact(topic)
    })
  }

  /**
   * Entries of `topic` with cursors after `after` (at most `limit`, and about `budget` bytes), preceded
   * by the snapshot when `after` is below the snapshot's cursor. Reads one consistent view of the
   * database, so a compaction that commits meanwhile can never open a gap.
   */
  async read(topic: Uint8Array, after: number, limit: number, budget: number): Promise<ReadResult> {
    const view = this.db.snapshot()
    try {
      const metaBytes = await this.db.get(metaKey(topic), { snapshot: view })
      const meta = metaBytes === undefined ? null : decodeMeta(metaBytes)
      if (meta === null) return { head: 0, snapshot: null, entries: [], next: after, more: false }
      let from = after
      let snapshot: ReadResult['snapshot'] = null
      if (after < meta.snapshotCursor) {
        const v = await this.db.get(snapshotKey(topic), { snapshot: view })
        if (v !== undefined) {
          snapshot = { cursor: readU64(v), bytes: v.subarray(8) }
          from = snapshot.cursor
          budget -= snapshot.bytes.length
        }
      }
      const entries: ReadResult['entries'] = []
      const max = Math.min(Math.max(limit, 1), MAILBOX_MAX_READ_LIMIT)
      for await (const [k, v] of this.db.iterator({
        gt: entryKey(topic, from),
        lte: entryKey(topic, MAX_CURSOR),
        limit: max,
        snapshot: view,
      })) {
        // Always return at least one entry, so a reader makes progress whatever the budget.
        if (entries.length > 0 && budget < v.length) break
        budget -= v.length
        entries.push({ cursor: cursorOfEntryKey(k), entry: v })
      }
      const next = entries.at(-1)?.cursor ?? from
      return { head: meta.head, snapshot, entries, next, more: next < meta.head }
    } finally {
      await view.close()
    }
  }

  /** Resolves once every request already started has been decided and written. */
  async flush(): Promise<void> {
    while (this.locks.size > 0) await Promise.allSettled([...this.locks.values()])
    await this.writer.drain()
  }

  /** Waits for queued writes, then closes the database. */
  async close(): Promise<void> {
    clearInterval(this.sweep)
    await this.flush()
    await this.compacting
    await this.db.close()
  }
}
