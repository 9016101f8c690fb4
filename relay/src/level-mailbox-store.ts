// The embedded mailbox store (the default): LevelDB under --data. Per topic, a registered public key, an append-only log of opaque
// entries with increasing cursors, at most one snapshot that replaces the entries it covers (in one
// piece, or the chunks of an upload), and the uploads of chunked snapshots in progress.
// All state changes go through the BatchWriter (fsync'd group commit); every topic's mutations run one
// at a time (a promise chain per topic) so cursor assignment, dedupe and quota checks never race.
import { createHash } from 'node:crypto'
import { ClassicLevel } from 'classic-level'
import {
  MAILBOX_MAX_READ_LIMIT,
  MailboxErrorCode,
  appendSigningBytes,
  snapshotChunkSigningBytes,
  snapshotSigningBytes,
  type SnapshotChunk,
} from '@tailmesh/core'
import { BatchWriter, type WriteOp } from './batch-writer'
import { verifyEd25519 } from './ed25519'
import { bytesEqual, toHex } from './bytes'
import type { Limits } from './limits'
import type { Logger } from './logger'
import { MailboxError } from './mailbox-error'
import {
  MAX_UPLOADS_PER_TOPIC,
  META_COST,
  chunkedSnapshotCost,
  entryCost,
  snapshotCost,
  snapshotQuotaError,
  snapshotReplaced,
  topicQuota,
  topicQuotaError,
  uploadCost,
  type AppendResult,
  type CommitListener,
  type MailboxStore,
  type ReadResult,
  type StoreHealth,
  type StoreStats,
} from './mailbox-store'
import {
  TOPIC_KINDS,
  chunkKey,
  chunkRange,
  chunkedKey,
  cursorOfEntryKey,
  decodeChunked,
  decodeMeta,
  decodeUpload,
  encodeChunked,
  encodeMeta,
  encodeUpload,
  entryKey,
  hashKey,
  metaKey,
  metaRange,
  readU64,
  snapshotKey,
  storedCost,
  topicOfMetaKey,
  topicOfUploadKey,
  topicRange,
  u64,
  uploadKey,
  uploadOfUploadKey,
  uploadRange,
  type ChunkedRecord,
  type TopicMeta,
  type UploadRecord,
} from './mailbox-keys'

interface TopicState extends TopicMeta {
  /** Cursors handed out, committed or not (head counts only committed ones). */
  next: number
  /** Entries queued but not yet on disk, by hash: a replay while one is in flight waits for it. */
  inFlight: Map<string, Promise<number>>
  /** What the topic's uploads in progress cost (not in `bytes`: the quota bounds them apart). */
  staged: number
}

