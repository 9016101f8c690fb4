// Message latency Alice → Bob over WebRTC in Chromium (`npm run bench -- latency`), Tailmesh side by side
// with stock y-webrtc on the same two pages (issue "First vertical slice"). Target: Tailmesh p50 ≤ 5 ms
// and within 1.2× of stock y-webrtc despite signing, encryption and the gate.
//
// Setup: the real relay process (its /signal is y-webrtc compatible) on a free port; two Chromium
// persons (separate profiles, the flags in CONTRIBUTING.md) open one page bundling both stacks
// (pages/latency-page.ts). Stock: a WebrtcProvider over a Y.Doc (Y.Map keyed by ping id). Tailmesh: Alice
// creates a group, Bob's replica catches up over WebRTC and he joins with an invite; both run a Replica
// with the WebRTC transport only and MemoryStorage (no IndexedDB in the measurement).
//
// Method: round trips. Alice sends a ping and waits for Bob's echo (stock: Bob's Y.Map observer writes
// the echo; Tailmesh: Bob's gate accepts the ping and he sends "echo <n>" with actions.send, so the
// echo pays signing, sealing and the gate too) before the next ping: latency, not throughput. The
// latency reported is RTT / 2, taken on Alice's clock alone, so no clock offset between the two
// browser processes enters it. Each run: 20 warm-up pings, then 200 measured; runs of the two stacks
// alternate (runBench). One-way times on a shared wall clock (performance.timeOrigin + now() in each
// page) are printed as a cross-check and used for the stage breakdown; those two legs that cross
// between the browsers carry the clock offset, which cancels in their sum.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { bundleEntry, htmlPage, launchPerson, type Person } from '../web/e2e/harness'
import { removeDir, spawnRelay, type RelayProcess } from '../relay/test/helpers/relay-process'
import { median, percentile, printTable, runBench, type BenchRow } from './harness'
import type { EchoSample, LatencyPageApi, PingSample } from './pages/latency-api'

const MESSAGES = 200
const WARMUP = 20
const RUNS = Number(process.env.LATENCY_RUNS ?? 7)
const MICRO_N = 200
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Serves the page cross-origin isolated (COOP + COEP), which is what lifts Chromium's coarsening of
 * performance.now() from 100 µs to 5 µs. WebSockets and WebRTC are not subresources: COEP leaves them be.
 */
async function serveIsolated(
  files: Record<string, string>,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const body = files[path === '/' ? '/index.html' : path]
    if (body === undefined) return void res.writeHead(404).end()
    res
      .writeHead(200, {
        'content-type': path.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/html; charset=utf-8',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
        'cache-control': 'no-store',
      })
      .end(body)
  })
  server.keepAliveTimeout = 1000
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/index.html`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r())
        server.closeAllConnections()
      }),
  }
}

/** Calls `window.latencyBench[method](...args)` in the page. */
async function call<K extends keyof LatencyPageApi>(
  page: Page,
  method: K,
  ...args: Parameters<LatencyPageApi[K]>
): Promise<Awaited<ReturnType<LatencyPageApi[K]>>> {
  return page.evaluate(
    ([m, a]) => {
      const api = window.latencyBench as unknown as Record<string, (...x: unknown[]) => unknown>
      return api[m]!(...a)
    },
    [method, args] as [string, unknown[]],
  ) as Promise<Awaited<ReturnType<LatencyPageApi[K]>>>
}

async function waitFor(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`)
    await sleep(50)
  }
}

type Stack = 'stock' | 'tailmesh'

/** Per-run figures of one stack (ms). */
interface RunFigures {
  p50: number
  p95: number
  oneWayP50: number
  oneWayP95: number
  /** Median duration of the synchronous send call (see PingSample.sendCallMs). */
  sendCallMs: number
  /** Median of each stage (tailmesh) or leg (stock) over the run's pings. */
  stages: Record<string, number>
}

const STAGES: Record<Stack, string[]> = {
  stock: [
    'wire A→B: Y.Map set (encode, send) → Bob data event (clock)',
    'Bob: data event → observer (y-webrtc decode, Y apply)',
    'wire B→A: echo set in observer → Alice data event (clock)',
    'Alice: data event → observer',
  ],
  tailmesh: [
    'Alice: send() → frame to the data channel (sign, gate, seal)',
    'wire A→B: data channel send → Bob frame handler (clock)',
    'Bob: frame → gate accepted (open, verify, gate, apply)',
    'Bob: accepted → echo frame to the data channel',
    'wire B→A: data channel send → Alice frame handler (clock)',
    'Alice: frame → gate accepted',
  ],
}

