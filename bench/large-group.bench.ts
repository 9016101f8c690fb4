// Large groups (`npm run bench -- large-group`, issue 18): what a group of N members costs an honest
// peer's gate, with real signed envelopes, at N = 100 (the baseline), 1,000 and 10,000; 100,000 with
// BENCH_100K=1 (LARGE_GROUP_SIZES=100,1000 picks others). Per N, the group is made once
// (large-group/fixture.ts: the owner's genesis and invite, then a join per newcomer signed as the app
// signs it, profile and relay included) and kept under the OS temp directory for the next run
// (LARGE_GROUP_CACHE=0: not kept).
//
// Rows, in the order they run on one peer (the owner's device, reopened from its stored envelopes):
// - reopen: Gate.restore of every stored envelope (decoding included), into a fresh gate each run.
// - heap: JS heap plus buffers the reopened peer holds (after a full GC).
// - member list: web's memberListModel over every member (sections, no rendering), per presence change.
// - join: a batch of later joins (N/10, 20–200) in five catch-up receives, ms per join.
// - late message: a join, then a message dated before it (an offline member's): ms for the message
//   (seven pairs where N ≤ 1,000, else three).
// - gate: three members' 5,000 live messages in catch-up batches of 500, messages/s; raw
//   Y.applyUpdate of the same updates into fresh documents, before and after it.
// - open: a newcomer's gate takes the whole group in catch-up batches of 500, and the bytes that is.
// - kick: the owner kicks a member: seconds until the kick and the key rotation (in parts past 1,000
//   wraps) are recorded; the kicked member's keyring must not open the new key, another's must.
// Open and kick stop at LARGE_GROUP_CAP_S seconds (default 60; the value is then a lower bound): on
// today's core a newcomer takes minutes at 10,000 members, and so does the kick. A kick past the cap
// finishes in the background, and the next size waits for it.
// Runs: three where N ≤ 1,000 (reopen, open; raw 1 + 3), five member-list runs up to 10,000; else one.
// Targets are the for 100,000 members, checked at every N (costs only grow with N); per-join
// and late-message costs are bounded by their ratio to the smallest N.

import { availableParallelism, loadavg } from 'node:os'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { fmt, median } from './harness'
import { groupFixture, type FixturePlan } from './large-group/fixture'
import {
  gateThroughput,
  joins,
  kick,
  lateMessages,
  memberList,
  open,
  rawThroughput,
  reopen,
  reopenTimes,
} from './large-group/rows'
import { printLargeGroupTable, type Measure, type Results, type RowSpec } from './large-group/table'

const SIZES = process.env.LARGE_GROUP_SIZES
  ? process.env.LARGE_GROUP_SIZES.split(',').map(Number)
  : [100, 1_000, 10_000, ...(process.env.BENCH_100K === '1' ? [100_000] : [])]
const CAP_MS = Number(process.env.LARGE_GROUP_CAP_S ?? 60) * 1000
const CACHE = process.env.LARGE_GROUP_CACHE !== '0'

const ROWS = {
  join: { name: 'join (per join)', unit: 'ms', better: 'lower', target: { ratio: 2 } },
  open: { name: 'open (newcomer)', unit: 's', better: 'lower', target: { value: 3 } },
  openBytes: { name: 'open: downloaded', unit: 'MB', better: 'lower', target: { value: 5 } },
  reopen: { name: 'reopen (restore)', unit: 's', better: 'lower', target: { value: 1 } },
  late: { name: 'late message', unit: 'ms', better: 'lower', target: { ratio: 2 } },
  kick: { name: 'kick + rotation', unit: 's', better: 'lower', target: { value: 10 } },
  memberList: { name: 'member list', unit: 'ms', better: 'lower', target: { value: 50 } },
  heap: { name: 'heap + buffers held', unit: 'MB', better: 'lower', target: { value: 150 } },
  gate: { name: 'gate, catch-up 500', unit: 'msg/s', better: 'higher', target: { value: 20_000 } },
  raw: { name: 'raw Y.applyUpdate', unit: 'msg/s', better: 'higher', target: null },
} satisfies Record<string, RowSpec>

const plan = (n: number): FixturePlan => ({
  n,
  batch: Math.min(200, Math.max(20, Math.round(n / 10))),
  // Cheap where the group is small, where the baseline's few milliseconds need more samples.
  late: n <= 1_000 ? 7 : 3,
  messages: 5_000,
})

