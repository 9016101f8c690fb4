// The mailbox in a Redis shared by any number of relay processes (--redis URL), laid out as y-redis
// lays out rooms: one stream per topic. Keys (the {topic} hash tag keeps a topic's keys together):
//
//   tm:{topic}:m   hash    pk (32 bytes), head, sc (snapshot cursor), ss (snapshot size), bytes, lw (last write, s)
//   tm:{topic}:e   stream  entry with id <cursor>-0 and one field e = the entry bytes
//   tm:{topic}:h   hash    sha256(entry) -> cursor (dedupe; kept after compaction)
//   tm:{topic}:s   string  the snapshot bytes (its cursor is sc)
//   tm:stats       hash    topics, bytes, expired: the whole store's totals
//   tm:idle        zset    topic hex scored by its last write: expiry finds idle topics without a scan
//
// Every change is one Lua script, so the checks (key, dedupe, quotas) and the writes they allow are
// atomic across processes, and a script's writes reach the append-only file together. The append
// script also SPUBLISHes `<cursor> <entry>` on tm:{topic}:p: processes with local subscribers listen
// there (sharded pub/sub, see redis-link.ts) and fill any gap from the stream, so pushes keep stream
// order everywhere. An append is acknowledged when the script's reply arrives: with `appendfsync
// always` (relay/redis.conf) Redis fsyncs the AOF before it replies, so a kill -9 of redis-server or of
// the relay loses nothing acknowledged. Signatures are checked here, before the script, against the key
// Redis holds; the script refuses if the key changed in between.
import { createHash } from 'node:crypto'
import {
  MAILBOX_MAX_READ_LIMIT,
  MailboxErrorCode,
  appendSigningBytes,
  snapshotSigningBytes,
} from '@tailmesh/core'
import { bytesEqual, toHex } from './bytes'
import { verifyEd25519 } from './ed25519'
import type { Limits } from './limits'
import type { Logger } from './logger'
import { MailboxError } from './mailbox-error'
import { ENTRY_KEY_BYTES, RECORD_OVERHEAD, TOPIC_KEY_BYTES } from './mailbox-keys'
import {
  META_COST,
  entryCost,
  type AppendResult,
  type CommitListener,
  type MailboxStore,
  type ReadResult,
  type StoreHealth,
  type StoreStats,
} from './mailbox-store'
import type { RedisLink } from './redis-link'

const keyOf = (topicHex: string, kind: 'm' | 'e' | 'h' | 's' | 'p'): string => `tm:{${topicHex}}:${kind}`
const STATS = 'tm:stats'
const IDLE = 'tm:idle'
const nowSeconds = (): number => Math.floor(Date.now() / 1000)
const KEY_CACHE_SIZE = 100_000

// KEYS: meta stream hashes stats idle
// ARGV: key register entry hash cost metaCost topicQuota storeQuota newTopicLimit mayCreate now topicHex channel
const APPEND = `
local pk = redis.call('HGET', KEYS[1], 'pk')
if pk then
  if pk ~= ARGV[1] then return {-1, 'mismatch'} end
  local c = redis.call('HGET', KEYS[3], ARGV[4])
  if c then return {tonumber(c), 1, 0, 0} end
elseif ARGV[2] ~= '1' then
  return {-1, 'unknown'}
end
local cost = tonumber(ARGV[5])
if not pk then cost = cost + tonumber(ARGV[6]) end
local bytes = tonumber(redis.call('HGET', KEYS[1], 'bytes') or '0')
local total = tonumber(redis.call('HGET', KEYS[4], 'bytes') or '0')
if bytes + cost > tonumber(ARGV[7]) then return {-1, 'topicQuota'} end
if total + cost > tonumber(ARGV[8]) then return {-1, 'full'} end
if not pk then
  if total + cost > tonumber(ARGV[9]) then return {-1, 'fill'} end
  if ARGV[10] ~= '1' then return {-1, 'rate'} end
  redis.call('HSET', KEYS[1], 'pk', ARGV[1], 'head', 0, 'sc', 0, 'ss', 0, 'bytes', 0)
  redis.call('HINCRBY', KEYS[4], 'topics', 1)
end
local cursor = redis.call('HINCRBY', KEYS[1], 'head', 1)
redis.call('XADD', KEYS[2], cursor .. '-0', 'e', ARGV[3])
redis.call('HSET', KEYS[3], ARGV[4], cursor)
redis.call('HINCRBY', KEYS[1], 'bytes', cost)
redis.call('HSET', KEYS[1], 'lw', ARGV[11])
redis.call('HINCRBY', KEYS[4], 'bytes', cost)
redis.call('ZADD', KEYS[5], ARGV[11], ARGV[12])
redis.call('SPUBLISH', ARGV[13], cursor .. ' ' .. ARGV[3])
if pk then return {cursor, 0, 0, cost} end
return {cursor, 0, 1, cost}
`

