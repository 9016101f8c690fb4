// /mailbox against the real relay process: append, read from a cursor, live push, dedupe, write
// access by topic key, compaction, and a restart that keeps everything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MailboxAckFlag, MailboxErrorCode, MailboxRelayOp } from '@tailmesh/core'
import { generateKeyPairSync, sign as nodeSign } from 'node:crypto'
import { MailboxClient, newTopic, topicFor, type TopicKeys } from './helpers/mailbox-client'
import { removeDir, spawnRelay, tempDir, type RelayProcess } from './helpers/relay-process'

let relay: RelayProcess
const dataDir = tempDir()
const clients: MailboxClient[] = []
const connect = async () => {
  const c = await MailboxClient.connect(relay.mailboxUrl)
  clients.push(c)
  return c
}
const text = (s: string) => new TextEncoder().encode(s)
const health = async () =>
  (await (await fetch(`${relay.http}/healthz`)).json()) as {
    storedBytes: number
    topics: { mailbox: number }
  }

/** A stranger: some other Ed25519 key claiming the same topic id. */
function stranger(topic: TopicKeys): TopicKeys {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url')
  return {
    id: topic.id,
    publicKey: new Uint8Array(raw),
    sign: async (d) => new Uint8Array(nodeSign(null, d, privateKey)),
  }
}

beforeAll(async () => {
  relay = await spawnRelay([], { dataDir })
})
afterAll(async () => {
  for (const c of clients) c.close()
  await relay.stop()
  removeDir(dataDir)
})

