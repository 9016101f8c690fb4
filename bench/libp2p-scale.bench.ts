// Large groups over libp2p (`npm run bench libp2p`, issue "libp2p transport", part 2): 50, 100 and 200
// Node peers of one group on loopback with one relay process, side by side with the y-webrtc-style
// WebRTC mesh (core's WebrtcTransport over @roamhq/wrtc) at 10, 20 and 50 peers.
//
// Per size: delivery latency p50 / p99 (one sender; each message's arrival at every other peer, on one
// clock), the share delivered, connections per peer, and bytes sent per peer per message. Targets:
// 200 peers p99 ≤ 1 s and ≤ 12 connections per peer.
//
// - Transport level: sealed-size frames (300 random bytes, about one sealed chat envelope) broadcast
//   on the Link; no gate (libp2p still checks the topic signature of every copy at every peer).
// - End to end, once, at E2E_PEERS (default 50): Replica + gate + Libp2pTransport, members of a group
//   built beforehand without network; latency from actions.send to the gate's `accepted` at each peer.
//
// Each size runs in a child process of its own (this file with `--worker`): all its peers share that
// process's one event loop, so the latency includes every peer's crypto queued on one core — a
// pessimistic figure, and the same for both stacks. One process per size keeps a crash (wrtc at 50)
// and libp2p's timers after stop() from touching the next size, and the machine has 2 shared cores,
// so spreading peers over more processes would not add CPU. The relay is one process for all sizes.
//
// Bytes: libp2p = gossipsub RPC bytes each peer wrote (payload, topic signature, control, IHAVE
// gossip; before noise/yamux and the circuit relay's own framing), counted through gossipsub's metrics
// hook; WebRTC = frame bytes × the connections it was sent on (y-webrtc-style peers do not forward).
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import '../core/test/node-setup'
import { WebSocket } from 'ws'
import { removeDir, spawnRelay, tempDir, type RelayProcess } from '../relay/test/helpers/relay-process'
import { median, percentile, printTable, type BenchRow, type BenchSpec } from './harness'

const here = fileURLToPath(import.meta.url)
const root = resolve(here, '../..')
const LIBP2P_SIZES = (process.env.LIBP2P_SIZES ?? '50,100,200').split(',').map(Number)
const WEBRTC_SIZES = (process.env.WEBRTC_SIZES ?? '10,20,50').split(',').map(Number)
const E2E_PEERS = Number(process.env.E2E_PEERS ?? 50)
const ROUNDS = 3
const MESSAGES = 20
const GAP_MS = 150
const FRAME_BYTES = 300
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
// LIBP2P_DIRECT=1: Node peers listen on loopback WebSockets and dial each other directly (the relay
// names their addresses in its /peers answers; it only bootstraps). Default: every link through the
// relay's circuit, the path browsers take before WebRTC upgrades it. With all peers in one process the
// direct variant measured no better here (50 peers, same load: p99 3.5 s direct vs 2.9 s relayed, setup
// 65 s vs 19 s): the peers' shared event loop, not the relay, is the bottleneck on this machine.
const LISTEN = process.env.LIBP2P_DIRECT === '1' ? ['/ip4/127.0.0.1/tcp/0/ws'] : []

/** What one worker reports (per round: one latency sample set). */
interface SizeResult {
  stack: string
  peers: number
  ok: boolean
  note: string
  setupSeconds: number
  rounds: { p50: number; p99: number; delivered: number }[]
  connections: { median: number; max: number }
  bytesPerPeerPerMessage: number
  senderBytesPerMessage: number
}

// --- worker side --------------------------------------------------------------------------------

interface Peer {
  /** The number of frames this peer has received so far, by message index. */
  arrivals: Map<number, number>
  connections(): number
  bytes(): number
  close(): Promise<void>
  broadcast(frame: Uint8Array): Promise<void>
  linked(): number
}

/** A frame carrying its message index (first 4 bytes); the rest random. */
function frameFor(index: number): Uint8Array {
  const f = new Uint8Array(randomBytes(FRAME_BYTES))
  new DataView(f.buffer).setUint32(0, index)
  return f
}

