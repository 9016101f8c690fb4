// A panel with 100k messages in the built app in Chromium (`npm run bench -- panel-100k`): the time
// from opening the panel to its first screen of messages, and the longest main-thread task while
// scrolling back through the whole history (PerformanceObserver 'longtask'). Targets: ≤ 300 ms and
// no task over 50 ms.
//
// Seeding (web/e2e/app/seed-history.ts): a Node member ("Seeder", core directly) creates the group
// with a clock set WEEKS weeks back and writes the 100k messages into the "history" panel, spread
// evenly over those weeks, 500 per envelope (one signature each; a week holds 100k / WEEKS
// messages), then an invite. The envelopes go to the real relay's mailbox through core's Replica. Alice, in Chromium, joins from the link, which
// brings every envelope into her IndexedDB; then the measured part, PANEL_RUNS times (default 5; the
// machine is noisy, the tables show medians): she reloads (history restored from IndexedDB), opens
// #history, then scrolls to its start, week by week.
//
// The app is built into a directory of the bench's own (app-build.ts) and served by the relay from
// there; PANEL_WEB_DIR serves an already built one instead (e.g. another commit's, to compare).
//
// Each scroll also reports its garbage collections (major ones mark the whole heap: their pauses
// were the longest tasks) and the live heap after it. To find out why: PANEL_GC_LOG=1 lists each
// major GC with the heap before and after; with PANEL_PROFILE set, PANEL_HEAP_SUMMARY=1 breaks the
// live heap down by constructor and PANEL_PROMOTED=1 lists where the scroll allocates what outlives
// the young generation (what fills the old one between major GCs).
import type { CDPSession, Page } from 'playwright-core'
import { rmSync, writeFileSync } from 'node:fs'
import { launchPerson, closeEveryone } from '../web/e2e/harness'
import { startRelay } from '../web/e2e/app/relay'
import { chooseNickname } from '../web/e2e/app/steps'
import { seedHistory } from '../web/e2e/app/seed-history'
import { buildAppInto } from './app-build'
import { median, printTable, type BenchRow } from './harness'

const TOTAL = Number(process.env.PANEL_MESSAGES ?? 100_000)
const WEEKS = Number(process.env.PANEL_WEEKS ?? 20)
const RUNS = Number(process.env.PANEL_RUNS ?? 5)

/** One table row per measure, next to its target (the baseline column). */
function report(title: string, unit: string, target: number, samples: number[]): void {
  const row = (name: string, xs: number[]): BenchRow => ({
    name,
    median: median(xs),
    min: Math.min(...xs),
    max: Math.max(...xs),
    ratio: median(xs) / target,
  })
  const base = { name: `target ≤ ${target} ${unit}`, run: () => target }
  printTable(
    { title, unit, better: 'lower', baseline: base, cases: [] },
    [row(base.name, [target]), row('measured', samples)],
    samples.length,
  )
}

