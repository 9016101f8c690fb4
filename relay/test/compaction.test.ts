// Mailbox compaction of a group whose history outgrows one relay frame, through the real relay process
// on each store engine (LevelDB, and a real redis-server): a member's Replica uploads its history as a
// chunked snapshot and a newcomer catches up from it; a relay killed between chunks keeps its old log
// whole, and the upload finishes once it is back.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import {
  Identity,
  MailboxAckFlag,
  MailboxRelayOp,
  MailboxTransport,
  Replica,
  createGroup,
  listMessages,
  openGroup,
  rememberGroup,
  type GroupKey,
  type OpenGroup,
} from '@tailmesh/core'
import { LevelStorage } from '@tailmesh/core/storage/level'
import { until } from '@tailmesh/core/test/until'
import { MailboxClient, newTopic, topicFor } from './helpers/mailbox-client'
import { startRedis, type RedisServer } from './helpers/redis-server'
import { removeDir, spawnRelay, tempDir, type RelayProcess } from './helpers/relay-process'

let redis: RedisServer
beforeAll(async () => {
  redis = await startRedis()
})
afterAll(async () => {
  await redis?.stop()
})

interface Device {
  group: OpenGroup
  replica: Replica
  storage: LevelStorage
  dir: string
}

const engines = [
  { engine: 'LevelDB', args: (): string[] => [] },
  { engine: 'Redis', args: (): string[] => ['--redis', redis.url] },
]

describe.each(engines)('mailbox compaction above one frame ($engine)', ({ args }) => {
  let relay: RelayProcess
  let port = 0
  const dataDir = tempDir()
  const start = async () => {
    relay = await spawnRelay([...args(), '--no-libp2p', ...(port ? ['--port', String(port)] : [])], {
      dataDir,
    })
    port = relay.port
  }
  beforeAll(start)
  afterAll(async () => {
    await relay.stop()
    removeDir(dataDir)
  })

  const devices: Device[] = []
  const clients: MailboxClient[] = []
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close()
    for (const d of devices.splice(0)) {
      await d.replica.close()
      await d.storage.close()
      removeDir(d.dir)
    }
  })

  async function device(
    identity: Identity,
    groupId: string,
    key: GroupKey,
    compactAfter: number,
    group?: OpenGroup,
  ): Promise<Device> {
    const dir = tempDir('tailmesh-device-')
    const storage = await LevelStorage.open({ path: dir })
    await rememberGroup(storage, groupId, key)
    const open = group ?? (await openGroup(identity, groupId))
    const mailbox = new MailboxTransport({
      url: relay.mailboxUrl,
      WebSocket,
      backoff: { minMs: 50, maxMs: 300 },
    })
    const replica = await Replica.start({
      gate: open.gate,
      session: open.session,
      key,
      storage,
      transports: [mailbox],
      compactAfter,
    })
    const d = { group: open, replica, storage, dir }
    devices.push(d)
    return d
  }

  it('uploads a history above 200 KiB as a chunked snapshot; a newcomer reads it all back', async () => {
    const identity = await Identity.create()
    const created = await createGroup(identity, { name: 'Large' })
    const general = created.panelIds[0]!
    const alice = await device(identity, created.groupId, created.key, 100, created)
    for (const e of [...created.gate.accepted()]) await alice.replica.deliver(e)
    const compacted: number[] = []
    alice.replica.on('compacted', (upTo) => compacted.push(upTo))
    // 120 messages of about 4 KB: 480 KB of history, more than twice what one frame holds.
    const body = (i: number) => `${i} ${'long text '.repeat(390)}`
    for (let i = 0; i < 120; i++) await alice.group.actions.send(general, body(i))
    await until('acknowledged', () => alice.replica.pending().length === 0, 60_000)
    await until('a snapshot was uploaded', () => compacted.length > 0, 60_000)

    // What the relay holds: a snapshot in several chunks, then only the entries after it.
    const topic = (await topicFor(created.groupId, created.key)).id
    const c = await MailboxClient.connect(relay.mailboxUrl)
    clients.push(c)
    const held = await c.readAll(topic)
    expect(held.chunked?.cursor).toBe(compacted[0])
    expect(held.chunks.length).toBeGreaterThanOrEqual(3)
    expect(held.chunks.reduce((n, ch) => n + ch.length, 0)).toBeGreaterThan(400 * 1024)
    expect(held.entries.every((e) => e.cursor > compacted[0]!)).toBe(true)

    const { secret, inviteId } = await alice.group.actions.createInvite({ maxUses: 1 })
    const bobId = await Identity.create()
    const bob = await device(bobId, created.groupId, created.key, 0)
    await until('bob sees the invite', () => bob.group.gate.authority().invites.has(inviteId), 30_000)
    await bob.group.actions.join(secret)
    await until('bob has every message', () => bodiesOf(bob, general).length === 120, 30_000)
    expect(bodiesOf(bob, general)).toEqual(bodiesOf(alice, general))
  })

  it('keeps the old log readable when the relay is killed between chunks; the upload then completes', async () => {
    const topic = await newTopic()
    const c = await MailboxClient.connect(relay.mailboxUrl)
    clients.push(c)
    // 30 entries of 10 KB (300 KB), compacted up to the 20th in three chunks of 100 KB.
    for (let i = 0; i < 30; i++) await c.append(topic, text(`${i}`.padEnd(10_000, '.')))
    const upload = new Uint8Array(16).fill(7)
    const part = (i: number) => text(`chunk ${i}`.padEnd(100_000, '~'))
    for (const i of [0, 1])
      expect(await c.snapshotChunk(topic, 20, upload, i, 3, part(i))).toMatchObject({
        op: MailboxRelayOp.ack,
        flags: 0,
      })
    await relay.kill9()
    await start()
    const d = await MailboxClient.connect(relay.mailboxUrl)
    clients.push(d)
    const before = await d.readAll(topic.id)
    expect(before).toMatchObject({ snapshot: null, chunked: null })
    expect(before.entries.map((e) => e.cursor)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1))
    expect(await d.snapshotChunk(topic, 20, upload, 2, 3, part(2))).toMatchObject({
      op: MailboxRelayOp.ack,
      cursor: 20,
      flags: MailboxAckFlag.committed,
    })
    const after = await d.readAll(topic.id)
    expect(after.chunked).toEqual({ cursor: 20, count: 3 })
    expect(after.chunks.map((ch) => str(ch.subarray(0, 7)))).toEqual(['chunk 0', 'chunk 1', 'chunk 2'])
    expect(after.entries.map((e) => e.cursor)).toEqual(Array.from({ length: 10 }, (_, i) => i + 21))
  })
})

const text = (s: string) => new TextEncoder().encode(s)
const str = (b: Uint8Array) => new TextDecoder().decode(b)
const bodiesOf = (d: Device, panel: string) => listMessages(d.group.gate, panel).messages.map((m) => m.body)