async function measure(peers: Peer[], stack: string, n: number, setupSeconds: number): Promise<SizeResult> {
  const [sender, ...others] = peers
  const sentAt = new Map<number, number>()
  const rounds: SizeResult['rounds'] = []
  // Warm-up: one message, not counted.
  await sender!.broadcast(frameFor(1_000_000))
  await sleep(1000)
  const bytesStart = peers.map((p) => p.bytes())
  const loop = monitorEventLoopDelay({ resolution: 10 })
  loop.enable()
  const cpuStart = process.cpuUsage()
  const wallStart = performance.now()
  for (let r = 0; r < ROUNDS; r++) {
    for (let m = 0; m < MESSAGES; m++) {
      const index = r * MESSAGES + m
      sentAt.set(index, performance.now())
      void sender!.broadcast(frameFor(index))
      await sleep(GAP_MS)
    }
    // Stragglers: up to 3 s after the last one.
    const end = Date.now() + 3000
    const last = r * MESSAGES + MESSAGES - 1
    while (Date.now() < end && others.some((p) => !p.arrivals.has(last))) await sleep(50)
    const lat: number[] = []
    let delivered = 0
    for (let m = 0; m < MESSAGES; m++) {
      const index = r * MESSAGES + m
      for (const p of others) {
        const at = p.arrivals.get(index)
        if (at === undefined) continue
        delivered++
        lat.push(at - sentAt.get(index)!)
      }
    }
    if (process.env.BENCH_DEBUG)
      for (let m = 0; m < MESSAGES; m++) {
        const index = r * MESSAGES + m
        const xs = others.flatMap((p) => {
          const at = p.arrivals.get(index)
          return at === undefined ? [] : [at - sentAt.get(index)!]
        })
        console.error(
          `round ${r} message ${m}: min ${Math.min(...xs).toFixed(0)} p50 ${percentile(xs, 50).toFixed(0)} max ${Math.max(...xs).toFixed(0)}`,
        )
      }
    rounds.push({
      p50: lat.length ? percentile(lat, 50) : NaN,
      p99: lat.length ? percentile(lat, 99) : NaN,
      delivered: delivered / (MESSAGES * others.length),
    })
  }
  const bytes = peers.map((p, i) => p.bytes() - bytesStart[i]!)
  const cpu = process.cpuUsage(cpuStart)
  const busy = (cpu.user + cpu.system) / 1000 / (performance.now() - wallStart)
  const conns = peers.map((p) => p.connections())
  const messages = ROUNDS * MESSAGES
  return {
    stack,
    peers: n,
    ok: rounds.every((r) => r.delivered > 0.99),
    note: `peers' process: ${(busy * 100).toFixed(0)}% of a core, event-loop delay p99 ${(loop.percentile(99) / 1e6).toFixed(0)} ms`,
    setupSeconds,
    rounds,
    connections: { median: median(conns), max: Math.max(...conns) },
    bytesPerPeerPerMessage: bytes.reduce((a, b) => a + b, 0) / messages / n,
    senderBytesPerMessage: bytes[0]! / messages,
  }
}

/** Waits until every peer has `want` linked peers, or `ms` passed; returns how many got there. */
async function linkedUp(peers: Peer[], want: number, ms: number): Promise<number> {
  const end = Date.now() + ms
  const count = () => peers.filter((p) => p.linked() >= want).length
  while (Date.now() < end && count() < peers.length) await sleep(200)
  return count()
}

/** A recursive no-op standing in for gossipsub's metrics object, except for the bytes it reports. */
function countingMetrics(onRpcSent: (bytes: number) => void): unknown {
  const noop: object = new Proxy(() => undefined, {
    get: (_t, key) => (key === 'onRpcSent' ? (_rpc: unknown, n: number) => onRpcSent(n) : noop),
    apply: () => undefined,
  })
  return noop
}