export default async function panel100k(): Promise<void> {
  const own = process.env.PANEL_WEB_DIR ? null : (await buildAppInto()).dir
  const previousWebDir = process.env.WEB_DIR
  process.env.WEB_DIR = process.env.PANEL_WEB_DIR ?? own!
  const relay = await startRelay()
  if (previousWebDir === undefined) delete process.env.WEB_DIR
  else process.env.WEB_DIR = previousWebDir
  try {
    const seeded = await seedHistory(relay.url, {
      total: TOTAL,
      weeks: WEEKS,
      body: (i) => `History message ${i}: the lamp log, line ${i}`,
    })
    console.log(`seeded ${TOTAL} messages over ${WEEKS} weeks in ${seeded.seconds.toFixed(1)} s`)
    const alice = await launchPerson('alice', { baseURL: relay.url })
    const page = alice.page
    await page.goto('/')
    await chooseNickname(page, 'Alice')
    const t = Date.now()
    await page.goto(seeded.link)
    const join = page.getByRole('button', { name: 'Join' })
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('button')].some((b) => b.textContent?.trim() === 'Join' && !b.disabled),
      undefined,
      { timeout: 120_000 },
    )
    await join.click({ timeout: 120_000 })
    await page.getByRole('heading', { name: '# general', level: 1 }).waitFor({ timeout: 120_000 })
    // Wait for the newest message: the mailbox hands entries over in order, so all are here then.
    await page
      .getByRole('link', { name: /history/ })
      .first()
      .click()
    await page.getByText(`History message ${TOTAL - 1}:`).waitFor({ timeout: 300_000 })
    console.log(
      `join + catch-up of ${TOTAL} messages from the mailbox: ${((Date.now() - t) / 1000).toFixed(1)} s`,
    )
    await page
      .getByRole('link', { name: /general/ })
      .first()
      .click()
    await page.getByRole('heading', { name: '# general', level: 1 }).waitFor()
    await page.waitForTimeout(1500) // IndexedDB writes settle

    // tsx (esbuild keepNames) wraps named functions in the evaluated code with __name: give the page one.
    await page.addInitScript('window.__name = (f) => f')
    const opens: number[] = []
    const longest: number[] = []
    const over50: number[] = []
    const cpuLongest: number[] = []
    const cpuOver50: number[] = []
    for (let run = 1; run <= RUNS; run++) {
      const m = await measure(page, run === 1 ? process.env.PANEL_PROFILE : undefined)
      opens.push(m.openMs)
      longest.push(m.longest)
      over50.push(m.over50)
      cpuLongest.push(m.cpuLongest)
      cpuOver50.push(m.cpuOver50)
    }
    report('panel-100k: open #history → first screen', 'ms', 300, opens)
    report('panel-100k: longest task while scrolling to the start', 'ms', 50, longest)
    report('panel-100k: longest task while scrolling, by main-thread CPU time', 'ms', 50, cpuLongest)
    console.log(`tasks over 50 ms while scrolling, per run: ${over50.join(', ')}`)
    console.log(`tasks over 50 ms of CPU time while scrolling, per run: ${cpuOver50.join(', ')}`)
    console.log(
      `targets (medians): open ≤ 300 ms → ${median(opens) <= 300 ? 'met' : 'MISSED'}; no task over 50 ms while scrolling → ${median(longest) <= 50 ? 'met' : 'MISSED'} (worst run: ${Math.max(...longest).toFixed(0)} ms)`,
    )
  } finally {
    await closeEveryone()
    await relay.stop()
    if (own) rmSync(own, { recursive: true, force: true })
  }
}

/**
 * The renderer main thread's tasks, by thread CPU time as well as wall time (a Chrome trace): on a
 * shared, loaded machine a task's wall time includes the time the thread waited for a core, which
 * the long-task API counts too; its CPU time is what the page itself spent.
 */