/** The snapshot a commit writes: one piece (op snapshot), or the chunks of a completed upload. */
type NewSnapshot =
  { kind: 'single'; bytes: Uint8Array } | { kind: 'chunked'; upload: Uint8Array; count: number; size: number }

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
      store.topics.set(toHex(topicOfMetaKey(k)), {
        ...meta,
        next: meta.head,
        inFlight: new Map(),
        staged: 0,
      })
      store.storedBytes += meta.bytes
    }
    // Uploads in progress (at most a few per topic) count in the totals too.
    for await (const [k, v] of db.iterator(uploadRange)) {
      const t = store.topics.get(toHex(topicOfUploadKey(k)))
      const u = decodeUpload(v)
      if (t === undefined || u === null) continue
      t.staged += uploadCost(u)
      store.storedBytes += uploadCost(u)
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
        for (const kind of TOPIC_KINDS)
          for await (const k of this.db.keys(topicRange(kind, topic))) ops.push({ type: 'del', key: k })
        await this.write(
          ops,
          () => {
            this.topics.delete(topicHex)
            this.storedBytes -= t.bytes + t.staged
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
    const ranges = TOPIC_KINDS.map((k) => topicRange(k, topic))
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
    const snapshotSize = known?.snapshotSize ?? 0
    if ((known?.bytes ?? 0) + cost > topicQuota(this.limits, snapshotSize))
      throw topicQuotaError(this.limits, snapshotSize)
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
      staged: 0,
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
      const t = this.known(topicHex)
      if (!verifyEd25519(t.publicKey, signature, snapshotSigningBytes(topic, upTo, snapshot)))
        throw new MailboxError(MailboxErrorCode.badSignature, 'signature does not verify under the topic key')
      checkUpTo(t, upTo)
      await this.commit(topic, topicHex, t, upTo, { kind: 'single', bytes: snapshot.slice() }, [], 0, [])
    })
  }

  /**
   * Stores one chunk of an upload where no reader sees it, durably; the chunk that completes the
   * upload commits it (commit below) in the same batch.
   */
  snapshotChunk(c: SnapshotChunk, signature: Uint8Array): Promise<{ committed: boolean }> {
    const { topic, upTo, upload, index, count, chunk } = c
    const topicHex = toHex(topic)
    return this.locked(topicHex, async () => {
      const t = this.known(topicHex)
      if (!verifyEd25519(t.publicKey, signature, snapshotChunkSigningBytes(c)))
        throw new MailboxError(MailboxErrorCode.badSignature, 'signature does not verify under the topic key')
      const current = t.snapshotCursor > 0 ? await this.chunkedOf(topic) : null
      if (current !== null && bytesEqual(current.upload, upload)) {
        // The last chunk sent again after its ack was lost: the upload is the snapshot already.
        if (upTo === current.upTo) return { committed: true }
        throw new MailboxError(MailboxErrorCode.badCursor, 'that upload is the snapshot already')
      }
      checkUpTo(t, upTo)
      const ops: WriteOp[] = []
      let stagedDelta = 0
      /** Uploads this write already deletes (or commits): the commit must not count them again. */
      const settled = [upload]
      const stored = await this.db.get(uploadKey(topic, upload))
      let u = stored === undefined ? null : decodeUpload(stored)
      if (u !== null && (u.upTo !== upTo || u.count !== count))
        throw new MailboxError(
          MailboxErrorCode.badCursor,
          `the chunk disagrees with its upload (up to ${u.upTo}, ${u.count} chunks)`,
        )
      if (u === null) {
        const uploads = await this.uploadsOf(topic)
        if (uploads.length >= MAX_UPLOADS_PER_TOPIC) {
          // Past the cap the oldest upload gives way (most likely one its client abandoned).
          const oldest = uploads.reduce((a, b) => (b.record.createdAt < a.record.createdAt ? b : a))
          ops.push(...(await this.discardOps(topic, oldest.upload)))
          stagedDelta -= uploadCost(oldest.record)
          settled.push(oldest.upload)
        }
        u = { upTo, count, received: 0, size: 0, createdAt: nowSeconds() }
      } else stagedDelta -= uploadCost(u)
      const previous = await this.db.get(chunkKey(topic, upload, index))
      const next: UploadRecord = {
        ...u,
        received: u.received + (previous === undefined ? 1 : 0),
        size: u.size - (previous?.length ?? 0) + chunk.length,
      }
      stagedDelta += uploadCost(next)
      const quota = topicQuota(this.limits, t.snapshotSize)
      if (t.staged + stagedDelta > quota)
        throw snapshotQuotaError(this.limits, 'the snapshot being uploaded', quota)
      if (this.storedBytes + stagedDelta > this.limits.storeQuotaBytes)
        throw new MailboxError(MailboxErrorCode.quotaExceeded, 'the relay is full')
      ops.push({ type: 'put', key: chunkKey(topic, upload, index), value: chunk.slice() })
      if (next.received === next.count) {
        // Its record goes; its chunks stay where they are and become the snapshot.
        ops.push({ type: 'del', key: uploadKey(topic, upload) })
        const snapshot: NewSnapshot = { kind: 'chunked', upload, count, size: next.size }
        await this.commit(topic, topicHex, t, upTo, snapshot, ops, stagedDelta - uploadCost(next), settled)
        return { committed: true }
      }
      ops.push({ type: 'put', key: uploadKey(topic, upload), value: encodeUpload(next) })
      await this.write(
        ops,
        () => {
          t.staged += stagedDelta
          this.storedBytes += stagedDelta
        },
        () => {},
      )
      return { committed: false }
    })
  }

  /**
   * In one durable batch with `ops` (whatever else the caller writes): `snapshot` becomes the topic's
   * snapshot up to `upTo`, the entries it covers, the previous snapshot and every upload in progress
   * that does not reach past `upTo` go. `stagedDelta` is what `ops` change in the uploads' cost, and
   * `settled` the uploads `ops` already delete or commit.
   */
  private async commit(
    topic: Uint8Array,
    topicHex: string,
    t: TopicState,
    upTo: number,
    snapshot: NewSnapshot,
    ops: WriteOp[],
    stagedDelta: number,
    settled: Uint8Array[],
  ): Promise<void> {
    let dropped = 0
    let entries = 0
    for await (const [k, v] of this.db.iterator({
      gt: entryKey(topic, t.snapshotCursor),
      lte: entryKey(topic, upTo),
    })) {
      ops.push({ type: 'del', key: k })
      dropped += storedCost(k.length, v.length)
      entries++
    }
    const old = t.snapshotCursor > 0 ? await this.chunkedOf(topic) : null
    if (old !== null) {
      ops.push({ type: 'del', key: chunkedKey(topic) }, ...(await this.chunkDels(topic, old.upload)))
      dropped += chunkedSnapshotCost(old.count, t.snapshotSize)
    } else if (t.snapshotCursor > 0) {
      ops.push({ type: 'del', key: snapshotKey(topic) })
      dropped += snapshotCost(t.snapshotSize)
    }
    for (const { upload, record } of await this.uploadsOf(topic)) {
      if (record.upTo > upTo || settled.some((u) => bytesEqual(u, upload))) continue
      ops.push(...(await this.discardOps(topic, upload)))
      stagedDelta -= uploadCost(record)
    }
    const size = snapshot.kind === 'single' ? snapshot.bytes.length : snapshot.size
    const bytes =
      t.bytes -
      dropped +
      (snapshot.kind === 'single' ? snapshotCost(size) : chunkedSnapshotCost(snapshot.count, size))
    const quota = topicQuota(this.limits, size)
    if (bytes > quota) throw snapshotQuotaError(this.limits, 'the snapshot', quota)
    if (snapshot.kind === 'single') {
      const value = new Uint8Array(8 + size)
      value.set(u64(upTo))
      value.set(snapshot.bytes, 8)
      ops.push({ type: 'put', key: snapshotKey(topic), value })
    } else {
      const record: ChunkedRecord = { upTo, upload: snapshot.upload.slice(), count: snapshot.count }
      ops.push({ type: 'put', key: chunkedKey(topic), value: encodeChunked(record) })
    }
    const next: TopicMeta = {
      publicKey: t.publicKey,
      head: t.next,
      snapshotCursor: upTo,
      snapshotSize: size,
      bytes,
      lastWrite: nowSeconds(),
    }
    ops.push({ type: 'put', key: metaKey(topic), value: encodeMeta(next) })
    await this.write(
      ops,
      () => {
        this.storedBytes += bytes - t.bytes + stagedDelta
        t.bytes = bytes
        t.staged += stagedDelta
        t.snapshotCursor = upTo
        t.snapshotSize = size
        t.lastWrite = next.lastWrite
        this.log.debug({ topic: topicHex.slice(0, 8), upTo, dropped: entries }, 'mailbox: compacted')
      },
      () => {},
    )
    this.compact(topic)
  }

  private known(topicHex: string): TopicState {
    const t = this.topics.get(topicHex)
    if (t === undefined) throw new MailboxError(MailboxErrorCode.unknownTopic, 'unknown topic')
    return t
  }

  /** The topic's chunked snapshot, if its snapshot is one. */
  private async chunkedOf(topic: Uint8Array, view?: ReturnType<ClassicLevel['snapshot']>) {
    const v = await this.db.get(chunkedKey(topic), view ? { snapshot: view } : {})
    return v === undefined ? null : decodeChunked(v)
  }

  private async uploadsOf(topic: Uint8Array): Promise<{ upload: Uint8Array; record: UploadRecord }[]> {
    const out = []
    for await (const [k, v] of this.db.iterator(topicRange('upload', topic))) {
      const record = decodeUpload(v)
      if (record !== null) out.push({ upload: uploadOfUploadKey(k), record })
    }
    return out
  }

  private async chunkDels(topic: Uint8Array, upload: Uint8Array): Promise<WriteOp[]> {
    const ops: WriteOp[] = []
    for await (const k of this.db.keys(chunkRange(topic, upload))) ops.push({ type: 'del', key: k })
    return ops
  }

  /** Deletes an upload in progress: its record and its chunks. */
  private async discardOps(topic: Uint8Array, upload: Uint8Array): Promise<WriteOp[]> {
    return [{ type: 'del', key: uploadKey(topic, upload) }, ...(await this.chunkDels(topic, upload))]
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
      if (meta === null)
        return { head: 0, snapshot: null, chunked: null, entries: [], next: after, more: false }
      let from = after
      let snapshot: ReadResult['snapshot'] = null
      const chunked = after < meta.snapshotCursor ? await this.chunkedOf(topic, view) : null
      if (chunked !== null) {
        // Its chunks come with readSnapshot, before anything after it.
        const { upTo: cursor, count } = chunked
        return {
          head: meta.head,
          snapshot: null,
          chunked: { cursor, count },
          entries: [],
          next: cursor,
          more: cursor < meta.head,
        }
      }
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
      return { head: meta.head, snapshot, chunked: null, entries, next, more: next < meta.head }
    } finally {
      await view.close()
    }
  }

  /** Chunks of the chunked snapshot up to `upTo`, from `from`, from one consistent view. */
  async readSnapshot(
    topic: Uint8Array,
    upTo: number,
    from: number,
    budget: number,
  ): Promise<{ count: number; chunks: Uint8Array[] }> {
    const view = this.db.snapshot()
    try {
      const chunked = await this.chunkedOf(topic, view)
      if (chunked === null || chunked.upTo !== upTo) throw snapshotReplaced()
      const chunks: Uint8Array[] = []
      if (from >= chunked.count) return { count: chunked.count, chunks }
      for await (const v of this.db.values({
        gte: chunkKey(topic, chunked.upload, from),
        lte: chunkKey(topic, chunked.upload, chunked.count - 1),
        snapshot: view,
      })) {
        if (chunks.length > 0 && budget < v.length) break
        budget -= v.length
        chunks.push(v)
      }
      return { count: chunked.count, chunks }
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

/** Whether a snapshot up to `upTo` may replace the topic's current one. */
function checkUpTo(t: TopicState, upTo: number): void {
  if (upTo > t.head)
    throw new MailboxError(MailboxErrorCode.badCursor, `upTo ${upTo} is beyond the topic's head ${t.head}`)
  if (upTo <= t.snapshotCursor)
    throw new MailboxError(
      MailboxErrorCode.badCursor,
      `upTo must be past the current snapshot (${t.snapshotCursor})`,
    )
}