function figures(stack: Stack, samples: PingSample[], echoes: Record<number, EchoSample>): RunFigures {
  const half = samples.map((s) => s.rtt / 2)
  const oneWay = samples.map((s) => echoes[s.seq]!.arrivedAt - s.sentAt)
  const legs: number[][] = STAGES[stack].map(() => [])
  for (const s of samples) {
    const e = echoes[s.seq]!
    const stamps =
      stack === 'stock'
        ? [s.sentAt, e.frameAt!, e.arrivedAt, s.echoFrameAt!, s.echoAt]
        : [s.sentAt, s.broadcastAt!, e.frameAt!, e.arrivedAt, e.echoBroadcastAt!, s.echoFrameAt!, s.echoAt]
    for (let i = 0; i + 1 < stamps.length; i++) legs[i]!.push(stamps[i + 1]! - stamps[i]!)
  }
  return {
    p50: percentile(half, 50),
    p95: percentile(half, 95),
    oneWayP50: percentile(oneWay, 50),
    oneWayP95: percentile(oneWay, 95),
    sendCallMs: median(samples.map((s) => s.sendCallMs)),
    stages: Object.fromEntries(STAGES[stack].map((name, i) => [name, median(legs[i]!)])),
  }
}

function rowsOf(names: string[], samples: number[][]): BenchRow[] {
  const base = median(samples[0]!)
  return names.map((name, i) => ({
    name,
    median: median(samples[i]!),
    min: Math.min(...samples[i]!),
    max: Math.max(...samples[i]!),
    ratio: median(samples[i]!) / base,
  }))
}