async function startTaskTrace(
  page: Page,
): Promise<{ stop(): Promise<{ longest: number; over50: number; tasks: number }> }> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Tracing.start', {
    traceConfig: {
      includedCategories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline'],
    },
    transferMode: 'ReturnAsStream',
  })
  return {
    async stop() {
      const done = new Promise<string>((resolve) =>
        cdp.once('Tracing.tracingComplete', (e: { stream?: string }) => resolve(e.stream ?? '')),
      )
      await cdp.send('Tracing.end')
      const handle = await done
      let text = ''
      for (;;) {
        const chunk = await cdp.send('IO.read', { handle, size: 1 << 22 })
        text += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString('utf8') : chunk.data
        if (chunk.eof) break
      }
      await cdp.send('IO.close', { handle })
      await cdp.detach()
      interface TraceEvent {
        name: string
        ph: string
        pid: number
        tid: number
        ts: number
        dur?: number
        tdur?: number
        args?: { name?: string; type?: string; usedHeapSizeBefore?: number; usedHeapSizeAfter?: number }
      }
      const parsed = JSON.parse(text) as TraceEvent[] | { traceEvents: TraceEvent[] }
      const events = Array.isArray(parsed) ? parsed : parsed.traceEvents
      const mains = new Set(
        events
          .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
          .map((e) => `${e.pid}:${e.tid}`),
      )
      const byThread = new Map<string, TraceEvent[]>()
      for (const e of events) {
        const key = `${e.pid}:${e.tid}`
        if (e.ph !== 'X' || e.name !== 'RunTask' || !mains.has(key) || e.tdur === undefined) continue
        let list = byThread.get(key)
        if (!list) byThread.set(key, (list = []))
        list.push(e)
      }
      // The page's renderer is the busiest one (the service worker's thread runs few tasks).
      const tasks = [...byThread.values()].sort((a, b) => b.length - a.length)[0] ?? []
      const cpu = tasks.map((e) => e.tdur! / 1000)
      // What the three longest took their time with (trace events inside them, by wall time).
      for (const task of [...tasks].sort((a, b) => b.tdur! - a.tdur!).slice(0, 3)) {
        const inside = new Map<string, number>()
        for (const e of events)
          if (
            e.ph === 'X' &&
            e !== task &&
            !/RunTask|MicrotaskCheckpoint/.test(e.name) &&
            e.pid === task.pid &&
            e.tid === task.tid &&
            e.ts >= task.ts &&
            e.ts < task.ts + task.dur!
          )
            inside.set(e.name, (inside.get(e.name) ?? 0) + (e.dur ?? 0) / 1000)
        const parts = [...inside]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 6)
          .map(([n, ms]) => `${n} ${ms.toFixed(0)}`)
        console.log(`  task of ${(task.tdur! / 1000).toFixed(0)} ms CPU: ${parts.join(', ')}`)
      }
      // The garbage collections on that thread: a major one marks the whole heap, so its pause grows
      // with what the page keeps alive; how many there are grows with what the scroll allocates.
      const thread = tasks[0] ? `${tasks[0].pid}:${tasks[0].tid}` : ''
      const gcs = (name: string) =>
        events
          .filter((e) => e.ph === 'X' && e.name === name && `${e.pid}:${e.tid}` === thread)
          .map((e) => (e.dur ?? 0) / 1000)
      const major = gcs('MajorGC')
      if (process.env.PANEL_GC_LOG)
        for (const e of events)
          if (e.ph === 'X' && e.name === 'MajorGC' && `${e.pid}:${e.tid}` === thread)
            console.log(
              `    major GC ${((e.dur ?? 0) / 1000).toFixed(0)} ms (${e.args?.type ?? '?'}), heap ${((e.args?.usedHeapSizeBefore ?? 0) / 2 ** 20).toFixed(0)} → ${((e.args?.usedHeapSizeAfter ?? 0) / 2 ** 20).toFixed(0)} MB`,
            )
      const minor = gcs('MinorGC')
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)
      console.log(
        `  GC on the main thread: ${major.length} major (longest ${Math.max(0, ...major).toFixed(0)} ms, total ${sum(major).toFixed(0)}), ${minor.length} minor (total ${sum(minor).toFixed(0)} ms)`,
      )
      return { longest: Math.max(0, ...cpu), over50: cpu.filter((d) => d > 50).length, tasks: cpu.length }
    },
  }
}

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount?: number
  children?: number[]
}

/**
 * PANEL_PROFILE=<file>: a CPU profile of the first run's scroll (Chrome DevTools can open the
 * .cpuprofile; an unminified build, `npx vite build --minify false --outDir <dir>` with PANEL_WEB_DIR,
 * keeps the names) and the functions that took the most time, by self and total time.
 */
