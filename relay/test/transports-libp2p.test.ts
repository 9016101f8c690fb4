// core's Libp2pTransport against the real relay process (its libp2p node: WebSockets, circuit relay
// v2, gossipsub): the transport conformance suite with Node peers, then what only libp2p promises.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { MailboxTransport, generateSigningKeyPair, sinkLogger, utf8, type LogRecord } from '@tailmesh/core'
import { Libp2pTransport, type FrameVerdict } from '@tailmesh/core/sync/libp2p'
import { Recorder, describeTransportConformance, newAccess } from '@tailmesh/core/test/transport-conformance'
import { until } from '@tailmesh/core/test/until'
import { removeDir, spawnRelay, tempDir, type RelayProcess } from './helpers/relay-process'

interface Libp2pHealth {
  peerId: string
  multiaddrs: string[]
  topics: number
}

let relay: RelayProcess
let health: Libp2pHealth
const dataDir = tempDir()
let port = 0
let libp2pPort = 0

const libp2pHealth = async (): Promise<Libp2pHealth> => {
  const res = await fetch(`${relay.http}/healthz`)
  return ((await res.json()) as { libp2p: Libp2pHealth }).libp2p
}

const start = async () => {
  relay = await spawnRelay(port === 0 ? [] : ['--port', String(port), '--libp2p-port', String(libp2pPort)], {
    dataDir,
  })
  port = relay.port
  health = await libp2pHealth()
  libp2pPort = Number(/\/tcp\/(\d+)\//.exec(health.multiaddrs[0]!)![1])
}

beforeAll(start)
afterAll(async () => {
  await relay.stop()
  removeDir(dataDir)
})

const make = (
  options: {
    validate?: (sealed: Uint8Array) => Promise<FrameVerdict>
    meshWaitMs?: number
    listen?: string[]
  } = {},
) =>
  new Libp2pTransport({
    relays: health.multiaddrs,
    WebSocket,
    backoff: { minMs: 50, maxMs: 500 },
    ...options,
  })

describe('relay libp2p node', () => {
  it('lists its multiaddrs in /healthz and keeps its peer id across restarts', async () => {
    expect(health.multiaddrs.length).toBeGreaterThan(0)
    for (const a of health.multiaddrs) expect(a).toMatch(new RegExp(`/ws/p2p/${health.peerId}$`))
    const before = health.peerId
    await relay.stop()
    await start()
    expect(health.peerId).toBe(before)
  })
})

describeTransportConformance('libp2p', async () => make(), {
  durable: false,
  peerToPeer: true,
  forwards: true,
  // Gossipsub promises no order between frames.
  ordered: false,
  maxFrameBytes: 1024 * 1024,
  timeoutMs: 10_000,
  interruption: { down: async () => void (await relay.stop()), up: start },
  holdsWhileDown: false,
})

describe('libp2p transport: through the relay', () => {
  it('three Node peers and the relay deliver over gossipsub', async () => {
    const ts = [make(), make(), make()]
    try {
      const access = await newAccess()
      const recs = [new Recorder(), new Recorder(), new Recorder()]
      const links = await Promise.all(ts.map((t, i) => t.open(access, recs[i]!)))
      for (const r of recs) await r.until('online', () => r.statuses.includes(true), 10_000)
      for (const [i, l] of links.entries()) await l.broadcast(utf8(`from ${i}`))
      for (const [i, r] of recs.entries()) {
        await r.until('2 frames', () => r.frames.length >= 2, 10_000)
        expect(r.texts().sort()).toEqual(['from 0', 'from 1', 'from 2'].filter((t) => t !== `from ${i}`))
      }
    } finally {
      await Promise.all(ts.map((t) => t.close()))
    }
  })

  it('peers that listen themselves are dialled directly: the relay names their addresses, not its circuit', async () => {
    const listen = ['/ip4/127.0.0.1/tcp/0/ws']
    const ts = [make({ listen }), make({ listen })]
    try {
      const access = await newAccess()
      const recs = [new Recorder(), new Recorder()]
      const links = await Promise.all(ts.map((t, i) => t.open(access, recs[i]!)))
      for (const r of recs) await r.until('online', () => r.statuses.includes(true), 10_000)
      await recs[0]!.until('linked to the other peer', () => links[0]!.peers().length > 0, 15_000)
      // The link between the two is a direct WebSocket connection, not a limited relayed one.
      const relayId = health.peerId
      const between = ts[0]!.connections().filter((c) => c.peer !== relayId)
      expect(between.length).toBeGreaterThan(0)
      expect(between.every((c) => !c.limited && !c.address.includes('p2p-circuit'))).toBe(true)
      await links[0]!.broadcast(utf8('direct hello'))
      await recs[1]!.until('the frame', () => recs[1]!.texts().includes('direct hello'), 10_000)
    } finally {
      await Promise.all(ts.map((t) => t.close()))
    }
  })

  it('says at debug which relay it cannot reach, and why, while it keeps redialling', async () => {
    const records: LogRecord[] = []
    // Nothing listens on port 1: every dial is refused at once.
    const t = new Libp2pTransport({
      relays: [`/ip4/127.0.0.1/tcp/1/ws/p2p/${health.peerId}`],
      WebSocket,
      backoff: { minMs: 50, maxMs: 100 },
      logger: sinkLogger((r) => records.push(r)),
    })
    try {
      await t.open(await newAccess(), new Recorder())
      const redials = () => records.filter((r) => r.message === 'dial failed, retrying')
      await until('two failed dials were logged', () => redials().length >= 2, 10_000)
      expect(redials()[0]).toMatchObject({
        level: 'debug',
        component: 'transport:libp2p:relays',
        fields: { peer: health.peerId, attempt: 1, error: expect.any(String) },
      })
    } finally {
      await t.close()
    }
  })

  it('a peer takes at most maxPeers members: those beyond its cap are refused', async () => {
    // A hub listening on its own address with room for 2; 4 members dial it directly and keep trying.
    const hub = new Libp2pTransport({
      relays: [],
      listen: ['/ip4/127.0.0.1/tcp/0/ws'],
      WebSocket,
      maxPeers: 2,
    })
    const spokes: Libp2pTransport[] = []
    try {
      const access = await newAccess()
      const hubRec = new Recorder()
      const hubLink = await hub.open(access, hubRec)
      const at = hub.multiaddrs().find((a) => a.includes('/ws/'))!
      const recs = Array.from({ length: 4 }, () => new Recorder())
      for (const rec of recs) {
        const spoke = new Libp2pTransport({
          relays: [],
          peers: [at],
          WebSocket,
          backoff: { minMs: 50, maxMs: 300 },
        })
        spokes.push(spoke)
        await spoke.open(access, rec)
      }
      await hubRec.until('two members', () => hubLink.peers().length === 2, 10_000)
      // Long enough for every refused spoke to have dialled again several times.
      await new Promise((r) => setTimeout(r, 2000))
      expect(hub.memberConnections()).toBe(2)
      expect(hubLink.peers()).toHaveLength(2)
      const reached = recs.filter((r) => r.joined.length > 0)
      expect(reached).toHaveLength(2)
      // The two inside hear the hub; the others do not.
      await hubLink.broadcast(utf8('to my two'))
      for (const r of reached) await r.until('the frame', () => r.texts().includes('to my two'), 10_000)
      expect(recs.filter((r) => r.texts().includes('to my two'))).toHaveLength(2)
    } finally {
      // Spokes first: they would otherwise redial a hub that is shutting down.
      await Promise.all(spokes.map((t) => t.close()))
      await hub.close()
    }
  })

  it('a frame the validator rejects is not propagated to a third peer', async () => {
    // A chain without the relay: `middle` listens on its own WebSocket address and is the only peer
    // `first` and `last` know (their "relay", which is no circuit relay: they cannot meet directly).
    // Its gate refuses 'bad', so 'bad' must stop there while 'good' goes through.
    const gate = async (sealed: Uint8Array): Promise<FrameVerdict> =>
      new TextDecoder().decode(sealed) === 'bad' ? 'reject' : 'accept'
    const middle = new Libp2pTransport({
      relays: [],
      listen: ['/ip4/127.0.0.1/tcp/0/ws'],
      WebSocket,
      validate: gate,
    })
    const ends: Libp2pTransport[] = []
    try {
      const access = await newAccess()
      const mid = new Recorder()
      await middle.open(access, mid)
      const at = middle.multiaddrs().find((a) => a.includes('/ws/'))!
      for (let i = 0; i < 2; i++)
        ends.push(
          new Libp2pTransport({ relays: [at], WebSocket, meshWaitMs: 0, backoff: { minMs: 50, maxMs: 500 } }),
        )
      const [first, last] = [new Recorder(), new Recorder()]
      const linkFirst = await ends[0]!.open(access, first)
      await ends[1]!.open(access, last)
      await first.until('online', () => first.statuses.includes(true), 10_000)
      await last.until('online', () => last.statuses.includes(true), 10_000)
      // Both ends' subscriptions must have reached the middle before anything is sent.
      await new Promise((r) => setTimeout(r, 1500))
      await linkFirst.broadcast(utf8('bad'))
      await linkFirst.broadcast(utf8('good'))
      await last.until('good', () => last.frames.length > 0, 10_000)
      await mid.until('good', () => mid.frames.length > 0, 10_000)
      await new Promise((r) => setTimeout(r, 500))
      expect(last.texts()).toEqual(['good'])
      expect(mid.texts()).toEqual(['good'])
    } finally {
      await Promise.all([middle.close(), ...ends.map((t) => t.close())])
    }
  })

  it('the relay stores messages of topics its mailbox knows; a frame not signed by the topic key goes nowhere', async () => {
    const access = await newAccess()
    // Someone who learnt the topic id but holds no topic key.
    const forger = { ...access, topic: { id: access.topic.id, signingKeys: await generateSigningKeyPair() } }
    const mailboxes = [0, 1].map(() => new MailboxTransport({ url: relay.mailboxUrl, WebSocket }))
    const ts = [make({ meshWaitMs: 0 }), make({ meshWaitMs: 0 })]
    try {
      // A member's mailbox append registers the topic (and its key) at the relay.
      await (await mailboxes[0]!.open(access, new Recorder())).broadcast(utf8('registered'))
      const [member, stranger] = [new Recorder(), new Recorder()]
      const memberLink = await ts[0]!.open(access, member)
      const forgerLink = await ts[1]!.open(forger, stranger)
      await member.until('online', () => memberLink.online(), 10_000)
      await stranger.until('online', () => forgerLink.online(), 10_000)
      await forgerLink.broadcast(utf8('forged'))
      await memberLink.broadcast(utf8('over libp2p'))
      const reader = new Recorder()
      await mailboxes[1]!.open(access, reader, 0)
      await reader.until('2 entries', () => reader.frames.length >= 2, 10_000)
      await new Promise((r) => setTimeout(r, 500))
      expect(reader.texts()).toEqual(['registered', 'over libp2p'])
      expect(member.texts()).toEqual([])
      // The forger's node checks frames with its own key: it takes nothing either.
      expect(stranger.texts()).toEqual([])
    } finally {
      await Promise.all([...ts, ...mailboxes].map((t) => t.close()))
    }
  })
})