// KEYS: meta stream snapshot stats idle
// ARGV: key upTo snapshot topicQuota now topicHex entryRecordOverhead snapshotRecordOverhead
const SNAPSHOT = `
local m = redis.call('HMGET', KEYS[1], 'pk', 'head', 'sc', 'ss', 'bytes')
if not m[1] then return {-1, 'unknown'} end
if m[1] ~= ARGV[1] then return {-1, 'mismatch'} end
local upTo, head, sc, ss, bytes = tonumber(ARGV[2]), tonumber(m[2]), tonumber(m[3]), tonumber(m[4]), tonumber(m[5])
if upTo > head then return {-1, 'beyond', head} end
if upTo <= sc then return {-1, 'behind', sc} end
local over, snapOver = tonumber(ARGV[7]), tonumber(ARGV[8])
local dropped, from = 0, sc + 1
while true do
  local r = redis.call('XRANGE', KEYS[2], from .. '-0', upTo .. '-0', 'COUNT', 1000)
  for _, e in ipairs(r) do dropped = dropped + over + #e[2][2] end
  if #r < 1000 then break end
  from = tonumber(string.match(r[#r][1], '^%d+')) + 1
end
local after = bytes - dropped + snapOver + #ARGV[3]
if sc > 0 then after = after - snapOver - ss end
if after > tonumber(ARGV[4]) then return {-1, 'quota'} end
redis.call('XTRIM', KEYS[2], 'MINID', (upTo + 1) .. '-0')
redis.call('SET', KEYS[3], ARGV[3])
redis.call('HSET', KEYS[1], 'sc', upTo, 'ss', #ARGV[3], 'bytes', after, 'lw', ARGV[5])
redis.call('HINCRBY', KEYS[4], 'bytes', after - bytes)
redis.call('ZADD', KEYS[5], ARGV[5], ARGV[6])
return {0, after - bytes}
`

// KEYS: meta stream snapshot. ARGV: after limit budget
// -> {head, snapshotCursor (-1: none), snapshot, more (0/1), cursor1, entry1, cursor2, entry2, ...}
const READ = `
local m = redis.call('HMGET', KEYS[1], 'head', 'sc')
if not m[1] then return {0, -1, '', 0} end
local head, sc = tonumber(m[1]), tonumber(m[2])
local after, limit, budget = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local out = {head, -1, '', 0}
if after < sc then
  local s = redis.call('GET', KEYS[3])
  if s then out[2] = sc; out[3] = s; after = sc; budget = budget - #s end
end
local n = 0
local from = after + 1
while true do
  local r = redis.call('XRANGE', KEYS[2], from .. '-0', '+', 'COUNT', 64)
  if #r == 0 then return out end
  for _, e in ipairs(r) do
    local bytes = e[2][2]
    if n >= limit or (n > 0 and budget < #bytes) then out[4] = 1; return out end
    local c = tonumber(string.match(e[1], '^%d+'))
    budget = budget - #bytes
    n = n + 1
    out[#out + 1] = c
    out[#out + 1] = bytes
    from = c + 1
  end
end
`

// KEYS: stats idle. ARGV: cutoff -> number of topics deleted (at most 100 per call)
const EXPIRE = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, 100)
for _, t in ipairs(ids) do
  local p = 'tm:{' .. t .. '}:'
  local b = tonumber(redis.call('HGET', p .. 'm', 'bytes') or '0')
  redis.call('DEL', p .. 'm', p .. 'e', p .. 'h', p .. 's')
  redis.call('ZREM', KEYS[2], t)
  redis.call('HINCRBY', KEYS[1], 'bytes', -b)
  redis.call('HINCRBY', KEYS[1], 'topics', -1)
  redis.call('HINCRBY', KEYS[1], 'expired', 1)
