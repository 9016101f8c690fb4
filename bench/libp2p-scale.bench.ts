// Large groups over libp2p (`npm run bench libp2p`, issue "libp2p transport", part 2): 50, 100 and 200
// Node peers of one group on loopback with one relay process, side by side with the y-webrtc-style
// WebRTC mesh (core's WebrtcTransport over @roamhq/wrtc) at 10, 20 and 50 peers.
//
// Per size: delivery latency p50 / p99 (one sender; each message's arrival at every other peer, on one
// clock), the share delivered, connections per peer, bytes sent per peer per message, and the CPU time
// all peers spent per peer per message.
// Targets: 200 peers p99 ≤ 1 s and ≤ 12 connections per peer.
//
// - Transport level: sealed-size frames (300 random bytes, about one sealed chat envelope) broadcast
//   on the Link; no gate (libp2p still checks the topic signature of every message at every peer).
//   libp2p peers listen on loopback WebSockets and dial each other directly (the relay bootstraps and
//   names their addresses), the steady state of browsers once WebRTC replaced a relayed link;
//   LIBP2P_RELAYED=1 puts every link through the relay's circuit instead (the path before the
//   upgrade), and the plan includes one relayed size (LIBP2P_RELAYED_SIZES, default 50).
// - End to end, once, at E2E_PEERS (default 50): Replica + gate + Libp2pTransport, members of a group
//   built beforehand without network; latency from actions.send to the gate's `accepted` at each peer.
//
// The peers of a size are spread over one host process per core (bench/libp2p-scale/host.ts; the e2e
// case runs in one): real peers each have a CPU of their own, while here each process runs dozens on
// one event loop — a peer's frame waits behind every other peer's work there. Per process and size
// the note gives its CPU use and event-loop delay, so a figure limited by this machine shows as such.
// Messages go out every GAP_MS (default 1,000 ms: a busy group); at 200 peers one message costs all
// of them together about 0.7 CPU s (see the CPU column), which 2 shared cores must find between two
// messages: at 500 ms the hosts fall behind and the figure measures this machine, not the network.
// Measuring starts once the group has formed (SETTLE_MS after every peer has its links: gossipsub
// grafts its meshes at each 1-s heartbeat and late discovery rounds settle).
//
// Bytes: libp2p = gossipsub RPC bytes each peer wrote (payload, control, IHAVE gossip; before
// noise/yamux framing), counted through gossipsub's metrics hook; WebRTC = frame bytes × the
// connections it was sent on (y-webrtc-style peers do not forward).
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import '../core/test/node-setup'
import { removeDir, spawnRelay, tempDir, type RelayProcess } from '../relay/test/helpers/relay-process'
import { newTopicSecret } from './libp2p-scale/access'
import { WARM_UP, type FromHost, type HostReport, type ToHost } from './libp2p-scale/wire'
import { median, percentile, printTable, type BenchRow, type BenchSpec } from './harness'

const here = fileURLToPath(import.meta.url)
const root = resolve(here, '../..')
const hostFile = resolve(here, '../libp2p-scale/host.ts')
const sizes = (name: string, fallback: string) =>
  (process.env[name] ?? fallback).split(',').filter(Boolean).map(Number)
const LIBP2P_SIZES = sizes('LIBP2P_SIZES', '50,100,200')
const RELAYED_SIZES = sizes('LIBP2P_RELAYED_SIZES', '50')
const WEBRTC_SIZES = sizes('WEBRTC_SIZES', '10,20,50')
const E2E_PEERS = Number(process.env.E2E_PEERS ?? 50)
const HOSTS = Number(process.env.LIBP2P_HOSTS ?? availableParallelism())
const ROUNDS = 3
const MESSAGES = 20
const GAP_MS = Number(process.env.GAP_MS ?? 1000)
const SETTLE_MS = Number(process.env.SETTLE_MS ?? 10_000)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

interface Case {
  kind: 'libp2p' | 'webrtc' | 'e2e'
  stack: string
  peers: number
  hosts: number
  env: Record<string, string>
  timeoutMs: number
}

interface SizeResult {
  stack: string
  peers: number
  note: string
  setupSeconds: number
  rounds: { p50: number; p99: number; delivered: number }[]
  connections: { median: number; max: number }
  bytesPerPeerPerMessage: number
  senderBytesPerMessage: number
  cpuMsPerPeerPerMessage: number
}

/** A host process and what it said. */
class Host {
  readonly proc: ChildProcess
  ready: Extract<FromHost, { t: 'ready' }> | null = null
  report: HostReport | null = null
  failed: string | null = null
  readonly complete = new Set<number>()
  private stderr = ''

