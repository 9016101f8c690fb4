// THE conformance suite of MailboxStore (relay/src/mailbox-store.ts): the embedded LevelDB store and
// the Redis store run these same cases through a factory, so "the mailbox" means one thing whichever
// engine an operator picks. `reopen` is the engine's hardest restart: for Redis, redis-server is
// killed with SIGKILL and started again from its append-only file.
import { generateKeyPairSync, randomBytes, sign as nodeSign } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import {
  MailboxErrorCode,
  appendSigningBytes,
  snapshotChunkSigningBytes,
  snapshotSigningBytes,
} from '@tailmesh/core'
import { until } from '@tailmesh/core/test/until'
import { defaultLimits, type Limits } from '../../src/limits'
import type { MailboxStore } from '../../src/mailbox-store'

export interface MailboxStoreUnderTest {
  /** A fresh, empty store with these limits. */
  open(limits: Limits): Promise<MailboxStore>
  /** The store last opened, after its engine was stopped hard and started again. */
  reopen(previous: MailboxStore, limits: Limits): Promise<MailboxStore>
}

interface Key {
  id: Uint8Array
  hex: string
  publicKey: Uint8Array
  sign: (data: Uint8Array) => Uint8Array
}

function newKey(id: Uint8Array = randomBytes(32)): Key {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url')
  return {
    id: new Uint8Array(id),
    hex: Buffer.from(id).toString('hex'),
    publicKey: new Uint8Array(raw),
    sign: (d) => new Uint8Array(nodeSign(null, d, privateKey)),
  }
}

const text = (s: string) => new TextEncoder().encode(s)
const str = (b: Uint8Array) => new TextDecoder().decode(b)
const append = (s: MailboxStore, k: Key, entry: Uint8Array, withKey = true, mayCreate = true) =>
  s.append(k.id, withKey ? k.publicKey : null, entry, k.sign(appendSigningBytes(k.id, entry)), mayCreate)
const snapshot = (s: MailboxStore, k: Key, upTo: number, bytes: Uint8Array) =>
  s.snapshot(k.id, upTo, bytes, k.sign(snapshotSigningBytes(k.id, upTo, bytes)))
/** Chunk `index` of `count` of upload `upload`, a snapshot up to `upTo`. */
const chunk = (
  s: MailboxStore,
  k: Key,
  upTo: number,
  upload: Uint8Array,
  index: number,
  count: number,
  bytes: Uint8Array,
) => {
  const c = { topic: k.id, upTo, upload, index, count, chunk: bytes }
  return s.snapshotChunk(c, k.sign(snapshotChunkSigningBytes(c)))
}
const uploadId = () => new Uint8Array(randomBytes(16))
/** Every chunk of the chunked snapshot up to `upTo`, as text, read in pages of one. */
async function chunksOf(s: MailboxStore, k: Key, upTo: number): Promise<string[]> {
  const out: string[] = []
  for (;;) {
    const r = await s.readSnapshot(k.id, upTo, out.length, 1)
    out.push(...r.chunks.map(str))
    if (out.length >= r.count || r.chunks.length === 0) return out
  }
}
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (e: { code?: number }) => e.code,
  )

