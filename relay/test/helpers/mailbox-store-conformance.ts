// THE conformance suite of MailboxStore (relay/src/mailbox-store.ts): the embedded LevelDB store and
// the Redis store run these same cases through a factory, so "the mailbox" means one thing whichever
// engine an operator picks. `reopen` is the engine's hardest restart: for Redis, redis-server is
// killed with SIGKILL and started again from its append-only file.
import { generateKeyPairSync, randomBytes, sign as nodeSign } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { MailboxErrorCode, appendSigningBytes, snapshotSigningBytes } from '@tailmesh/core'
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