  constructor(c: Case, count: number, index: number, env: Record<string, string>) {
    // LIBP2P_PROFILE=<dir>: a V8 CPU profile of each host (open it in Chrome's DevTools).
    const profile = process.env.LIBP2P_PROFILE
    const flags = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []
    this.proc = spawn(
      process.execPath,
      [...flags, '--import', 'tsx', hostFile, c.kind, String(c.peers), String(count), String(index)],
      { cwd: root, env: { ...process.env, ...env, ...c.env }, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] },
    )
    this.proc
      .stderr!.setEncoding('utf8')
      .on('data', (d: string) => (this.stderr = (this.stderr + d).slice(-2000)))
    this.proc.on('message', (m: FromHost) => {
      if (m.t === 'ready') this.ready = m
      else if (m.t === 'complete') this.complete.add(m.index)
      else if (m.t === 'report') this.report = m.report
      else this.failed = m.error
    })
    this.proc.once('exit', (code) => {
      if (this.report === null && this.failed === null) this.failed = `exit ${code}: ${this.lastWords()}`
    })
  }

  tell(m: ToHost): void {
    if (this.proc.connected) this.proc.send(m)
  }

  lastWords(): string {
    return this.stderr.trim().split('\n').slice(-3).join(' / ').slice(0, 300)
  }
}

async function until(hosts: Host[], done: (h: Host) => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (hosts.some((h) => h.failed !== null)) return false
    if (hosts.every(done)) return true
    await sleep(50)
  }
  return false
}

async function runCase(c: Case, env: Record<string, string>): Promise<SizeResult | { failed: string }> {
  const t0 = performance.now()
  const share = (i: number) => Math.floor((c.peers * (i + 1)) / c.hosts) - Math.floor((c.peers * i) / c.hosts)
  const hosts = Array.from({ length: c.hosts }, (_, i) => new Host(c, share(i), i, env))
  const deadline = setTimeout(() => hosts.forEach((h) => h.proc.kill('SIGKILL')), c.timeoutMs)
  try {
    if (!(await until(hosts, (h) => h.ready !== null, c.timeoutMs)))
      return { failed: hosts.find((h) => h.failed)?.failed ?? `not ready in ${c.timeoutMs / 1000} s` }
    // Until every peer had its links (the settling time is not counted).
    const setupSeconds = (performance.now() - t0) / 1000
    await sleep(SETTLE_MS)
    const [sender] = hosts
    for (const h of hosts) h.tell({ t: 'mark' })
    sender!.tell({ t: 'send', index: WARM_UP })
    await sleep(1000)
    for (let r = 0; r < ROUNDS; r++) {
      for (let m = 0; m < MESSAGES; m++) {
        sender!.tell({ t: 'send', index: r * MESSAGES + m })
        await sleep(GAP_MS)
      }
      // Stragglers: up to 3 s after the last one.
      const last = r * MESSAGES + MESSAGES - 1
      await until(hosts, (h) => h.complete.has(last), 3000)
    }
    for (const h of hosts) h.tell({ t: 'report' })
    if (!(await until(hosts, (h) => h.report !== null, 30_000)))
      return { failed: hosts.find((h) => h.failed)?.failed ?? 'no report' }
    const reports = hosts.map((h) => h.report!)
    const result = summarize(c, reports, setupSeconds)
    const linked = hosts.reduce((n, h) => n + h.ready!.linked, 0)
    if (linked < c.peers) result.note += `; ${linked} of ${c.peers} peers had their links before sending`
    return result
  } finally {
    clearTimeout(deadline)
    for (const h of hosts) h.tell({ t: 'close' })
    await Promise.all(
      hosts.map(
        (h) =>
          new Promise<void>((done) => {
            if (h.proc.exitCode !== null) return done()
            const kill = setTimeout(() => h.proc.kill('SIGKILL'), 15_000)
            h.proc.once('exit', () => {
              clearTimeout(kill)
              done()
            })
          }),
      ),
    )
  }
}

function summarize(c: Case, reports: HostReport[], setupSeconds: number): SizeResult {
  const sentAt = new Map(reports[0]!.sent)
  const arrivals = reports.flatMap((r) => r.arrivals.map((a) => new Map(a)))
  const rounds: SizeResult['rounds'] = []
  for (let r = 0; r < ROUNDS; r++) {
    const lat: number[] = []
    for (let m = 0; m < MESSAGES; m++) {
      const index = r * MESSAGES + m
      const sent = sentAt.get(index)
      if (sent === undefined) continue
      for (const a of arrivals) {
        const at = a.get(index)
        if (at !== undefined) lat.push(at - sent)
      }
    }
    if (process.env.LIBP2P_DEBUG)
      for (let m = 0; m < MESSAGES; m++) {
        const index = r * MESSAGES + m
        const xs = arrivals.flatMap((a) => (a.has(index) ? [a.get(index)! - sentAt.get(index)!] : []))
        console.error(
          `${c.stack} ${c.peers}: message ${index}: p50 ${percentile(xs, 50).toFixed(0)} p99 ${percentile(xs, 99).toFixed(0)} max ${Math.max(...xs).toFixed(0)} ms, ${xs.filter((x) => x > 1000).length} over 1 s`,
        )
      }
    rounds.push({
      p50: lat.length ? percentile(lat, 50) : NaN,
      p99: lat.length ? percentile(lat, 99) : NaN,
      delivered: lat.length / (MESSAGES * arrivals.length),
    })
  }
  const messages = ROUNDS * MESSAGES + 1
  const bytes = reports.flatMap((r) => r.bytes)
  const conns = reports.flatMap((r) => r.connections)
  const cpuMs = reports.reduce((n, r) => n + r.cpuMs, 0)
  const perHost = reports
    .map(
      (r) =>
        `${((r.cpuMs / r.wallMs) * 100).toFixed(0)}% of a core, loop delay p99 ${r.loopDelayP99Ms.toFixed(0)} ms`,
    )
    .join('; ')
  return {
    stack: c.stack,
    peers: c.peers,
    note: `${c.hosts} process${c.hosts > 1 ? 'es' : ''}: ${perHost}`,
    setupSeconds,
    rounds,
    connections: { median: median(conns), max: Math.max(...conns) },
    bytesPerPeerPerMessage: bytes.reduce((a, b) => a + b, 0) / messages / c.peers,
    senderBytesPerMessage: bytes[0]! / messages,
    cpuMsPerPeerPerMessage: cpuMs / messages / c.peers,
  }
}