async function startProfile(page: Page): Promise<{ stop(file: string): Promise<void> }> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 })
  await cdp.send('Profiler.start')
  return {
    async stop(file) {
      const { profile } = (await cdp.send('Profiler.stop')) as unknown as {
        profile: { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[] }
      }
      writeFileSync(file, JSON.stringify(profile))
      const msPerHit = (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.samples.length)
      const byId = new Map(profile.nodes.map((n) => [n.id, n]))
      const name = (n: ProfileNode) =>
        `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\//, '')}:${n.callFrame.lineNumber + 1}`
      const self = new Map<string, number>()
      const total = new Map<string, number>()
      const visit = (n: ProfileNode, onStack: Set<string>): number => {
        let sum = n.hitCount ?? 0
        self.set(name(n), (self.get(name(n)) ?? 0) + (n.hitCount ?? 0))
        const key = name(n)
        const outer = !onStack.has(key)
        if (outer) onStack.add(key)
        for (const c of n.children ?? []) sum += visit(byId.get(c)!, onStack)
        if (outer) {
          onStack.delete(key)
          total.set(key, (total.get(key) ?? 0) + sum)
        }
        return sum
      }
      visit(profile.nodes[0]!, new Set())
      const top = (m: Map<string, number>) =>
        [...m]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 25)
          .map(([k, hits]) => `  ${(hits * msPerHit).toFixed(0).padStart(7)} ms  ${k}`)
          .join('\n')
      console.log(`CPU profile of the scroll written to ${file}\nby self time:\n${top(self)}`)
      console.log(`by total time:\n${top(total)}`)
      await cdp.detach()
    },
  }
}

