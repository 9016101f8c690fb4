// One host process of the libp2p scale bench: it runs `count` of a group's peers (libp2p gossipsub or
// the y-webrtc-style WebRTC mesh), broadcasts when the parent says so (host 0's first peer is the
// sender) and reports when each message reached each of its peers. Started by
// libp2p-scale.bench.ts: `host.ts <kind> <group size> <count> <host index>`, with an IPC channel.
import { randomBytes } from 'node:crypto'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import '../../core/test/node-setup'
import { WebSocket } from 'ws'
import type { TopicAccess } from '@tailmesh/core'
import { e2eGroup } from './e2e-group'
import type { HostedPeer } from './host-peer'
import { WARM_UP, now, type FromHost, type HostReport, type ToHost } from './wire'

const FRAME_BYTES = 300
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

interface Peer extends HostedPeer {
  broadcast(frame: Uint8Array): Promise<void>
}

/** A frame carrying its message index (first 4 bytes); the rest random, about one sealed chat envelope. */
function frameFor(index: number): Uint8Array {
  const f = new Uint8Array(randomBytes(FRAME_BYTES))
  new DataView(f.buffer).setUint32(0, index)
  return f
}

const indexOf = (sealed: Uint8Array) => new DataView(sealed.buffer, sealed.byteOffset).getUint32(0)

/** A recursive no-op standing in for gossipsub's metrics object, except for the bytes it reports. */
function countingMetrics(onRpcSent: (bytes: number) => void): unknown {
  const noop: object = new Proxy(() => undefined, {
    get: (_t, key) => (key === 'onRpcSent' ? (_rpc: unknown, n: number) => onRpcSent(n) : noop),
    apply: () => undefined,
  })
  return noop
}

const relays = (process.env.BENCH_RELAYS ?? '').split(',')
// Direct (default): each peer also listens on loopback WebSockets and peers dial each other there
// (the relay names their addresses), the steady state of browsers once WebRTC replaced the relayed
// link. LIBP2P_RELAYED=1: every link through the relay's circuit, the path before that upgrade.
const listen = process.env.LIBP2P_RELAYED === '1' ? [] : ['/ip4/127.0.0.1/tcp/0/ws']

type OnArrival = (peer: HostedPeer, index: number) => void

async function libp2pPeer(access: TopicAccess, onArrival: OnArrival): Promise<Peer> {
  const { Libp2pTransport } = await import('@tailmesh/core/sync/libp2p')
  const transport = new Libp2pTransport({ relays, WebSocket, listen, backoff: { minMs: 100, maxMs: 2000 } })
  let bytes = 0
  const peer: Peer = {
    arrivals: new Map(),
    connections: () => transport.connectedPeers().length,
    bytes: () => bytes,
    linked: () => link.peers().length,
    broadcast: (f) => link.broadcast(f),
    close: () => transport.close(),
  }
  const link = await transport.open(access, { frame: (sealed) => onArrival(peer, indexOf(sealed)) })
  // The node is private to the transport; the bench reads gossipsub's byte count through its metrics
  // hook (a documented gossipsub option, set here after the fact: no metrics registry is needed).
  const node = (transport as unknown as { started: { node: { services: { pubsub: object } } } }).started.node
  ;(node.services.pubsub as { metrics: unknown }).metrics = countingMetrics((b) => (bytes += b))
  return peer
}

async function webrtcPeer(access: TopicAccess, onArrival: OnArrival): Promise<Peer> {
  const { WebrtcTransport } = await import('@tailmesh/core')
  const wrtc = (await import('@roamhq/wrtc')).default
  const transport = new WebrtcTransport({
    signaling: [process.env.BENCH_SIGNAL!],
    iceServers: [],
    wrtc,
    WebSocket,
  })
  let bytes = 0
  const peer: Peer = {
    arrivals: new Map(),
    connections: () => link.peers().length,
    bytes: () => bytes,
    linked: () => link.peers().length,
    // y-webrtc-style peers send to every connection and do not forward.
    broadcast: (f) => {
      bytes += f.length * link.peers().length
      return link.broadcast(f)
    },
    close: () => transport.close(),
  }
  const link = await transport.open(access, { frame: (sealed) => onArrival(peer, indexOf(sealed)) })
  return peer
}