/** User + system CPU seconds a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

export default async function libp2pScale(): Promise<void> {
  const dataDir = tempDir('tailmesh-bench-')
  let relay: RelayProcess | null = null
  try {
    relay = await spawnRelay(
      ['--connection-rate', '100000', '--max-connections', '100000', '--max-connections-per-ip', '100000'],
      { dataDir },
    )
    const health = (await (await fetch(`${relay.http}/healthz`)).json()) as {
      libp2p: { multiaddrs: string[] }
    }
    const env = { BENCH_RELAYS: health.libp2p.multiaddrs.join(','), BENCH_SIGNAL: relay.signalUrl }
    const plan: Case[] = [
      ...LIBP2P_SIZES.map((n): Case => ({
        kind: 'libp2p',
        stack: 'libp2p gossipsub',
        peers: n,
        hosts: HOSTS,
        env: {},
        timeoutMs: 240_000,
      })),
      ...RELAYED_SIZES.map((n): Case => ({
        kind: 'libp2p',
        stack: 'libp2p gossipsub, all relayed',
        peers: n,
        hosts: HOSTS,
        env: { LIBP2P_RELAYED: '1' },
        timeoutMs: 240_000,
      })),
      ...WEBRTC_SIZES.map((n): Case => ({
        kind: 'webrtc',
        stack: 'WebRTC mesh (y-webrtc style)',
        peers: n,
        hosts: HOSTS,
        env: {},
        timeoutMs: 180_000,
      })),
      ...(E2E_PEERS > 1
        ? [
            {
              kind: 'e2e',
              stack: 'Replica + gate over libp2p',
              peers: E2E_PEERS,
              hosts: 1,
              env: {},
              timeoutMs: 240_000,
            } satisfies Case,
          ]
        : []),
    ]
    const results: (SizeResult | { failed: string; stack: string; peers: number })[] = []
    for (const c of plan) {
      if (c.peers <= 1) continue
      const t = performance.now()
      const relayCpu = cpuSeconds(relay.proc.pid!)
      const r = await runCase(c, { ...env, BENCH_TOPIC_SECRET: newTopicSecret() })
      if (!('failed' in r))
        r.note += `; relay process ${(cpuSeconds(relay.proc.pid!) - relayCpu).toFixed(0)} CPU s in ${((performance.now() - t) / 1000).toFixed(0)} s`
      console.log(`${c.stack} × ${c.peers}: ${((performance.now() - t) / 1000).toFixed(0)} s`)
      results.push('failed' in r ? { ...r, stack: c.stack, peers: c.peers } : r)
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
  console.log(
    `\nOne message every ${GAP_MS} ms, ${ROUNDS} rounds of ${MESSAGES}; peers spread over processes as noted.`,
  )
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
    console.log('\nConnections per peer (libp2p: relay included), bytes and CPU per peer per message, setup')
    console.log(
      '| case | conns median | conns max | B/peer/msg | sender B/msg | CPU ms/peer/msg | setup s | note |',
    )
    console.log('|---|---|---|---|---|---|---|---|')
    for (const r of ok)
      console.log(
        `| ${name(r)} | ${r.connections.median} | ${r.connections.max} | ${r.bytesPerPeerPerMessage.toFixed(0)} | ${r.senderBytesPerMessage.toFixed(0)} | ${r.cpuMsPerPeerPerMessage.toFixed(2)} | ${r.setupSeconds.toFixed(0)} | ${r.note} |`,
      )
    console.log('target: 200 peers ≤ 12 connections per peer')
  }
  for (const r of results)
    if ('failed' in r) console.log(`FAILED: ${r.stack} with ${r.peers} peers — ${r.failed}`)
}