async function libp2pWorker(n: number, relays: string[]): Promise<SizeResult> {
  const { Libp2pTransport } = await import('@tailmesh/core/sync/libp2p')
  const { newAccess } = await import('@tailmesh/core/test/transport-conformance')
  const access = await newAccess()
  const t0 = performance.now()
  const peers: Peer[] = []
  const open = async () => {
    const transport = new Libp2pTransport({
      relays,
      WebSocket,
      listen: LISTEN,
      backoff: { minMs: 100, maxMs: 2000 },
    })
    const arrivals = new Map<number, number>()
    let bytes = 0
    const link = await transport.open(access, {
      frame: (sealed) => {
        const index = new DataView(sealed.buffer, sealed.byteOffset).getUint32(0)
        if (!arrivals.has(index)) arrivals.set(index, performance.now())
      },
    })
    // The node is private to the transport; the bench reads gossipsub's byte count through its metrics
    // hook (a documented gossipsub option, set here after the fact: no metrics registry is needed).
    const node = (transport as unknown as { started: { node: { services: { pubsub: object } } } }).started
      .node
    ;(node.services.pubsub as { metrics: unknown }).metrics = countingMetrics((b) => (bytes += b))
    peers.push({
      arrivals,
      connections: () => transport.connectedPeers().length,
      bytes: () => bytes,
      close: () => transport.close(),
      broadcast: (f) => link.broadcast(f),
      linked: () => link.peers().length,
    })
  }
  // Join in waves of 25, as a group would not all arrive in one millisecond.
  for (let i = 0; i < n; i += 25) await Promise.all(Array.from({ length: Math.min(25, n - i) }, open))
  const linked = await linkedUp(peers, Math.min(4, n - 1), 60_000)
  // Let gossipsub graft its meshes (heartbeat: 1 s).
  await sleep(3000)
  const setup = (performance.now() - t0) / 1000
  const result = await measure(peers, 'libp2p gossipsub', n, setup)
  if (linked < n) result.note += `; ${linked} of ${n} peers had 4 links`
  await Promise.all(peers.map((p) => p.close()))
  return result
}

async function webrtcWorker(n: number, signal: string): Promise<SizeResult> {
  const { WebrtcTransport } = await import('@tailmesh/core')
  const { newAccess } = await import('@tailmesh/core/test/transport-conformance')
  const wrtc = (await import('@roamhq/wrtc')).default
  const access = await newAccess()
  const t0 = performance.now()
  const peers: Peer[] = []
  const open = async () => {
    const transport = new WebrtcTransport({ signaling: [signal], iceServers: [], wrtc, WebSocket })
    const arrivals = new Map<number, number>()
    let bytes = 0
    const link = await transport.open(access, {
      frame: (sealed) => {
        const index = new DataView(sealed.buffer, sealed.byteOffset).getUint32(0)
        if (!arrivals.has(index)) arrivals.set(index, performance.now())
      },
    })
    peers.push({
      arrivals,
      connections: () => link.peers().length,
      bytes: () => bytes,
      close: () => transport.close(),
      broadcast: (f) => {
        bytes += f.length * link.peers().length
        return link.broadcast(f)
      },
      linked: () => link.peers().length,
    })
  }
  await Promise.all(Array.from({ length: n }, open))
  // y-webrtc-style: every peer connects to every other, up to maxConns (20–34).
  const want = Math.min(n - 1, 20)
  const linked = await linkedUp(peers, want, n <= 20 ? 60_000 : 90_000)
  const setup = (performance.now() - t0) / 1000
  const result = await measure(peers, 'WebRTC mesh (y-webrtc style)', n, setup)
  if (linked < n)
    result.note += `; ${linked} of ${n} peers reached ${want} connections in ${setup.toFixed(0)} s`
  await Promise.all(peers.map((p) => p.close()))
  return result
}