// A full collection before reading the heap: the flag exposes `gc` to contexts made after it is set.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void
async function memoryMB(): Promise<{ heap: number; buffers: number }> {
  // What the finished async work last held is only let go once the event loop turns.
  await new Promise((resolve) => setTimeout(resolve, 10))
  gc()
  gc()
  const m = process.memoryUsage()
  return { heap: m.heapUsed / 2 ** 20, buffers: m.arrayBuffers / 2 ** 20 }
}

const log = (n: number, text: string) => console.log(`large-group N=${n.toLocaleString()}: ${text}`)
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`

/** Every row at n members; resolves with a capped kick still running, if any. */
async function measure(
  n: number,
  record: (row: RowSpec, m: Measure) => void,
): Promise<{ finishing?: Promise<unknown> }> {
  const runs = n <= 1_000 ? 3 : 1
  let t = performance.now()
  const f = await groupFixture(plan(n), CACHE)
  log(n, `group ready in ${seconds(t)} (${CACHE ? 'cached for the next run' : 'not cached'})`)

  // The first reopen is the peer the other rows use: its memory is read (a later one would count the
  // one before it too, which V8 still holds then), and more runs time fresh gates.
  const before = await memoryMB()
  const built = await reopen(f)
  const group = built.group
  const after = await memoryMB()
  const heap = after.heap - before.heap
  const buffers = after.buffers - before.buffers
  record(ROWS.heap, { samples: [heap + buffers] })
  log(n, `reopened in ${fmt(built.ms)} ms; holds ${fmt(heap)} MB heap + ${fmt(buffers)} MB buffers`)
  record(ROWS.reopen, { samples: [built.ms / 1000, ...(await reopenTimes(f, runs - 1))] })

  record(ROWS.memberList, memberList(group, n <= 10_000 ? 5 : 1))
  t = performance.now()
  record(ROWS.join, await joins(group, f, 5))
  log(n, `${f.batch.length} joins in ${seconds(t)}`)
  t = performance.now()
  record(ROWS.late, await lateMessages(group, f))
  log(n, `${f.late.length} late messages in ${seconds(t)}`)
  // The baseline runs before and after the gate, so a change in the machine's load shows in both.
  const rawBefore = rawThroughput(f, 1).samples
  record(ROWS.gate, await gateThroughput(group, f))
  record(ROWS.raw, { samples: [...rawBefore, ...rawThroughput(f, runs).samples] })
  const opens: Measure[] = []
  t = performance.now()
  for (let r = 0; r < runs && performance.now() - t < CAP_MS; r++) {
    const { time, bytes } = await open(f, CAP_MS)
    opens.push(time)
    if (r === 0) record(ROWS.openBytes, { samples: [bytes / 2 ** 20] })
  }
  record(ROWS.open, { ...opens[opens.length - 1]!, samples: opens.flatMap((o) => o.samples) })
  log(n, `newcomer opened in ${opens.map((o) => o.samples[0]!.toFixed(1)).join(', ')} s`)

  // Last: it changes the group. Past the cap it goes on in the background: the next size waits for it.
  t = performance.now()
  const kicked = await kick(group, f, CAP_MS)
  record(ROWS.kick, kicked.measure)
  log(n, kicked.finishing ? `kick stopped at the cap, ${seconds(t)}` : `kick done in ${seconds(t)}`)
  return { finishing: kicked.finishing }
}

export default async function largeGroup(): Promise<void> {
  const results: Results = new Map(Object.values(ROWS).map((r) => [r, new Map()]))
  const loadAtStart = loadavg()[0]!
  // A small group reopened first, so the code it runs is compiled before the first size's heap is read.
  await reopen(await groupFixture({ n: 8, batch: 0, late: 0, messages: 0 }, CACHE))
  let finishing: Promise<unknown> | undefined
  for (const n of SIZES) {
    await finishing
    ;({ finishing } = await measure(n, (row, m) => results.get(row)!.set(n, m)))
  }
  printLargeGroupTable(results, SIZES)
  for (const n of SIZES) {
    const gate = results.get(ROWS.gate)!.get(n)
    const raw = results.get(ROWS.raw)!.get(n)
    if (gate && raw) {
      const ratio = median(gate.samples) / median(raw.samples)
      console.log(`gate ÷ raw apply at N=${n.toLocaleString()}: ${ratio.toFixed(2)}×`)
    }
  }
  console.log(`open and kick stop after ${CAP_MS / 1000} s (LARGE_GROUP_CAP_S): "> " is a lower bound.`)
  console.log(
    `load average (1 min) at the start ${loadAtStart.toFixed(1)}, at the end ${loadavg()[0]!.toFixed(1)}, on ${availableParallelism()} cores`,
  )
}
