// The mailbox in a Redis shared by any number of relay processes (--redis URL), laid out as y-redis
// lays out rooms: one stream per topic. Keys (the {topic} hash tag keeps a topic's keys together):
//
//   tm:{topic}:m   hash    pk (32 bytes), head, sc (snapshot cursor), ss (snapshot size), bytes, lw (last write, s),
//                          su, sn (a chunked snapshot: its upload id in hex and its chunk count)
//   tm:{topic}:e   stream  entry with id <cursor>-0 and one field e = the entry bytes
//   tm:{topic}:h   hash    sha256(entry) -> cursor (dedupe; kept after compaction)
//   tm:{topic}:s   string  the snapshot bytes (its cursor is sc), when uploaded in one piece
//   tm:{topic}:u   hash    upload id (hex) -> "upTo count received size createdAt": uploads in progress
//   tm:{topic}:c:<upload>  hash  chunk index -> chunk bytes (an upload in progress, or the snapshot su)
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
  snapshotChunkSigningBytes,
  snapshotSigningBytes,
  type SnapshotChunk,
} from '@tailmesh/core'
import { bytesEqual, toHex } from './bytes'
import { verifyEd25519 } from './ed25519'
import type { Limits } from './limits'
import type { Logger } from './logger'
import { MailboxError } from './mailbox-error'
import {
  CHUNKED_BYTES,
  ENTRY_KEY_BYTES,
  RECORD_OVERHEAD,
  TOPIC_KEY_BYTES,
  UPLOAD_BYTES,
  UPLOAD_KEY_BYTES,
  storedCost,
} from './mailbox-keys'
import {
  CHUNK_RECORD_COST,
  MAX_UPLOADS_PER_TOPIC,
  META_COST,
  entryCost,
  snapshotQuotaError,
  snapshotReplaced,
  topicQuotaError,
  type AppendResult,
  type CommitListener,
  type MailboxStore,
  type ReadResult,
  type StoreHealth,
  type StoreStats,
} from './mailbox-store'
import type { RedisLink } from './redis-link'

const keyOf = (topicHex: string, kind: 'm' | 'e' | 'h' | 's' | 'u' | 'p' | 'c:'): string =>
  `tm:{${topicHex}}:${kind}`
const STATS = 'tm:stats'
const IDLE = 'tm:idle'
const nowSeconds = (): number => Math.floor(Date.now() / 1000)
const KEY_CACHE_SIZE = 100_000
const UPLOAD_RECORD_COST = storedCost(UPLOAD_KEY_BYTES, UPLOAD_BYTES)
/** The cost figures the snapshot scripts take (SNAPSHOT_COMMON): the same as LevelDB's. */
const SNAPSHOT_COSTS = [
  ENTRY_KEY_BYTES + RECORD_OVERHEAD,
  TOPIC_KEY_BYTES + 8 + RECORD_OVERHEAD,
  CHUNK_RECORD_COST,
  UPLOAD_RECORD_COST,
  storedCost(TOPIC_KEY_BYTES, CHUNKED_BYTES),
].join(' ')

// KEYS: meta stream hashes stats idle
// ARGV: key register entry hash cost metaCost topicQuota storeQuota newTopicLimit mayCreate now topicHex channel
//       maxTopicQuota
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
local mb = redis.call('HMGET', KEYS[1], 'bytes', 'ss')
local bytes, ss = tonumber(mb[1] or '0'), tonumber(mb[2] or '0')
local total = tonumber(redis.call('HGET', KEYS[4], 'bytes') or '0')
local base = tonumber(ARGV[7])
if bytes + cost > math.max(base, math.min(tonumber(ARGV[14]), base + 2 * ss)) then return {-1, 'topicQuota', ss} end
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