export default async function latency(): Promise<void> {
  let relay: RelayProcess | null = null
  let server: { url: string; close: () => Promise<void> } | null = null
  const people: Person[] = []
  try {
    relay = await spawnRelay()
    const entry = fileURLToPath(new URL('./pages/latency-page.ts', import.meta.url))
    const js = await bundleEntry(entry, { sourcemap: false })
    server = await serveIsolated({ '/index.html': htmlPage('Tailmesh latency bench'), '/main.js': js })
    const [alice, bob] = await Promise.all([launchPerson('alice'), launchPerson('bob')])
    people.push(alice, bob)
    for (const p of people) {
      await p.page.goto(server.url)
      await p.page.waitForFunction(() => window.latencyBench !== undefined)
    }
    const info = await call(alice.page, 'info')
    console.log(
      `\nChromium: ${/Chrome\/[\d.]+/.exec(info.userAgent)?.[0] ?? info.userAgent}; cross-origin isolated: ` +
        `${info.crossOriginIsolated}; performance.now() step ${(info.clockStepMs * 1000).toFixed(0)} µs`,
    )

    // Stock y-webrtc: Bob starts a moment later (two peers starting in the same millisecond can deadlock).
    const room = `latency-bench-${Date.now()}`
    await call(alice.page, 'stockStart', relay.signalUrl, room)
    await sleep(300 + Math.random() * 300)
    await call(bob.page, 'stockStart', relay.signalUrl, room)
    await call(bob.page, 'stockEcho')
    const t0 = performance.now()
    await waitFor(
      'stock y-webrtc connected',
      async () => (await call(alice.page, 'stockReady')) && (await call(bob.page, 'stockReady')),
    )
    console.log(`stock y-webrtc: connected in ${(performance.now() - t0).toFixed(0)} ms`)

    // Tailmesh: Alice's group, Bob catches up over WebRTC and joins with her invite.
    const t1 = performance.now()
    const invite = await call(alice.page, 'tmCreate', relay.signalUrl)
    await call(bob.page, 'tmJoin', relay.signalUrl, invite)
    await waitFor('Alice sees Bob join', async () => (await call(alice.page, 'tmMembers')) === 2)
    await call(bob.page, 'tmEcho')
    console.log(`tailmesh: Bob caught up over WebRTC and joined in ${(performance.now() - t1).toFixed(0)} ms`)

    const pairs = await call(alice.page, 'candidatePairs')
    console.log(`selected candidate pairs (Alice's side): ${pairs.join('; ')}`)
    const runs: Record<Stack, RunFigures[]> = { stock: [], tailmesh: [] }
    const oneRun = async (stack: Stack): Promise<number> => {
      const { samples } = await call(alice.page, stack === 'stock' ? 'stockRun' : 'tmRun', MESSAGES, WARMUP)
      const echoes = await call(bob.page, 'takeEchoes')
      const f = figures(stack, samples, echoes)
      runs[stack].push(f)
      return f.p50
    }
    const names = ['stock y-webrtc (Y.Map set → observer)', 'tailmesh (send → sign → seal → gate)']
    const targets = ['tailmesh p50 ≤ 5 ms', 'tailmesh p50 ≤ 1.2× stock y-webrtc']
    const title = (what: string) =>
      `Message latency Alice → Bob over WebRTC in Chromium, ${what} of ${MESSAGES} messages (RTT / 2)`
    await runBench({
      title: title('p50'),
      unit: 'ms',
      better: 'lower',
      runs: RUNS,
      baseline: { name: names[0]!, run: () => oneRun('stock') },
      cases: [{ name: names[1]!, run: () => oneRun('tailmesh') }],
      targets,
    })
    const spec = (what: string) => ({
      title: title(what),
      unit: 'ms',
      better: 'lower' as const,
      baseline: { name: names[0]!, run: () => 0 },
      cases: [],
    })
    const stacks: Stack[] = ['stock', 'tailmesh']
    printTable(
      { ...spec('p95'), targets: ['none set; for information'] },
      rowsOf(
        names,
        stacks.map((s) => runs[s].map((r) => r.p95)),
      ),
      RUNS,
    )
    printTable(
      {
        ...spec('cross-check: one-way p50 on the shared wall clock'),
        title: `Cross-check: one-way Alice → Bob p50 / p95 on the pages' shared wall clock (timeOrigin + now())`,
      },
      rowsOf(
        [`${names[0]} p50`, `${names[1]} p50`, `${names[0]} p95`, `${names[1]} p95`],
        [
          runs.stock.map((r) => r.oneWayP50),
          runs.tailmesh.map((r) => r.oneWayP50),
          runs.stock.map((r) => r.oneWayP95),
          runs.tailmesh.map((r) => r.oneWayP95),
        ],
      ),
      RUNS,
    )
    for (const stack of stacks) {
      console.log(
        `per-run p50 (RTT / 2), ${stack}, in run order: ${runs[stack].map((r) => r.p50.toFixed(2)).join(', ')}`,
      )
    }

    // Where the time goes: each round trip split at the timestamps both pages took (medians per run,
    // then the median over runs). "(clock)" legs cross between the browsers and include the offset of
    // their clocks; it cancels in A→B + B→A.
    for (const stack of stacks) {
      const per = STAGES[stack].map((name) => runs[stack].map((r) => r.stages[name]!))
      const rows = rowsOf(STAGES[stack], per)
      const total = rows.reduce((a, r) => a + r.median, 0)
      console.log(`\nWhere a ${stack} round trip goes (ms, median over runs of per-run medians):`)
      for (const r of rows)
        console.log(
          `  ${r.name.padEnd(58)} ${r.median.toFixed(3).padStart(7)}  (${r.min.toFixed(3)}–${r.max.toFixed(3)})`,
        )
      console.log(`  ${'sum of stage medians'.padEnd(58)} ${total.toFixed(3).padStart(7)}`)
      const wire = rows.filter((r) => r.name.includes('(clock)')).reduce((a, r) => a + r.median, 0)
      console.log(`  ${'both wire legs together (offset-free)'.padEnd(58)} ${wire.toFixed(3).padStart(7)}`)
      const call = median(runs[stack].map((r) => r.sendCallMs))
      console.log(
        `  ${(stack === 'stock' ? 'of which the Y.Map set call (encode + data channel send)' : 'of which the broadcast call (data channel send)').padEnd(58)} ${call.toFixed(3).padStart(7)}`,
      )
    }

    // The pieces of the pipeline timed alone, one at a time, in Alice's Chromium.
    const micro = await call(alice.page, 'micro', MICRO_N)
    console.log(`\nIn Chromium, each operation alone (median µs of ${MICRO_N}, awaited one at a time):`)
    for (const [name, us] of Object.entries(micro))
      console.log(`  ${name.padEnd(70)} ${us.toFixed(0).padStart(6)} µs`)

    const pairsAfter = await call(alice.page, 'candidatePairs')
    if (pairsAfter.join() !== pairs.join())
      console.log(`candidate pairs at the end: ${pairsAfter.join('; ')}`)
    for (const p of people) if (p.errors.length) console.warn(`${p.name}'s page errors:`, p.errors)
    for (const p of people) await call(p.page, 'close').catch(() => undefined)
  } finally {
    await Promise.all(people.map((p) => p.close()))
    await server?.close()
    if (relay) {
      await relay.stop()
      removeDir(relay.dataDir)
    }
  }
}