describe('/mailbox', () => {
  const topicP = newTopic('group-main')
  const compactP = newTopic('group-compact')

  it('appends with increasing cursors and reads from any cursor', async () => {
    const topic = await topicP
    const a = await connect()
    const acks = []
    for (let i = 1; i <= 5; i++) acks.push(await a.append(topic, text(`sealed-${i}`), i === 1))
    expect(acks.map((x) => (x.op === MailboxRelayOp.ack ? x.cursor : -1))).toEqual([1, 2, 3, 4, 5])
    const all = await a.read(topic.id, 0)
    expect(all).toMatchObject({ op: MailboxRelayOp.entries, head: 5, snapshot: null, next: 5, more: false })
    const fromThree = await a.read(topic.id, 3)
    expect(fromThree.op === MailboxRelayOp.entries && fromThree.entries.map((e) => e.cursor)).toEqual([4, 5])
    const page = await a.read(topic.id, 0, 2)
    expect(page).toMatchObject({ next: 2, more: true })
    expect(page.op === MailboxRelayOp.entries && new TextDecoder().decode(page.entries[1]!.entry)).toBe(
      'sealed-2',
    )
  })

  it('pushes new entries live to subscribers; subscribe answers with the head', async () => {
    const topic = await topicP
    const [writer, reader] = [await connect(), await connect()]
    expect(await reader.subscribe(topic.id)).toMatchObject({ op: MailboxRelayOp.ack, cursor: 5 })
    await writer.append(topic, text('live-1'))
    await writer.append(topic, text('live-2'))
    const pushes = await reader.waitForPushes(2)
    expect(pushes.map((p) => [p.cursor, new TextDecoder().decode(p.entry)])).toEqual([
      [6, 'live-1'],
      [7, 'live-2'],
    ])
  })

  it('stores a replayed entry once', async () => {
    const topic = await topicP
    const c = await connect()
    const first = await c.append(topic, text('once'))
    const again = await c.append(topic, text('once'))
    expect(first).toMatchObject({ op: MailboxRelayOp.ack, flags: 0 })
    expect(again).toMatchObject({
      op: MailboxRelayOp.ack,
      cursor: (first as { cursor: number }).cursor,
      flags: MailboxAckFlag.duplicate,
    })
    const r = await c.read(topic.id, 0)
    expect(
      r.op === MailboxRelayOp.entries &&
        r.entries.filter((e) => new TextDecoder().decode(e.entry) === 'once'),
    ).toHaveLength(1)
  })

  it("refuses a stranger's append to a registered topic and accepts another member's", async () => {
    const topic = await topicP
    const c = await connect()
    const evil = stranger(topic)
    expect(await c.append(evil, text('spam'))).toMatchObject({
      op: MailboxRelayOp.error,
      code: MailboxErrorCode.keyMismatch,
    })
    expect(await c.append(evil, text('spam'), false)).toMatchObject({
      op: MailboxRelayOp.error,
      code: MailboxErrorCode.badSignature,
    })
    // Another member derives the same topic from the same group key and group id.
    const member = await topicFor('group-main', topic.groupKey)
    expect(member).not.toBe(topic)
    expect(await c.append(member, text('from another member'), false)).toMatchObject({
      op: MailboxRelayOp.ack,
    })
    // A new topic cannot be registered without its key.
    const fresh = await newTopic()
    expect(await c.append(fresh, text('x'), false)).toMatchObject({
      op: MailboxRelayOp.error,
      code: MailboxErrorCode.unknownTopic,
    })
  })

  it('compacts: a new reader gets the snapshot and only later entries', async () => {
    const topic = await compactP
    const c = await connect()
    for (let i = 1; i <= 10; i++) await c.append(topic, text(`m${i}`.padEnd(100, '.')))
    const before = (await health()).storedBytes
    expect(await c.snapshot(topic, 11, text('state'))).toMatchObject({ code: MailboxErrorCode.badCursor })
    expect(
      await stranger(topic)
        .sign(text('x'))
        .then((sig) =>
          c.request({ op: 5, topic: topic.id, upTo: 6, snapshot: text('forged'), signature: sig }),
        ),
    ).toMatchObject({
      code: MailboxErrorCode.badSignature,
    })
    expect(await c.snapshot(topic, 6, text('state-up-to-6'))).toMatchObject({
      op: MailboxRelayOp.ack,
      cursor: 6,
    })
    expect(await c.snapshot(topic, 6, text('again'))).toMatchObject({ code: MailboxErrorCode.badCursor })
    const fresh = await c.readAll(topic.id, 0)
    expect(new TextDecoder().decode(fresh.snapshot!.bytes)).toBe('state-up-to-6')
    expect(fresh.snapshot!.cursor).toBe(6)
    expect(fresh.entries.map((e) => e.cursor)).toEqual([7, 8, 9, 10])
    // A reader already past the snapshot gets no snapshot.
    const caughtUp = await c.read(topic.id, 8)
    expect(caughtUp).toMatchObject({ snapshot: null, next: 10 })
    expect((await health()).storedBytes).toBeLessThan(before)
  })

  it('refuses malformed and text frames with 400 and the request id', async () => {
    const c = await connect()
    const bad = new Promise<Buffer>((r) => c.ws.once('message', (d: Buffer) => r(d)))
    c.ws.send(new Uint8Array([2, 77, 1, 2, 3])) // read, id 77, truncated topic
    const { decodeMailboxRelayFrame } = await import('@tailmesh/core')
    expect(decodeMailboxRelayFrame(new Uint8Array(await bad))).toMatchObject({
      op: MailboxRelayOp.error,
      id: 77,
      code: 400,
    })
    const textFrame = new Promise<Buffer>((r) => c.ws.once('message', (d: Buffer) => r(d)))
    c.ws.send('hello')
    expect(decodeMailboxRelayFrame(new Uint8Array(await textFrame))).toMatchObject({ code: 400 })
  })

  it('keeps every entry, key and snapshot across a restart', async () => {
    const topic = await topicP
    const c = await connect()
    const before = await c.readAll(topic.id)
    const compacted = await compactP
    const compactedBefore = await c.readAll(compacted.id)
    const statsBefore = await health()
    expect(await relay.stop()).toBe(0)
    relay = await spawnRelay([], { dataDir })
    const d = await connect()
    const after = await d.readAll(topic.id)
    expect(after.entries.map((e) => [e.cursor, Buffer.from(e.entry).toString()])).toEqual(
      before.entries.map((e) => [e.cursor, Buffer.from(e.entry).toString()]),
    )
    expect((await d.readAll(compacted.id)).snapshot).toEqual(compactedBefore.snapshot)
    const statsAfter = await health()
    expect(statsAfter.storedBytes).toBe(statsBefore.storedBytes)
    expect(statsAfter.topics.mailbox).toBe(statsBefore.topics.mailbox)
    expect(await d.append(stranger(topic), text('spam'))).toMatchObject({
      code: MailboxErrorCode.keyMismatch,
    })
    const next = await d.append(topic, text('after restart'), false)
    expect(next).toMatchObject({ op: MailboxRelayOp.ack, cursor: before.entries.at(-1)!.cursor + 1 })
  })
})