// The part both snapshot scripts share. KEYS: meta stream snapshot uploads stats idle. ARGV: key upTo
// baseQuota maxQuota now topicHex chunkPrefix "entryOver snapshotOver chunkOver uploadCost chunkedOver"
// (the cost figures of mailbox-store.ts), then each script's own.
const SNAPSHOT_COMMON = `
local m = redis.call('HMGET', KEYS[1], 'pk', 'head', 'sc', 'ss', 'bytes', 'su', 'sn')
if not m[1] then return {-1, 'unknown'} end
if m[1] ~= ARGV[1] then return {-1, 'mismatch'} end
local upTo, head, sc, ss, bytes = tonumber(ARGV[2]), tonumber(m[2]), tonumber(m[3]), tonumber(m[4]), tonumber(m[5])
local su, sn = m[6] or '', tonumber(m[7] or '0')
local k = {}
for n in string.gmatch(ARGV[8], '%d+') do k[#k + 1] = tonumber(n) end
local entryOver, snapOver, chunkOver, uploadOver, chunkedOver = k[1], k[2], k[3], k[4], k[5]
local function quota(size)
  local base = tonumber(ARGV[3])
  return math.max(base, math.min(tonumber(ARGV[4]), base + 2 * size))
end
local function parse(s)
  local u = {}
  for n in string.gmatch(s, '%d+') do u[#u + 1] = tonumber(n) end
  return u
end
local function cost(u) return uploadOver + u[3] * chunkOver + u[4] end
local ids, uploads = {}, {}
local all = redis.call('HGETALL', KEYS[4])
for i = 1, #all, 2 do
  ids[#ids + 1] = all[i]
  uploads[all[i]] = parse(all[i + 1])
end
local function checkUpTo()
  if upTo > head then return {-1, 'beyond', head} end
  if upTo <= sc then return {-1, 'behind', sc} end
end
-- What a snapshot up to upTo frees: the entries it covers and the snapshot it replaces.
local function freed()
  local dropped, from = 0, sc + 1
  while true do
    local r = redis.call('XRANGE', KEYS[2], from .. '-0', upTo .. '-0', 'COUNT', 1000)
    for _, e in ipairs(r) do dropped = dropped + entryOver + #e[2][2] end
    if #r < 1000 then break end
    from = tonumber(string.match(r[#r][1], '^%d+')) + 1
  end
  if su ~= '' then return dropped + chunkedOver + sn * chunkOver + ss end
  if sc > 0 then return dropped + snapOver + ss end
  return dropped
end
-- Deletes an upload in progress; returns what it cost.
local function discard(id)
  redis.call('DEL', ARGV[7] .. id)
  redis.call('HDEL', KEYS[4], id)
  return cost(uploads[id])
end
-- The new snapshot (size bytes, the chunks of upload newSu or in one piece) replaces the old one and
-- the entries it covers; uploads that do not reach past it go. Returns the change of stored bytes
-- beyond after - bytes (the uploads discarded).
local function replace(size, newSu, newSn, after, keep)
  local gone = 0
  for _, id in ipairs(ids) do
    if id ~= keep and uploads[id][1] <= upTo and redis.call('HEXISTS', KEYS[4], id) == 1 then
      gone = gone + discard(id)
    end
  end
  redis.call('XTRIM', KEYS[2], 'MINID', (upTo + 1) .. '-0')
  if su ~= '' then redis.call('DEL', ARGV[7] .. su) end
  if newSu == '' then
    redis.call('HDEL', KEYS[1], 'su', 'sn')
  else
    redis.call('DEL', KEYS[3])
    redis.call('HSET', KEYS[1], 'su', newSu, 'sn', newSn)
  end
  redis.call('HSET', KEYS[1], 'sc', upTo, 'ss', size, 'bytes', after, 'lw', ARGV[5])
  redis.call('ZADD', KEYS[6], ARGV[5], ARGV[6])
  return -gone
end
`

// ARGV (after the common ones): snapshot
const SNAPSHOT = `${SNAPSHOT_COMMON}
local bad = checkUpTo()
if bad then return bad end
local size = #ARGV[9]
local after = bytes - freed() + snapOver + size
if after > quota(size) then return {-1, 'quota', quota(size)} end
local delta = after - bytes + replace(size, '', 0, after, nil)
redis.call('SET', KEYS[3], ARGV[9])
redis.call('HINCRBY', KEYS[5], 'bytes', delta)
return {0, delta}
`

// KEYS (after the common ones): this upload's chunks. ARGV (after the common ones): upload index count
// chunk storeQuota maxUploads -> {1 committed | 0 stored, change of stored bytes} or a refusal
const CHUNK = `${SNAPSHOT_COMMON}
local upload, index, count = ARGV[9], ARGV[10], tonumber(ARGV[11])
if su == upload then
  -- The last chunk sent again after its ack was lost: the upload is the snapshot already.
  if upTo == sc then return {1, 0} end
  return {-1, 'committed'}
end
local bad = checkUpTo()
if bad then return bad end
local staged = 0
for _, id in ipairs(ids) do staged = staged + cost(uploads[id]) end
local delta, oldest = 0, nil
local u = uploads[upload]
if u then
  if u[1] ~= upTo or u[2] ~= count then return {-1, 'disagree', u[1], u[2]} end
  delta = delta - cost(u)
else
  if #ids >= tonumber(ARGV[14]) then
    oldest = ids[1]
    for _, id in ipairs(ids) do if uploads[id][5] < uploads[oldest][5] then oldest = id end end
    delta = delta - cost(uploads[oldest])
  end
  u = {upTo, count, 0, 0, tonumber(ARGV[5])}
end
local previous = redis.call('HSTRLEN', KEYS[7], index)
local next = {u[1], u[2], u[3] + (previous == 0 and 1 or 0), u[4] - previous + #ARGV[12], u[5]}
delta = delta + cost(next)
if staged + delta > quota(ss) then return {-1, 'staging', quota(ss)} end
local total = tonumber(redis.call('HGET', KEYS[5], 'bytes') or '0')
if total + delta > tonumber(ARGV[13]) then return {-1, 'full'} end
local after = bytes
if next[3] == count then
  after = bytes - freed() + chunkedOver + count * chunkOver + next[4]
  if after > quota(next[4]) then return {-1, 'quota', quota(next[4])} end
end
if oldest then discard(oldest) end
redis.call('HSET', KEYS[7], index, ARGV[12])
if next[3] < count then
  redis.call('HSET', KEYS[4], upload, table.concat(next, ' '))
  redis.call('HINCRBY', KEYS[5], 'bytes', delta)
  return {0, delta}
end
-- The last chunk: the upload's record goes, its chunks become the snapshot.
redis.call('HDEL', KEYS[4], upload)
delta = delta - cost(next) + after - bytes + replace(next[4], upload, count, after, upload)
redis.call('HINCRBY', KEYS[5], 'bytes', delta)
return {1, delta}
`