/** Replica + gate end to end: a group of `n` members built without network, then one sender. */
async function e2eWorker(n: number, relays: string[]): Promise<SizeResult> {
  const { Libp2pTransport } = await import('@tailmesh/core/sync/libp2p')
  const { MemoryStorage, Replica, envelopeId } = await import('@tailmesh/core')
  const { groupOf, join, person, sync } = await import('../core/test/peers')
  const t0 = performance.now()
  const { owner, key, general } = await groupOf()
  const people = [owner]
  for (let i = 1; i < n; i++) {
    const p = await person(`p${i}`, owner.groupId)
    await join(owner, p)
    people.push(p)
  }
  for (const p of people.slice(1)) await sync(owner, p)
  const built = (performance.now() - t0) / 1000
  const sentAt = new Map<string, number>()
  const peers: Peer[] = []
  const replicas: { close(): Promise<void> }[] = []
  const messageIds: string[] = []
  for (let i = 0; i < people.length; i += 25)
    await Promise.all(
      people.slice(i, i + 25).map(async (p) => {
        const transport = new Libp2pTransport({
          relays,
          WebSocket,
          listen: LISTEN,
          backoff: { minMs: 100, maxMs: 2000 },
        })
        const arrivals = new Map<number, number>()
        p.gate.on('accepted', (e) => {
          const at = sentAt.get(envelopeId(e))
          if (at !== undefined && p !== owner)
            arrivals.set(messageIds.indexOf(envelopeId(e)), performance.now())
        })
        const replica = await Replica.start({
          gate: p.gate,
          session: p.session,
          key,
          storage: new MemoryStorage(),
          transports: [transport],
          compactAfter: 0,
        })
        replicas.push(replica)
        const link = () =>
          (transport as unknown as { links: Map<string, { peers(): string[] }> }).links.values().next().value
        peers.push({
          arrivals,
          connections: () => transport.connectedPeers().length,
          bytes: () => 0,
          close: () => replica.close(),
          broadcast: async () => undefined,
          linked: () => link()?.peers().length ?? 0,
        })
      }),
    )
  // The owner's sends: stamp each envelope as the session hands it to the replica.
  const send = owner.session.send
  owner.session.send = (e) => {
    const id = envelopeId(e)
    messageIds.push(id)
    sentAt.set(id, performance.now())
    send(e)
  }
  await linkedUp(peers, Math.min(4, n - 1), 60_000)
  await sleep(3000)
  const setup = (performance.now() - t0) / 1000
  // measure() needs the sender first and indices 0..; here the index is the order of sends.
  let index = 0
  const senderPeer: Peer = {
    arrivals: new Map(),
    connections: () => 0,
    bytes: () => 0,
    close: async () => undefined,
    linked: () => 0,
    broadcast: async () => {
      if (index++ === 0) await owner.actions.send(general, 'warm-up')
      else await owner.actions.send(general, `message ${index}`)
    },
  }
  // Warm-up goes to id 0: shift the indices measure() uses by one.
  const others = peers.filter((_, i) => people[i] !== owner)
  const shifted = others.map((p) => ({
    ...p,
    arrivals: {
      get: (i: number) => p.arrivals.get(i + 1),
      has: (i: number) => p.arrivals.has(i + 1),
    } as unknown as Map<number, number>,
  }))
  const result = await measure([senderPeer, ...shifted], 'Replica + gate over libp2p', n, setup)
  result.note += `; group built offline in ${built.toFixed(0)} s`
  result.connections = { median: median(others.map((p) => p.connections())), max: 0 }
  await Promise.all(replicas.map((r) => r.close()))
  return result
}