async function main(): Promise<void> {
  const [kind, size, count, hostIndex] = [
    process.argv[2]!,
    Number(process.argv[3]),
    Number(process.argv[4]),
    Number(process.argv[5]),
  ]
  const post = (m: FromHost) => process.send!(m)
  const peers: HostedPeer[] = []
  const sender = hostIndex === 0 ? 0 : -1
  const receivers = () => peers.filter((_, i) => i !== sender)
  /** How many of this host's receivers have each message: 'complete' once all of them do. */
  const arrivedCount = new Map<number, number>()
  const onArrival: OnArrival = (peer, index) => {
    if (peer.arrivals.has(index) || peer === peers[sender]) return
    peer.arrivals.set(index, now())
    const n = (arrivedCount.get(index) ?? 0) + 1
    arrivedCount.set(index, n)
    if (n === peers.length - (sender === 0 ? 1 : 0)) post({ t: 'complete', index })
  }
  let send: (index: number) => Promise<void>
  if (kind === 'e2e') {
    const group = await e2eGroup(size, relays, listen, onArrival)
    peers.push(...group.peers)
    send = group.send
  } else {
    const { accessFromSecret } = await import('./access')
    const access = await accessFromSecret(process.env.BENCH_TOPIC_SECRET!)
    const make = kind === 'libp2p' ? libp2pPeer : webrtcPeer
    const made: Peer[] = []
    // Join in waves of 25, as a group would not all arrive in one millisecond.
    for (let i = 0; i < count; i += 25)
      made.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(25, count - i) }, () => make(access, onArrival)),
        )),
      )
    peers.push(...made)
    send = (index) => made[0]!.broadcast(frameFor(index))
  }
  // libp2p: a few links each (gossipsub grafts its mesh from them); WebRTC: y-webrtc's full mesh, up
  // to its connection cap.
  const want = kind === 'webrtc' ? Math.min(size - 1, 20) : Math.min(4, size - 1)
  const end = Date.now() + (kind === 'webrtc' ? 90_000 : 60_000)
  while (Date.now() < end && peers.some((p) => p.linked() < want)) await sleep(200)
  post({ t: 'ready', linked: peers.filter((p) => p.linked() >= want).length })

  const sent: [number, number][] = []
  let mark = { cpu: process.cpuUsage(), wall: now(), bytes: peers.map(() => 0) }
  const loop = monitorEventLoopDelay({ resolution: 10 })
  process.on('message', (m: ToHost) => {
    if (m.t === 'mark') {
      mark = { cpu: process.cpuUsage(), wall: now(), bytes: peers.map((p) => p.bytes()) }
      loop.enable()
    } else if (m.t === 'send') {
      if (m.index !== WARM_UP) sent.push([m.index, now()])
      void send(m.index)
    } else if (m.t === 'report') {
      const cpu = process.cpuUsage(mark.cpu)
      const report: HostReport = {
        sent,
        arrivals: receivers().map((p) => [...p.arrivals].filter(([i]) => i !== WARM_UP)),
        connections: peers.map((p) => p.connections()),
        bytes: peers.map((p, i) => p.bytes() - mark.bytes[i]!),
        cpuMs: (cpu.user + cpu.system) / 1000,
        wallMs: now() - mark.wall,
        loopDelayP99Ms: loop.percentile(99) / 1e6,
      }
      post({ t: 'report', report })
    } else if (m.t === 'close') {
      void Promise.all(peers.map((p) => p.close())).finally(() => process.exit(0))
    }
  })
}

main().catch((e: unknown) => {
  process.send?.({
    t: 'failed',
    error: String(e instanceof Error ? (e.stack ?? e.message) : e),
  } satisfies FromHost)
  process.exit(1)
})