/** Reload, open #history (timed), scroll to its start (long tasks recorded), back to #general. */
async function measure(
  page: Page,
  profileTo?: string,
): Promise<{ openMs: number; longest: number; over50: number; cpuLongest: number; cpuOver50: number }> {
  const t = Date.now()
  await page.reload()
  await page.getByRole('heading', { name: '# general', level: 1 }).waitFor({ timeout: 120_000 })
  console.log(`reload (group restored from IndexedDB, general shown): ${Date.now() - t} ms`)
  await page.waitForTimeout(1000)

  const open = await page.evaluate(async () => {
    const tasks: number[] = []
    new PerformanceObserver((l) => l.getEntries().forEach((e) => tasks.push(e.duration))).observe({
      type: 'longtask',
    })
    const link = [...document.querySelectorAll('a')].find((a) => a.textContent?.includes('history'))!
    const t0 = performance.now()
    link.click()
    await new Promise<void>((resolve) => {
      const check = () =>
        document.querySelector('[aria-label="Messages in history"] .msg')
          ? resolve()
          : requestAnimationFrame(check)
      check()
    })
    // The frame that shows them.
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))
    const ms = performance.now() - t0
    await new Promise((r) => setTimeout(r, 300))
    return { ms, tasks, rows: document.querySelectorAll('[aria-label="Messages in history"] .msg').length }
  })
  console.log(
    `open #history → first screen: ${open.ms.toFixed(0)} ms (${open.rows} rows in the DOM; long tasks meanwhile: ${open.tasks.map((d) => d.toFixed(0)).join(', ') || 'none'})`,
  )

  const profiler = profileTo ? await startProfile(page) : null
  const promoted = profileTo && process.env.PANEL_PROMOTED ? await startPromotedSampling(page) : null
  const trace = await startTaskTrace(page)
  const scroll = await page.evaluate(async () => {
    const tasks: number[] = []
    new PerformanceObserver((l) => l.getEntries().forEach((e) => tasks.push(e.duration))).observe({
      type: 'longtask',
    })
    // What the long frames were made of (Long Animation Frames API): scripts, by who called them,
    // and the layout they forced, next to the frame's own style, layout and paint.
    interface LoafScript {
      invoker: string
      sourceFunctionName: string
      duration: number
      forcedStyleAndLayoutDuration: number
    }
    interface Loaf extends PerformanceEntry {
      renderStart: number
      styleAndLayoutStart: number
      scripts: LoafScript[]
    }
    const frames50: string[] = []
    new PerformanceObserver((l) =>
      (l.getEntries() as Loaf[]).forEach((f) => {
        if (f.duration <= 50) return
        const end = f.startTime + f.duration
        const scripts = [...f.scripts]
          .sort((x, y) => y.duration - x.duration)
          .slice(0, 3)
          .map(
            (x) =>
              `${x.invoker || '?'}${x.sourceFunctionName ? ` (${x.sourceFunctionName})` : ''} ${x.duration.toFixed(0)} ms, forced layout ${x.forcedStyleAndLayoutDuration.toFixed(0)}`,
          )
        frames50.push(
          `${f.duration.toFixed(0)} ms: render ${f.renderStart ? (end - f.renderStart).toFixed(0) : 0} (style+layout ${f.styleAndLayoutStart ? (end - f.styleAndLayoutStart).toFixed(0) : 0}); ${scripts.join('; ')}`,
        )
      }),
    ).observe({ type: 'long-animation-frame' })
    const el = document.querySelector<HTMLElement>('[aria-label="Messages in history"]')!
    const t0 = performance.now()
    let frames = 0
    // Scroll up 1,500 px a frame (a fast wheel) until the start of the panel shows.
    while (!document.body.textContent?.includes('This is the start of #history') && frames < 20_000) {
      el.scrollTop -= 1500
      frames++
      await new Promise((r) => requestAnimationFrame(r))
    }
    await new Promise((r) => setTimeout(r, 500))
    return { seconds: (performance.now() - t0) / 1000, frames, tasks, frames50 }
  })
  const cpu = await trace.stop()
  if (profiler && profileTo) await profiler.stop(profileTo)
  if (promoted) await promoted.stop()
  const longest = Math.max(0, ...scroll.tasks)
  const over50 = scroll.tasks.filter((d) => d > 50).length
  console.log(
    `scroll to the start: ${scroll.frames} frames in ${scroll.seconds.toFixed(1)} s; long tasks: ${scroll.tasks.length}, longest ${longest.toFixed(0)} ms, over 50 ms: ${over50}`,
  )
  console.log(
    `  by the main thread's CPU time (trace): longest task ${cpu.longest.toFixed(0)} ms, over 50 ms: ${cpu.over50} of ${cpu.tasks}`,
  )
  // What the page keeps alive with the whole history paged in (after a full collection, so garbage
  // the scroll left behind is not counted): the heap each major GC above had to mark.
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('HeapProfiler.collectGarbage')
  const heap = await cdp.send('Runtime.getHeapUsage')
  console.log(`  JS heap live after the scroll: ${(heap.usedSize / 2 ** 20).toFixed(0)} MB`)
  if (profileTo && process.env.PANEL_HEAP_SUMMARY) await heapSummary(cdp)
  await cdp.detach()
  if (scroll.frames50.length)
    console.log(
      `animation frames over 50 ms (${scroll.frames50.length}):\n  ${scroll.frames50.slice(0, 12).join('\n  ')}`,
    )
  await page
    .getByRole('link', { name: /general/ })
    .first()
    .click()
  await page.getByRole('heading', { name: '# general', level: 1 }).waitFor()
  return { openMs: open.ms, longest, over50, cpuLongest: cpu.longest, cpuOver50: cpu.over50 }
}

/**
 * PANEL_HEAP_SUMMARY=1 (with PANEL_PROFILE): what the live heap is made of after the first scroll, by
 * constructor (objects) or kind (strings, arrays, code...): count and self size, largest first.
 */