/** User + system CPU seconds a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

// --- parent side --------------------------------------------------------------------------------

function runWorker(kind: string, n: number, env: Record<string, string>, timeoutMs: number) {
  return new Promise<SizeResult | { failed: string }>((done) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', here, '--worker', kind, String(n)], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    proc.stdout.setEncoding('utf8').on('data', (d: string) => (out += d))
    proc.stderr.setEncoding('utf8').on('data', (d: string) => (err += d))
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs)
    proc.once('exit', (code, signal) => {
      clearTimeout(timer)
      const line = out.split('\n').find((l) => l.startsWith('RESULT '))
      if (line) return done(JSON.parse(line.slice(7)) as SizeResult)
      const why = signal === 'SIGKILL' ? `no result in ${timeoutMs / 1000} s` : `exit ${code ?? signal}`
      done({ failed: `${why}: ${err.trim().split('\n').slice(-3).join(' / ').slice(0, 300)}` })
    })
  })
}

export default async function libp2pScale(): Promise<void> {
  const dataDir = tempDir('tailmesh-bench-')
  let relay: RelayProcess | null = null
  try {
    relay = await spawnRelay(['--connection-rate', '100000', '--max-connections', '100000'], { dataDir })
    const health = (await (await fetch(`${relay.http}/healthz`)).json()) as {
      libp2p: { multiaddrs: string[] }
    }
    const env = { BENCH_RELAYS: health.libp2p.multiaddrs.join(','), BENCH_SIGNAL: relay.signalUrl }
    const results: (SizeResult | { failed: string; stack: string; peers: number })[] = []
    const plan: [string, number, number][] = [
      ...LIBP2P_SIZES.map((n): [string, number, number] => ['libp2p', n, 180_000]),
      ...WEBRTC_SIZES.map((n): [string, number, number] => ['webrtc', n, 120_000]),
      ...(E2E_PEERS > 0 ? [['e2e', E2E_PEERS, 180_000] as [string, number, number]] : []),
    ]
    for (const [kind, n, timeout] of plan) {
      if (n <= 1) continue
      const t = performance.now()
      const relayCpu = cpuSeconds(relay.proc.pid!)
      const r = await runWorker(kind, n, env, timeout)
      if (!('failed' in r))
        r.note += `; relay process ${(cpuSeconds(relay.proc.pid!) - relayCpu).toFixed(0)} CPU s in ${((performance.now() - t) / 1000).toFixed(0)} s`
      console.log(`${kind} × ${n}: ${((performance.now() - t) / 1000).toFixed(0)} s`)
      results.push('failed' in r ? { ...r, stack: kind, peers: n } : r)
      await sleep(1000)
    }
    report(results)
  } finally {
    await relay?.stop()
    removeDir(dataDir)
  }
}

function report(results: (SizeResult | { failed: string; stack: string; peers: number })[]): void {
  const ok = results.filter((r): r is SizeResult => !('failed' in r))
  const name = (r: SizeResult) => `${r.stack}, ${r.peers} peers`
  const rows = (pick: (r: SizeResult) => number[]): BenchRow[] =>
    ok.map((r) => {
      const xs = pick(r)
      return {
        name: name(r),
        median: median(xs),
        min: Math.min(...xs),
        max: Math.max(...xs),
        ratio: median(xs) / median(pick(ok[0]!)),
      }
    })
  const spec = (title: string, unit: string, targets: string[] = []): BenchSpec => ({
    title,
    unit,
    better: 'lower',
    baseline: { name: ok[0] ? name(ok[0]) : '-', run: () => 0 },
    cases: [],
    targets,
  })
  if (ok.length > 0) {
    printTable(
      spec('Delivery latency p50, one sender to every peer', 'ms'),
      rows((r) => r.rounds.map((x) => x.p50)),
      ROUNDS,
    )
    printTable(
      spec('Delivery latency p99, one sender to every peer', 'ms', ['200 peers: p99 ≤ 1,000 ms']),
      rows((r) => r.rounds.map((x) => x.p99)),
      ROUNDS,
    )
    printTable(
      spec('Share of (message, peer) pairs delivered within 3 s of the last send', '%'),
      rows((r) => r.rounds.map((x) => x.delivered * 100)),
      ROUNDS,
    )
    console.log('\nConnections per peer (libp2p: relay included), bytes sent per peer per message, setup')
    console.log('| case | conns median | conns max | B/peer/msg | sender B/msg | setup s | note |')
    console.log('|---|---|---|---|---|---|---|')
    for (const r of ok)
      console.log(
        `| ${name(r)} | ${r.connections.median} | ${r.connections.max} | ${r.bytesPerPeerPerMessage.toFixed(0)} | ${r.senderBytesPerMessage.toFixed(0)} | ${r.setupSeconds.toFixed(0)} | ${r.note} |`,
      )
    console.log('target: 200 peers ≤ 12 connections per peer')
  }
  for (const r of results)
    if ('failed' in r) console.log(`FAILED: ${r.stack} with ${r.peers} peers — ${r.failed}`)
}

// --- entry of a worker process --------------------------------------------------------------------

if (process.argv[2] === '--worker') {
  const kind = process.argv[3]!
  const n = Number(process.argv[4])
  const relays = (process.env.BENCH_RELAYS ?? '').split(',')
  const run =
    kind === 'libp2p'
      ? libp2pWorker(n, relays)
      : kind === 'webrtc'
        ? webrtcWorker(n, process.env.BENCH_SIGNAL!)
        : e2eWorker(n, relays)
  run.then(
    (r) => {
      console.log(`RESULT ${JSON.stringify(r)}`)
      process.exit(0)
    },
    (e: unknown) => {
      console.error(e)
      process.exit(1)
    },
  )
}