export function describeMailboxStoreConformance(name: string, under: MailboxStoreUnderTest): void {
  const opened: MailboxStore[] = []
  const fresh = async (limits: Partial<Limits> = {}) => {
    const s = await under.open({ ...defaultLimits, ...limits })
    opened.push(s)
    return s
  }
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close().catch(() => {})
  })

  describe(`MailboxStore conformance: ${name}`, () => {
    it('acknowledges appends with increasing cursors, once durable, and stores a replay once', async () => {
      let s = await fresh()
      const k = newKey()
      const acks = []
      for (let i = 1; i <= 5; i++) acks.push(await append(s, k, text(`sealed-${i}`), i === 1))
      expect(acks.map((a) => a.cursor)).toEqual([1, 2, 3, 4, 5])
      expect(acks[0]).toMatchObject({ created: true, duplicate: false })
      expect(acks[1]).toMatchObject({ created: false, duplicate: false })
      expect(await append(s, k, text('sealed-3'), false)).toMatchObject({
        cursor: 3,
        duplicate: true,
        bytes: 0,
      })
      // Concurrent appends (pipelined, as a client does) all get distinct cursors.
      const many = await Promise.all(Array.from({ length: 50 }, (_, i) => append(s, k, text(`p${i}`), false)))
      expect(new Set(many.map((a) => a.cursor)).size).toBe(50)
      s = await under.reopen(s, defaultLimits)
      opened.push(s)
      const all = await s.read(k.id, 0, 1000, 1 << 20)
      expect(all.entries).toHaveLength(55)
      expect(all.entries.slice(0, 5).map((e) => [e.cursor, str(e.entry)])).toEqual(
        acks.map((a, i) => [a.cursor, `sealed-${i + 1}`]),
      )
      expect(await s.head(k.hex)).toBe(55)
      expect(await append(s, k, text('after restart'), false)).toMatchObject({ cursor: 56 })
      expect(await append(s, k, text('p7'), false)).toMatchObject({ duplicate: true })
    })

    it('reads from any cursor, in pages bounded by count and bytes', async () => {
      const s = await fresh()
      const k = newKey()
      for (let i = 1; i <= 10; i++) await append(s, k, text(`e${i}`.padEnd(100, '.')))
      const from3 = await s.read(k.id, 3, 1000, 1 << 20)
      expect(from3.entries.map((e) => e.cursor)).toEqual([4, 5, 6, 7, 8, 9, 10])
      expect(from3).toMatchObject({ head: 10, next: 10, more: false, snapshot: null })
      expect(await s.read(k.id, 0, 4, 1 << 20)).toMatchObject({ next: 4, more: true })
      const byBytes = await s.read(k.id, 0, 1000, 250)
      expect(byBytes.entries.map((e) => e.cursor)).toEqual([1, 2])
      expect(byBytes.more).toBe(true)
      // At least one entry, whatever the budget: a reader always makes progress.
      expect((await s.read(k.id, 5, 1000, 1)).entries.map((e) => e.cursor)).toEqual([6])
      expect(await s.read(k.id, 10, 1000, 1 << 20)).toMatchObject({ entries: [], next: 10, more: false })
      expect(await s.read(newKey().id, 0, 10, 1 << 20)).toMatchObject({ head: 0, entries: [], more: false })
    })

    it('reports every commit to a watched topic in cursor order (the live push)', async () => {
      const s = await fresh()
      const k = newKey()
      await append(s, k, text('before'))
      const seen: [number, string][] = []
      s.onCommit = (topic, hex, cursor, entry) => {
        if (hex === k.hex) seen.push([cursor, str(entry)])
        expect(Buffer.from(topic).toString('hex')).toBe(hex)
      }
      await s.watch(k.hex)
      expect(await s.head(k.hex)).toBe(1)
      await Promise.all(Array.from({ length: 20 }, (_, i) => append(s, k, text(`live-${i}`), false)))
      await until('20 commits are reported', () => seen.length >= 20)
      expect(seen.map(([c]) => c)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2))
      s.unwatch(k.hex)
    })

    it('compacts by snapshot: a new reader gets the snapshot and later entries; dedupe outlives it', async () => {
      const s = await fresh()
      const k = newKey()
      for (let i = 1; i <= 10; i++) await append(s, k, text(`m${i}`.padEnd(100, '.')))
      const before = s.stats().storedBytes
      expect(await refusal(snapshot(s, k, 11, text('x')))).toBe(MailboxErrorCode.badCursor)
      const forged = newKey(k.id)
      expect(await refusal(snapshot(s, forged, 6, text('forged')))).toBe(MailboxErrorCode.badSignature)
      await snapshot(s, k, 6, text('state-up-to-6'))
      expect(await refusal(snapshot(s, k, 6, text('again')))).toBe(MailboxErrorCode.badCursor)
      const r = await s.read(k.id, 0, 1000, 1 << 20)
      expect(r.snapshot && [r.snapshot.cursor, str(r.snapshot.bytes)]).toEqual([6, 'state-up-to-6'])
      expect(r.entries.map((e) => e.cursor)).toEqual([7, 8, 9, 10])
      expect(await s.read(k.id, 8, 1000, 1 << 20)).toMatchObject({ snapshot: null, next: 10 })
      expect(await append(s, k, text('m3'.padEnd(100, '.')), false)).toMatchObject({
        cursor: 3,
        duplicate: true,
      })
      await until('the totals are refreshed', async () => s.stats().storedBytes < before)
      await snapshot(s, k, 10, text('state-up-to-10'))
      const r2 = await s.read(k.id, 2, 1000, 1 << 20)
      expect(r2.snapshot?.cursor).toBe(10)
      expect(r2.entries).toEqual([])
    })

    it('compacts by a chunked snapshot: chunks unseen until the last is in, then one atomic replacement', async () => {
      const s = await fresh()
      const k = newKey()
      for (let i = 1; i <= 10; i++) await append(s, k, text(`m${i}`.padEnd(100, '.')))
      const up = uploadId()
      expect(await chunk(s, k, 6, up, 2, 3, text('part-2'))).toEqual({ committed: false })
      expect(await chunk(s, k, 6, up, 0, 3, text('part-0'))).toEqual({ committed: false })
      // Sent again (its ack lost): stored once.
      await until('the totals are refreshed', async () => s.stats().storedBytes > 0)
      const staged = s.stats().storedBytes
      expect(await chunk(s, k, 6, up, 0, 3, text('part-0'))).toEqual({ committed: false })
      expect(s.stats().storedBytes).toBe(staged)
      // Readers see the log as it was, whole.
      const before = await s.read(k.id, 0, 1000, 1 << 20)
      expect(before).toMatchObject({ snapshot: null, chunked: null, head: 10 })
      expect(before.entries.map((e) => e.cursor)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
      expect(await refusal(chunk(s, k, 6, up, 1, 4, text('other count')))).toBe(MailboxErrorCode.badCursor)
      expect(await refusal(chunk(s, k, 7, up, 1, 3, text('other upTo')))).toBe(MailboxErrorCode.badCursor)
      expect(await refusal(chunk(s, newKey(k.id), 6, up, 1, 3, text('forged')))).toBe(
        MailboxErrorCode.badSignature,
      )
      expect(await refusal(chunk(s, k, 11, uploadId(), 0, 2, text('beyond')))).toBe(
        MailboxErrorCode.badCursor,
      )
      expect(await chunk(s, k, 6, up, 1, 3, text('part-1'))).toEqual({ committed: true })
      const after = await s.read(k.id, 0, 1000, 1 << 20)
      expect(after).toMatchObject({ snapshot: null, chunked: { cursor: 6, count: 3 }, entries: [], next: 6 })
      expect(after.more).toBe(true)
      expect(await chunksOf(s, k, 6)).toEqual(['part-0', 'part-1', 'part-2'])
      expect((await s.readSnapshot(k.id, 6, 0, 1 << 20)).chunks.map(str)).toEqual([
        'part-0',
        'part-1',
        'part-2',
      ])
      expect((await s.read(k.id, 6, 1000, 1 << 20)).entries.map((e) => e.cursor)).toEqual([7, 8, 9, 10])
      // The last chunk sent again after its commit is answered as committed; nothing else changes.
      expect(await chunk(s, k, 6, up, 1, 3, text('part-1'))).toEqual({ committed: true })
      expect(await refusal(chunk(s, k, 8, up, 0, 3, text('reused id')))).toBe(MailboxErrorCode.badCursor)
      expect(await refusal(s.readSnapshot(k.id, 5, 0, 1 << 20))).toBe(MailboxErrorCode.badCursor)
      expect(await append(s, k, text('m3'.padEnd(100, '.')), false)).toMatchObject({
        cursor: 3,
        duplicate: true,
      })
      // A snapshot in one piece replaces a chunked one, and the other way round.
      await snapshot(s, k, 8, text('whole-up-to-8'))
      expect(await refusal(s.readSnapshot(k.id, 6, 0, 1 << 20))).toBe(MailboxErrorCode.badCursor)
      expect(await s.read(k.id, 0, 1000, 1 << 20)).toMatchObject({ snapshot: { cursor: 8 }, chunked: null })
      const up2 = uploadId()
      await chunk(s, k, 10, up2, 0, 2, text('again-0'))
      expect(await chunk(s, k, 10, up2, 1, 2, text('again-1'))).toEqual({ committed: true })
      expect(await s.read(k.id, 0, 1000, 1 << 20)).toMatchObject({
        snapshot: null,
        chunked: { cursor: 10, count: 2 },
        more: false,
      })
      expect(await chunksOf(s, k, 10)).toEqual(['again-0', 'again-1'])
      expect(await s.read(k.id, 10, 1000, 1 << 20)).toMatchObject({
        snapshot: null,
        chunked: null,
        entries: [],
      })
    })

    it('keeps the old log readable when the engine dies between chunks, and finishes the upload after', async () => {
      let s = await fresh()
      const k = newKey()
      for (let i = 1; i <= 8; i++) await append(s, k, text(`c${i}`))
      const up = uploadId()
      await chunk(s, k, 5, up, 0, 3, text('first'))
      await chunk(s, k, 5, up, 1, 3, text('second'))
      s = await under.reopen(s, defaultLimits)
      opened.push(s)
      const r = await s.read(k.id, 0, 1000, 1 << 20)
      expect(r).toMatchObject({ snapshot: null, chunked: null })
      expect(r.entries.map((e) => str(e.entry))).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8'])
      const stored = s.stats().storedBytes
      expect(await chunk(s, k, 5, up, 2, 3, text('third'))).toEqual({ committed: true })
      expect(await chunksOf(s, k, 5)).toEqual(['first', 'second', 'third'])
      expect((await s.read(k.id, 5, 1000, 1 << 20)).entries.map((e) => str(e.entry))).toEqual([
        'c6',
        'c7',
        'c8',
      ])
      await until('the totals are refreshed', async () => s.stats().storedBytes !== stored)
      // What the engine counts survives a restart exactly.
      const counted = s.stats().storedBytes
      s = await under.reopen(s, defaultLimits)
      opened.push(s)
      await until('the totals are read', async () => s.stats().storedBytes === counted)
    })

    it('keeps at most four uploads per topic, and a commit discards those it makes pointless', async () => {
      const s = await fresh()
      const k = newKey()
      for (let i = 1; i <= 10; i++) await append(s, k, text(`u${i}`))
      await until('the totals are refreshed', async () => s.stats().storedBytes > 0)
      const base = s.stats().storedBytes
      const big = text('x'.repeat(1000))
      const uploads = Array.from({ length: 6 }, uploadId)
      for (const [i, up] of uploads.entries()) await chunk(s, k, 3 + i, up, 0, 2, big)
      await until('the totals are refreshed', async () => s.stats().storedBytes > base + 3000)
      const perUpload = (s.stats().storedBytes - base) / 4
      expect(perUpload).toBeGreaterThan(1000)
      expect(perUpload).toBeLessThan(1200)
      // The newest (up to 8) commits; every other upload reached no further and goes with it.
      expect(await chunk(s, k, 8, uploads[5]!, 1, 2, big)).toEqual({ committed: true })
      await until('the totals are refreshed', async () => s.stats().storedBytes < base + 2 * 1000 + 500)
      expect(await refusal(chunk(s, k, 7, uploads[4]!, 1, 2, big))).toBe(MailboxErrorCode.badCursor)
      const another = uploadId()
      await chunk(s, k, 10, another, 0, 2, text('later'))
      expect(await chunk(s, k, 10, another, 1, 2, text('last'))).toEqual({ committed: true })
      expect(await chunksOf(s, k, 10)).toEqual(['later', 'last'])
      // A one-chunk upload arriving while four are in progress commits at once; the uploads it
      // discards are counted off once: the totals after a restart are the same.
      for (let i = 11; i <= 20; i++) await append(s, k, text(`u${i}`), false)
      for (let i = 0; i < 4; i++) await chunk(s, k, 11 + i, uploadId(), 0, 3, big)
      expect(await chunk(s, k, 20, uploadId(), 0, 1, text('whole'))).toEqual({ committed: true })
      expect(await chunksOf(s, k, 20)).toEqual(['whole'])
      await until('the totals are refreshed', async () => s.stats().storedBytes < base + 1000)
      const counted = s.stats().storedBytes
      const again = await under.reopen(s, defaultLimits)
      opened.push(again)
      await until('the totals are read', async () => again.stats().storedBytes === counted)
    })

    it("grows a topic's quota with its snapshot, up to the most a topic may hold, and says the bound", async () => {
      const limits = { topicQuotaBytes: 4000, maxTopicQuotaBytes: 12_000 }
      const s = await fresh(limits)
      const k = newKey()
      const fill = async (tag: string) => {
        for (let i = 0; i < 200; i++) {
          const r = await append(s, k, text(`${tag}${i}`.padEnd(200, '.'))).catch(
            (e: { code?: number; message: string }) => e,
          )
          if ('code' in r && r.code !== undefined) return r as { code: number; message: string }
        }
        throw new Error('never refused')
      }
      const first = await fill('a')
      expect(first.code).toBe(MailboxErrorCode.quotaExceeded)
      expect(first.message).toContain('quota of 4000 bytes')
      const head = await s.head(k.hex)
      const up = uploadId()
      for (let i = 0; i < 3; i++) await chunk(s, k, head, up, i, 4, text('s'.repeat(900)))
      expect(await chunk(s, k, head, up, 3, 4, text('s'.repeat(900)))).toEqual({ committed: true })
      // 4000 plus twice the 3,600-byte snapshot: 11,200 bytes, so far more entries fit now.
      const second = await fill('b')
      expect(second.message).toContain('quota of 11200 bytes')
      expect(await s.head(k.hex)).toBeGreaterThan(head + 15)
      // An upload larger than the topic's quota is refused chunk by chunk, and the log stays.
      const huge = uploadId()
      let refused: number | string | undefined = 'accepted'
      for (let i = 0; i < 6 && refused === 'accepted'; i++)
        refused = await refusal(chunk(s, k, await s.head(k.hex), huge, i, 6, text('h'.repeat(2500))))
      expect(refused).toBe(MailboxErrorCode.quotaExceeded)
      expect((await s.read(k.id, head, 1000, 1 << 20)).entries.length).toBeGreaterThan(15)
    })

    it('enforces the topic quota, the store quota, the new-topic share and the new-topic permission', async () => {
      const s = await fresh({ topicQuotaBytes: 2400, storeQuotaBytes: 6000, newTopicFillPercent: 40 })
      const k = newKey()
      let refused = 0
      for (let i = 0; i < 20 && refused === 0; i++)
        refused = (await refusal(append(s, k, text(`q${i}`.padEnd(200, '.'))))) === 'accepted' ? 0 : 1
      expect(refused).toBe(1)
      expect(await refusal(append(s, k, text('one more'.padEnd(200, '.'))))).toBe(
        MailboxErrorCode.quotaExceeded,
      )
      // A snapshot frees room again.
      const head = await s.head(k.hex)
      await snapshot(s, k, head, text('small'))
      expect(await refusal(append(s, k, text('after snapshot')))).toBe('accepted')
      expect(await refusal(append(s, newKey(), text('new'), true, false))).toBe(MailboxErrorCode.rateLimited)
      const k2 = newKey()
      for (let i = 0; i < 5; i++) await append(s, k2, text(`k2-${i}`.padEnd(200, '.')))
      // Past 40 % of 6000 bytes no new topic is taken, while existing ones still are.
      await until('the totals are refreshed', async () => s.stats().storedBytes > 2400)
      expect(await refusal(append(s, newKey(), text('new topic')))).toBe(MailboxErrorCode.quotaExceeded)
      expect(await refusal(append(s, k2, text('existing topic'), false))).toBe('accepted')
      expect(s.stats().topics).toBe(2)
    })

    it('refuses strangers: another key, a bad signature, an unknown topic without its key', async () => {
      const s = await fresh()
      const k = newKey()
      await append(s, k, text('first'))
      const stranger = newKey(k.id)
      expect(await refusal(append(s, stranger, text('spam')))).toBe(MailboxErrorCode.keyMismatch)
      expect(await refusal(append(s, stranger, text('spam'), false))).toBe(MailboxErrorCode.badSignature)
      expect(await refusal(append(s, newKey(), text('x'), false))).toBe(MailboxErrorCode.unknownTopic)
      expect(await refusal(s.snapshot(newKey().id, 1, text('s'), new Uint8Array(64)))).toBe(
        MailboxErrorCode.unknownTopic,
      )
      expect(Buffer.from((await s.publicKeyOf(k.hex))!)).toEqual(Buffer.from(k.publicKey))
      // A topic nobody registered (not k's with one digit changed: that digit may already be it).
      expect(await s.publicKeyOf(newKey().hex)).toBeNull()
    })

    it('deletes idle topics after the time to live, and a later append registers afresh', async () => {
      const s = await fresh({ topicTtlSeconds: 1 })
      const k = newKey()
      await append(s, k, text('soon gone'))
      await append(s, k, text('and this'))
      // A chunked snapshot and an upload in progress go with it.
      const up = uploadId()
      await chunk(s, k, 1, up, 0, 2, text('a'))
      await chunk(s, k, 1, up, 1, 2, text('b'))
      await chunk(s, k, 2, uploadId(), 0, 2, text('pending'))
      await until('the topic expired', async () => {
        await s.expireIdle()
        return (await s.head(k.hex)) === 0
      })
      expect(s.stats()).toMatchObject({ topics: 0, storedBytes: 0 })
      expect(s.stats().expiredTopics).toBeGreaterThanOrEqual(1)
      expect(await s.read(k.id, 0, 10, 1 << 20)).toMatchObject({ head: 0, entries: [] })
      const other = newKey(k.id)
      expect(await append(s, other, text('new owner'))).toMatchObject({ cursor: 1, created: true })
      // The store judges by the new key from now on, whatever it remembered of the old one.
      expect(await append(s, other, text('again'), false)).toMatchObject({ cursor: 2 })
      expect(await refusal(append(s, k, text('old owner')))).toBe(MailboxErrorCode.keyMismatch)
      expect(await refusal(append(s, k, text('old owner'), false))).toBe(MailboxErrorCode.badSignature)
    })
  })
}