async function heapSummary(cdp: CDPSession): Promise<void> {
  const chunks: string[] = []
  const onChunk = (e: { chunk: string }) => chunks.push(e.chunk)
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk)
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false })
  cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk)
  const snap = JSON.parse(chunks.join('')) as {
    snapshot: {
      meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] }
    }
    nodes: number[]
    edges: number[]
    strings: string[]
  }
  const fields = snap.snapshot.meta.node_fields
  const types = snap.snapshot.meta.node_types[0]
  const [iType, iName, iSize] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f))
  const by: Tally = new Map()
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const type = types[snap.nodes[i + iType!]!]!
    const key =
      type === 'object' || type === 'closure' || type === 'native'
        ? `${type} ${snap.strings[snap.nodes[i + iName!]!]}`
        : type
    addTo(by, key, snap.nodes[i + iSize!]!)
  }
  console.log('live heap by constructor / kind (count, self MB):')
  printTally(by, 30)
  // Who holds the internal arrays (backing stores, hash tables), by holder and edge.
  const edgeFields = snap.snapshot.meta.edge_fields
  const edgeTypes = snap.snapshot.meta.edge_types[0]
  const [eType, eName, eTo] = ['type', 'name_or_index', 'to_node'].map((f) => edgeFields.indexOf(f))
  const iEdges = fields.indexOf('edge_count')
  const nameOf = (n: number) => {
    const type = types[snap.nodes[n + iType!]!]!
    return type === 'object' || type === 'native' ? snap.strings[snap.nodes[n + iName!]!]! : type
  }
  const holders: Tally = new Map()
  let edge = 0
  for (let n = 0; n < snap.nodes.length; n += fields.length) {
    const count = snap.nodes[n + iEdges]!
    for (let k = 0; k < count; k++, edge += edgeFields.length) {
      const kind = edgeTypes[snap.edges[edge + eType!]!]!
      if (kind === 'weak' || kind === 'shortcut') continue
      const to = snap.edges[edge + eTo!]!
      if (types[snap.nodes[to + iType!]!] !== 'array') continue
      const label = kind === 'element' ? '[]' : snap.strings[snap.edges[edge + eName!]!]
      addTo(holders, `${nameOf(n)} → ${label}`, snap.nodes[to + iSize!]!)
    }
  }
  console.log('internal arrays by holder → edge (count, self MB; an array held twice counts twice):')
  printTally(holders, 12)
}

/** Heap nodes counted by a label: how many, and their self size in bytes. */
type Tally = Map<string, { count: number; size: number }>

function addTo(tally: Tally, key: string, size: number): void {
  const entry = tally.get(key) ?? { count: 0, size: 0 }
  entry.count++
  entry.size += size
  tally.set(key, entry)
}

/** The `top` labels by size, one line each. */
function printTally(tally: Tally, top: number): void {
  for (const [k, v] of [...tally].sort((a, b) => b[1].size - a[1].size).slice(0, top))
    console.log(`  ${String(v.count).padStart(9)} ${(v.size / 2 ** 20).toFixed(1).padStart(7)}  ${k}`)
}

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number }
  selfSize: number
  children: SamplingNode[]
}

/**
 * PANEL_PROMOTED=1 (with PANEL_PROFILE): where the scroll allocates what outlives the young
 * generation (sampled allocations of objects that survived scavenges: what fills the old generation
 * between major GCs), by allocating function and by its callers.
 */
async function startPromotedSampling(page: Page): Promise<{ stop(): Promise<void> }> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('HeapProfiler.enable')
  await cdp.send('HeapProfiler.startSampling', {
    samplingInterval: 16384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: false,
  })
  return {
    async stop() {
      const { profile } = (await cdp.send('HeapProfiler.stopSampling')) as unknown as {
        profile: { head: SamplingNode }
      }
      await cdp.detach()
      const bySite = new Map<string, number>()
      const walk = (n: SamplingNode, stack: string[]) => {
        const name = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\//, '')}:${n.callFrame.lineNumber + 1}`
        const here = [...stack, name]
        if (n.selfSize) {
          const key = here.slice(-4).reverse().join(' < ')
          bySite.set(key, (bySite.get(key) ?? 0) + n.selfSize)
        }
        for (const c of n.children) walk(c, here)
      }
      walk(profile.head, [])
      const total = [...bySite.values()].reduce((a, b) => a + b, 0)
      console.log(
        `promoted allocations while scrolling: ${(total / 2 ** 20).toFixed(0)} MB (sampled), largest sites:`,
      )
      for (const [k, v] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 25))
        console.log(`  ${(v / 2 ** 20).toFixed(1).padStart(6)} MB  ${k}`)
    },
  }
}