// KEYS: meta stream snapshot. ARGV: after limit budget
// -> {head, snapshotCursor (-1: none), snapshot, more (0/1), chunks (0: not chunked), cursor1, entry1, ...}
const READ = `
local m = redis.call('HMGET', KEYS[1], 'head', 'sc', 'su', 'sn')
if not m[1] then return {0, -1, '', 0, 0} end
local head, sc = tonumber(m[1]), tonumber(m[2])
local after, limit, budget = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local out = {head, -1, '', 0, 0}
if after < sc and m[3] and m[3] ~= '' then
  -- A chunked snapshot is only named: its chunks are read with READ_CHUNKS, before what follows.
  out[2] = sc
  out[5] = tonumber(m[4])
  if sc < head then out[4] = 1 end
  return out
end
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

// KEYS: meta. ARGV: upTo from budget chunkPrefix -> {count, chunk, chunk, ...} or {-1}: replaced
const READ_CHUNKS = `
local m = redis.call('HMGET', KEYS[1], 'sc', 'su', 'sn')
if not m[2] or m[2] == '' or tonumber(m[1]) ~= tonumber(ARGV[1]) then return {-1} end
local count, i, budget = tonumber(m[3]), tonumber(ARGV[2]), tonumber(ARGV[3])
local out = {count}
while i < count do
  local c = redis.call('HGET', ARGV[4] .. m[2], i)
  if not c or (#out > 1 and budget < #c) then break end
  budget = budget - #c
  out[#out + 1] = c
  i = i + 1
end
return out
`

// KEYS: stats idle. ARGV: cutoff chunkOver uploadOver -> number of topics deleted (at most 100 per call)
const EXPIRE = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, 100)
for _, t in ipairs(ids) do
  local p = 'tm:{' .. t .. '}:'
  local b = tonumber(redis.call('HGET', p .. 'm', 'bytes') or '0')
  local su = redis.call('HGET', p .. 'm', 'su')
  if su and su ~= '' then redis.call('DEL', p .. 'c:' .. su) end
  local uploads = redis.call('HGETALL', p .. 'u')
  for i = 1, #uploads, 2 do
    redis.call('DEL', p .. 'c:' .. uploads[i])
    local u = {}
    for n in string.gmatch(uploads[i + 1], '%d+') do u[#u + 1] = tonumber(n) end
    b = b + tonumber(ARGV[3]) + u[3] * tonumber(ARGV[2]) + u[4]
  end
  redis.call('DEL', p .. 'm', p .. 'e', p .. 'h', p .. 's', p .. 'u')
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
      const n = (await this.redis(() =>
        this.link.cmd.eval(EXPIRE, 2, STATS, IDLE, cutoff, CHUNK_RECORD_COST, UPLOAD_RECORD_COST),
      )) as number
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
        limits.maxTopicQuotaBytes,
      ],
    )
    const cursor = r[0] as number
    if (cursor < 0) throw appendRefusal(String(r[1]), publicKey !== null, limits, Number(r[2] ?? 0))
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
    const key = await this.verifiedKey(topicHex, signature, snapshotSigningBytes(topic, upTo, snapshot))
    const r = await this.eval(SNAPSHOT, this.snapshotKeys(topicHex), [
      ...this.snapshotArgs(key, upTo, topicHex),
      Buffer.from(snapshot.buffer, snapshot.byteOffset, snapshot.byteLength),
    ])
    this.snapshotOutcome(r, topicHex, upTo)
  }

  async snapshotChunk(c: SnapshotChunk, signature: Uint8Array): Promise<{ committed: boolean }> {
    const { topic, upTo, upload, index, count, chunk } = c
    const topicHex = toHex(topic)
    const key = await this.verifiedKey(topicHex, signature, snapshotChunkSigningBytes(c))
    const uploadHex = toHex(upload)
    const r = await this.eval(
      CHUNK,
      [...this.snapshotKeys(topicHex), `${keyOf(topicHex, 'c:')}${uploadHex}`],
      [
        ...this.snapshotArgs(key, upTo, topicHex),
        uploadHex,
        index,
        count,
        Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength),
        this.limits.storeQuotaBytes,
        MAX_UPLOADS_PER_TOPIC,
      ],
    )
    this.snapshotOutcome(r, topicHex, upTo)
    return { committed: r[0] === 1 }
  }

  /** The topic's key, once `signature` verifies under it. */
  private async verifiedKey(topicHex: string, signature: Uint8Array, signed: Uint8Array): Promise<Buffer> {
    const key = await this.publicKeyOf(topicHex)
    if (key === null) throw new MailboxError(MailboxErrorCode.unknownTopic, 'unknown topic')
    if (!verifyEd25519(key, signature, signed))
      throw new MailboxError(MailboxErrorCode.badSignature, 'signature does not verify under the topic key')
    return Buffer.from(key)
  }

  private snapshotKeys(topicHex: string): string[] {
    return [
      keyOf(topicHex, 'm'),
      keyOf(topicHex, 'e'),
      keyOf(topicHex, 's'),
      keyOf(topicHex, 'u'),
      STATS,
      IDLE,
    ]
  }

  private snapshotArgs(key: Buffer, upTo: number, topicHex: string): (string | number | Buffer)[] {
    const { limits } = this
    return [
      key,
      upTo,
      limits.topicQuotaBytes,
      limits.maxTopicQuotaBytes,
      nowSeconds(),
      topicHex,
      keyOf(topicHex, 'c:'),
      SNAPSHOT_COSTS,
    ]
  }

  /** Counts what a snapshot script stored, or throws its refusal. */
  private snapshotOutcome(r: ScriptReply, topicHex: string, upTo: number): void {
    if (r[0] === 0 || r[0] === 1) {
      this.cached = { ...this.cached, storedBytes: this.cached.storedBytes + (r[1] as number) }
      if (r[0] === 1) this.log.debug({ topic: topicHex.slice(0, 8), upTo }, 'mailbox: compacted')
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
      case 'disagree':
        throw new MailboxError(
          MailboxErrorCode.badCursor,
          `the chunk disagrees with its upload (up to ${r[2]}, ${r[3]} chunks)`,
        )
      case 'committed':
        throw new MailboxError(MailboxErrorCode.badCursor, 'that upload is the snapshot already')
      case 'full':
        throw new MailboxError(MailboxErrorCode.quotaExceeded, 'the relay is full')
      case 'staging':
        throw snapshotQuotaError(this.limits, 'the snapshot being uploaded', r[2] as number)
      default:
        throw snapshotQuotaError(this.limits, 'the snapshot', r[2] as number)
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
    const chunks = r[4] as number
    if (chunks > 0)
      return {
        head,
        snapshot: null,
        chunked: { cursor: snapshotCursor, count: chunks },
        entries: [],
        next: snapshotCursor,
        more: r[3] === 1,
      }
    const snapshot =
      snapshotCursor >= 0 ? { cursor: snapshotCursor, bytes: new Uint8Array(r[2] as Buffer) } : null
    const entries: ReadResult['entries'] = []
    for (let i = 5; i + 1 < r.length; i += 2)
      entries.push({ cursor: r[i] as number, entry: new Uint8Array(r[i + 1] as Buffer) })
    const next = entries.at(-1)?.cursor ?? snapshot?.cursor ?? after
    return { head, snapshot, chunked: null, entries, next, more: r[3] === 1 }
  }

  async readSnapshot(
    topic: Uint8Array,
    upTo: number,
    from: number,
    budget: number,
  ): Promise<{ count: number; chunks: Uint8Array[] }> {
    const topicHex = toHex(topic)
    const r = await this.eval(
      READ_CHUNKS,
      [keyOf(topicHex, 'm')],
      [upTo, from, budget, keyOf(topicHex, 'c:')],
    )
    if ((r[0] as number) < 0) throw snapshotReplaced()
    return { count: r[0] as number, chunks: r.slice(1).map((c) => new Uint8Array(c as Buffer)) }
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
        const snapshotCursor = r.snapshot?.cursor ?? r.chunked?.cursor ?? 0
        if (snapshotCursor > w.last) w.last = Math.min(snapshotCursor, upTo)
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

function appendRefusal(
  reason: string,
  carriedKey: boolean,
  limits: Limits,
  snapshotSize: number,
): MailboxError {
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
      return topicQuotaError(limits, snapshotSize)
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