end
return #ids
`

type ScriptReply = (number | Buffer)[]

interface Watch {
  count: number
  /** The newest cursor reported (or known to be at most the head when the watch began). */
  last: number
  /** Pushes for this topic are handled one after another (a gap fill reads Redis first). */
  chain: Promise<void>
  ready: Promise<void>
  handler: (message: Buffer) => void
}

export class RedisMailboxStore implements MailboxStore {
  onCommit: CommitListener = () => {}
  private cached: StoreStats = { topics: 0, storedBytes: 0, expiredTopics: 0, compactionsPending: 0 }
  private statsOk = false
  private readonly watches = new Map<string, Watch>()
  /**
   * Topic keys this process has read: a topic's key never changes while it exists, so an append
   * needs no round trip to fetch it. The append script still compares it with the stored one (an
   * expired topic registered again under another key): on a mismatch the entry is dropped and read again.
   */
  private readonly keys = new Map<string, Uint8Array>()
  private readonly timers: NodeJS.Timeout[] = []
  private readonly pending = new Set<Promise<unknown>>()

  private constructor(
    private readonly link: RedisLink,
    private readonly limits: Limits,
    private readonly log: Logger,
  ) {
    // Totals for /healthz come from Redis once a second (health must not wait on the network); the
    // same round trip tells whether Redis answers.
    this.timers.push(setInterval(() => void this.refreshStats(), 1000))
    const every = Math.max(1000, Math.min(3600_000, (limits.topicTtlSeconds * 1000) / 10))
    this.timers.push(setInterval(() => void this.expireIdle().catch(() => {}), every))
    for (const t of this.timers) t.unref()
    link.onReconnect(() => {
      for (const [topicHex, w] of this.watches) this.fill(topicHex, w, Number.MAX_SAFE_INTEGER)
      void this.refreshStats()
    })
  }

  static async open(link: RedisLink, limits: Limits, log: Logger): Promise<RedisMailboxStore> {
    const store = new RedisMailboxStore(link, limits, log)
    await store.refreshStats()
    return store
  }

  private async refreshStats(): Promise<void> {
    try {
      const [topics, bytes, expired] = await this.link.cmd.hmget(STATS, 'topics', 'bytes', 'expired')
      this.cached = {
        topics: Number(topics ?? 0),
        storedBytes: Number(bytes ?? 0),
        expiredTopics: Number(expired ?? 0),
        compactionsPending: 0,
      }
      this.statsOk = true
    } catch {
      this.statsOk = false
    }
  }

  stats(): StoreStats {
    return this.cached
  }

  health(): StoreHealth {
    return { kind: 'redis', reachable: this.statsOk && this.link.reachable }
  }

  /** Runs a Redis call, turning "Redis is gone" into the error clients see (never an acknowledgement). */
  private async redis<T>(call: () => Promise<T>): Promise<T> {
    const p = call()
    this.pending.add(p)
    try {
      return await p
    } catch (err) {
      if (err instanceof MailboxError) throw err
      this.log.warn({ err: (err as Error).message }, 'mailbox: redis call failed')
      throw new MailboxError(
        MailboxErrorCode.internal,
        'storage unavailable: the relay cannot reach its Redis; retry later',
      )
    } finally {
      this.pending.delete(p)
    }
  }

  private eval(script: string, keys: string[], args: (string | number | Buffer)[]): Promise<ScriptReply> {
    // EVAL caches the script by its SHA1 on the server; ioredis' defineCommand would EVALSHA first, but
    // a Redis restarted from its AOF has an empty script cache and the round trip saved is small.
    return this.redis(
      () => this.link.cmd.callBuffer('EVAL', script, keys.length, ...keys, ...args) as Promise<ScriptReply>,
    )
  }

  async expireIdle(): Promise<void> {
    const cutoff = nowSeconds() - this.limits.topicTtlSeconds
    for (;;) {
      const n = (await this.redis(() => this.link.cmd.eval(EXPIRE, 2, STATS, IDLE, cutoff))) as number
      if (n > 0) this.log.info({ topics: n }, 'mailbox: idle topics expired')
      if (n < 100) break
    }
    await this.refreshStats()
  }

  compacted(): Promise<void> {
    // Redis frees a trimmed stream's memory at once; AOF rewrites are Redis' own business.
    return Promise.resolve()
  }

  async publicKeyOf(topicHex: string): Promise<Uint8Array | null> {
    const pk = await this.redis(() => this.link.cmd.hgetBuffer(keyOf(topicHex, 'm'), 'pk'))
    return pk === null ? null : new Uint8Array(pk)
  }

  async head(topicHex: string): Promise<number> {
    return Number((await this.redis(() => this.link.cmd.hget(keyOf(topicHex, 'm'), 'head'))) ?? 0)
  }

  /** The topic's key, from this process's memory when it has read it before. */
  private async keyOf(topicHex: string): Promise<Uint8Array | null> {
    const cached = this.keys.get(topicHex)
    if (cached !== undefined) return cached
    const key = await this.publicKeyOf(topicHex)
    if (key !== null) {
      // Bounded: past the cap, start again (a miss costs one HGET).
      if (this.keys.size >= KEY_CACHE_SIZE) this.keys.clear()
      this.keys.set(topicHex, key)
    }
    return key
  }

  async append(
    topic: Uint8Array,
    publicKey: Uint8Array | null,
    entry: Uint8Array,
    signature: Uint8Array,
    mayCreate = true,
  ): Promise<AppendResult> {
    const topicHex = toHex(topic)
    const cachedKey = this.keys.has(topicHex)
    try {
      return await this.appendOnce(topic, topicHex, publicKey, entry, signature, mayCreate)
    } catch (err) {
      // Maybe a key remembered from before the topic expired and was registered again: judge the
      // append once more against the key Redis holds (a refusal costs one more HGET).
      if (!cachedKey || !(err instanceof MailboxError)) throw err
      this.keys.delete(topicHex)
      return this.appendOnce(topic, topicHex, publicKey, entry, signature, mayCreate)
    }
  }

  private async appendOnce(
    topic: Uint8Array,
    topicHex: string,
    publicKey: Uint8Array | null,
    entry: Uint8Array,
    signature: Uint8Array,
    mayCreate: boolean,
  ): Promise<AppendResult> {
    const known = await this.keyOf(topicHex)
    const key = known ?? publicKey
    if (key === null)
      throw new MailboxError(
        MailboxErrorCode.unknownTopic,
        'unknown topic: the first append must carry its public key',
      )
    if (known !== null && publicKey !== null && !bytesEqual(publicKey, known))
      throw new MailboxError(MailboxErrorCode.keyMismatch, 'the topic is registered under another key')
    if (!verifyEd25519(key, signature, appendSigningBytes(topic, entry)))
      throw new MailboxError(MailboxErrorCode.badSignature, 'signature does not verify under the topic key')
    const hash = createHash('sha256').update(entry).digest()
    const { limits } = this
    const r = await this.eval(
      APPEND,
      [keyOf(topicHex, 'm'), keyOf(topicHex, 'e'), keyOf(topicHex, 'h'), STATS, IDLE],
      [
        Buffer.from(key),
        publicKey !== null && bytesEqual(publicKey, key) ? '1' : '0',
        Buffer.from(entry.buffer, entry.byteOffset, entry.byteLength),
        hash,
        entryCost(entry.length),
        META_COST,
        limits.topicQuotaBytes,
        limits.storeQuotaBytes,
        Math.floor((limits.storeQuotaBytes * limits.newTopicFillPercent) / 100),
        mayCreate ? '1' : '0',
        nowSeconds(),
        topicHex,
        keyOf(topicHex, 'p'),
      ],
    )
    const cursor = r[0] as number
    if (cursor < 0) throw appendRefusal(String(r[1]), publicKey !== null, limits)
    const created = r[2] === 1
    if (created) this.keys.set(topicHex, key)
    // This process's own subscribers need not wait for the pub/sub round trip: pushed now, in
    // order with the channel (whichever comes second is a cursor already reported).
    const w = this.watches.get(topicHex)
    if (w !== undefined && r[1] !== 1) this.push(topicHex, w, cursor, entry)
    if (created) this.log.info({ topic: topicHex.slice(0, 8) }, 'mailbox: topic registered')
    const bytes = r[3] as number
    // This process's own writes show in the totals at once; the refresh brings in everyone else's.
    const c = this.cached
    this.cached = { ...c, topics: c.topics + (created ? 1 : 0), storedBytes: c.storedBytes + bytes }
    return { cursor, duplicate: r[1] === 1, created, bytes }
  }

  async snapshot(
    topic: Uint8Array,
    upTo: number,
    snapshot: Uint8Array,
    signature: Uint8Array,
  ): Promise<void> {
    const topicHex = toHex(topic)
    const key = await this.publicKeyOf(topicHex)
    if (key === null) throw new MailboxError(MailboxErrorCode.unknownTopic, 'unknown topic')
    if (!verifyEd25519(key, signature, snapshotSigningBytes(topic, upTo, snapshot)))
      throw new MailboxError(MailboxErrorCode.badSignature, 'signature does not verify under the topic key')
    const r = await this.eval(
      SNAPSHOT,
      [keyOf(topicHex, 'm'), keyOf(topicHex, 'e'), keyOf(topicHex, 's'), STATS, IDLE],
      [
        Buffer.from(key),
        upTo,
        Buffer.from(snapshot.buffer, snapshot.byteOffset, snapshot.byteLength),
        this.limits.topicQuotaBytes,
        nowSeconds(),
        topicHex,
        ENTRY_KEY_BYTES + RECORD_OVERHEAD,
        TOPIC_KEY_BYTES + 8 + RECORD_OVERHEAD,
      ],
    )
    if (r[0] === 0) {
      this.cached = { ...this.cached, storedBytes: this.cached.storedBytes + (r[1] as number) }
      this.log.debug({ topic: topicHex.slice(0, 8), upTo }, 'mailbox: compacted')
      return
    }
    switch (String(r[1])) {
      case 'unknown':
        throw new MailboxError(MailboxErrorCode.unknownTopic, 'unknown topic')
      case 'mismatch':
        throw new MailboxError(MailboxErrorCode.badSignature, 'signature does not verify under the topic key')
      case 'beyond':
        throw new MailboxError(MailboxErrorCode.badCursor, `upTo ${upTo} is beyond the topic's head ${r[2]}`)
      case 'behind':
        throw new MailboxError(MailboxErrorCode.badCursor, `upTo must be past the current snapshot (${r[2]})`)
      default:
        throw new MailboxError(MailboxErrorCode.quotaExceeded, 'the snapshot does not fit in the topic quota')
    }
  }

  async read(topic: Uint8Array, after: number, limit: number, budget: number): Promise<ReadResult> {
    const topicHex = toHex(topic)
    const max = Math.min(Math.max(limit, 1), MAILBOX_MAX_READ_LIMIT)
    const r = await this.eval(
      READ,
      [keyOf(topicHex, 'm'), keyOf(topicHex, 'e'), keyOf(topicHex, 's')],
      [after, max, budget],
    )
    const head = r[0] as number
    const snapshotCursor = r[1] as number
    const snapshot =
      snapshotCursor >= 0 ? { cursor: snapshotCursor, bytes: new Uint8Array(r[2] as Buffer) } : null
    const entries: ReadResult['entries'] = []
    for (let i = 4; i + 1 < r.length; i += 2)
      entries.push({ cursor: r[i] as number, entry: new Uint8Array(r[i + 1] as Buffer) })
    const next = entries.at(-1)?.cursor ?? snapshot?.cursor ?? after
    return { head, snapshot, entries, next, more: r[3] === 1 }
  }

  watch(topicHex: string): Promise<void> {
    const existing = this.watches.get(topicHex)
    if (existing !== undefined) {
      existing.count++
      return existing.ready
    }
    const w: Watch = {
      count: 1,
      last: -1,
      chain: Promise.resolve(),
      ready: Promise.resolve(),
      handler: (message) => this.onMessage(topicHex, w, message),
    }
    this.watches.set(topicHex, w)
    w.ready = this.redis(() => this.link.listen(keyOf(topicHex, 'p'), w.handler)).then(async () => {
      // Everything committed from now on arrives on the channel; what came before is at most the head.
      const head = await this.head(topicHex)
      if (w.last < 0) w.last = head
    })
    w.ready.catch(() => {})
    return w.ready
  }

  unwatch(topicHex: string): void {
    const w = this.watches.get(topicHex)
    if (w === undefined || --w.count > 0) return
    this.watches.delete(topicHex)
    this.link.stopListening(keyOf(topicHex, 'p'), w.handler)
  }

  private onMessage(topicHex: string, w: Watch, message: Buffer): void {
    const space = message.indexOf(0x20)
    const cursor = Number(message.subarray(0, space).toString('latin1'))
    if (space < 1 || !Number.isSafeInteger(cursor)) return
    this.push(topicHex, w, cursor, new Uint8Array(message.subarray(space + 1)))
  }

  /** Reports a committed entry after any gap before it is filled from the stream. */
  private push(topicHex: string, w: Watch, cursor: number, entry: Uint8Array): void {
    w.chain = w.chain.then(async () => {
      if (w.last >= 0 && cursor > w.last + 1) await this.fillNow(topicHex, w, cursor - 1)
      this.report(topicHex, w, cursor, entry)
    })
  }

  private report(topicHex: string, w: Watch, cursor: number, entry: Uint8Array): void {
    if (cursor <= w.last || this.watches.get(topicHex) !== w) return
    w.last = cursor
    this.onCommit(new Uint8Array(Buffer.from(topicHex, 'hex')), topicHex, cursor, entry)
  }

  /** Queues a read of what pub/sub may have dropped, up to `upTo`, in order with the pushes. */
  private fill(topicHex: string, w: Watch, upTo: number): void {
    w.chain = w.chain.then(() => this.fillNow(topicHex, w, upTo))
  }

  private async fillNow(topicHex: string, w: Watch, upTo: number): Promise<void> {
    const topic = new Uint8Array(Buffer.from(topicHex, 'hex'))
    try {
      for (;;) {
        if (w.last < 0) return
        const r = await this.read(topic, w.last, MAILBOX_MAX_READ_LIMIT, 4 * 1024 * 1024)
        for (const e of r.entries) if (e.cursor <= upTo) this.report(topicHex, w, e.cursor, e.entry)
        // Entries a snapshot already dropped cannot be pushed: subscribers read from their cursor.
        if (r.snapshot !== null && r.snapshot.cursor > w.last) w.last = Math.min(r.snapshot.cursor, upTo)
        if (!r.more || r.next >= upTo) return
      }
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'mailbox: could not fill a push gap from redis')
    }
  }

  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending])
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t)
    await this.flush()
    for (const [topicHex, w] of this.watches) this.link.stopListening(keyOf(topicHex, 'p'), w.handler)
    this.watches.clear()
  }
}

function appendRefusal(reason: string, carriedKey: boolean, limits: Limits): MailboxError {
  switch (reason) {
    case 'mismatch':
      return carriedKey
        ? new MailboxError(MailboxErrorCode.keyMismatch, 'the topic is registered under another key')
        : new MailboxError(MailboxErrorCode.badSignature, 'signature does not verify under the topic key')
    case 'unknown':
      return new MailboxError(
        MailboxErrorCode.unknownTopic,
        'unknown topic: the first append must carry its public key',
      )
    case 'topicQuota':
      return new MailboxError(
        MailboxErrorCode.quotaExceeded,
        `the topic is over its quota of ${limits.topicQuotaBytes} bytes: compact it with a snapshot`,
      )
    case 'full':
      return new MailboxError(MailboxErrorCode.quotaExceeded, 'the relay is full')
    case 'fill':
      return new MailboxError(
        MailboxErrorCode.quotaExceeded,
        'the relay takes no new topics: it is nearly full',
      )
    default:
      return new MailboxError(MailboxErrorCode.rateLimited, 'too many new topics from this client: try later')
  }
}
