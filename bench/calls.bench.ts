// Calls in the built app (`npm run bench -- calls`): time from "Join the call" to the first audio
// received from everyone in the room, and CPU per browser while 2, 3 or 4 people are in a voice room
// with sound and video (Chromium's fake camera and microphone), side by side with a stock two-peer
// RTCPeerConnection call (no app, no signing: SDP handed between the two pages directly; the remote
// stream shown in a <video>) in the same browsers, on the same app pages, in the same run as the
// baseline. Targets (issue 19): join → first audio ≤ 1.5 s on
// loopback and ≤ 1.3× the baseline; the 4-person CPU is reported.
//
// Setup: the real relay serving web/dist (built when stale); four people (own Chromium profiles)
// in one group with a voice panel. A run: the stock call between Alice and Bob (Bob's media captured
// beforehand, Alice's capture timed, as a joiner's is); then Alice waits in the room and Bob, Carol and
// Dave join one by one, each timed from the click (in the page) until audio bytes arrived from every
// other person in the room (getStats, polled every 10 ms); after each join, every browser's CPU is
// read over CPU_WINDOW_MS from /proc (the whole Chromium process tree of the profile: browser, GPU,
// renderer, utility processes). Everyone leaves before the next run.
import { readdirSync, readFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import type { Page } from 'playwright-core'
import { FAKE_MEDIA, groupWithVoicePanel } from '../web/e2e/app/call-steps'
import { buildApp, startRelay } from '../web/e2e/app/relay'
import { panelLink } from '../web/e2e/app/manage-steps'
import { closeEveryone, launchPerson, type Person } from '../web/e2e/harness'
import { median, printTable, type BenchRow } from './harness'

const RUNS = Number(process.env.CALLS_RUNS ?? 5)
const CPU_WINDOW_MS = Number(process.env.CALLS_CPU_WINDOW_MS ?? 5_000)
const CLOCK_TICKS = 100

// --- CPU of a profile's Chromium process tree, from /proc -----------------------------------------

function processTable(): Map<number, { ppid: number; ticks: number; cmdline: string }> {
  const out = new Map<number, { ppid: number; ticks: number; cmdline: string }>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      // Fields after the command name (which may hold spaces) start after the last ')'.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8')
      out.set(Number(name), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), cmdline })
    } catch {
      // The process ended while we read: not ours to count.
    }
  }
  return out
}

/** utime + stime ticks of every process of the Chromium that runs this profile. */
function profileTicks(person: Person): number {
  const table = processTable()
  const roots = [...table].filter(([, p]) => p.cmdline.includes(`--user-data-dir=${person.userDataDir}`))
  const tree = new Set(roots.map(([pid]) => pid))
  for (let grew = true; grew;) {
    grew = false
    for (const [pid, p] of table)
      if (!tree.has(pid) && tree.has(p.ppid)) {
        tree.add(pid)
        grew = true
      }
  }
  let ticks = 0
  for (const pid of tree) ticks += table.get(pid)!.ticks
  return ticks
}

/** Each browser's CPU over the window, in % of one core. */
async function cpuPercent(people: Person[]): Promise<number[]> {
  const t0 = performance.now()
  const before = people.map(profileTicks)
  await new Promise((r) => setTimeout(r, CPU_WINDOW_MS))
  const seconds = (performance.now() - t0) / 1000
  return people.map((p, i) => (100 * (profileTicks(p) - before[i]!)) / CLOCK_TICKS / seconds)
}

// --- the stock call (page code as text: the app's CSP does not apply to DevTools evaluation) -------

const STOCK = `window.__stock = (() => {
  let pc = null, stream = null, t0 = 0, video = null;
  const gathered = (p) => new Promise((resolve) => {
    if (p.iceGatheringState === 'complete') return resolve();
    const timer = setTimeout(resolve, 1500);
    p.addEventListener('icegatheringstatechange', () => {
      if (p.iceGatheringState === 'complete') { clearTimeout(timer); resolve(); }
    });
  });
  const open = (s) => {
    pc = new RTCPeerConnection({ iceServers: [] });
    for (const t of s.getTracks()) pc.addTrack(t, s);
    // Shown and heard, as a call app would: decoding and drawing are part of the cost.
    video = document.createElement('video');
    video.autoplay = true;
    video.style.cssText = 'position:fixed;right:0;bottom:0;width:320px;height:180px;z-index:99';
    document.body.append(video);
    pc.ontrack = (e) => { video.srcObject = e.streams[0]; };
    return pc;
  };
  return {
    async prepare() { stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true }); },
    async offer() {
      t0 = performance.now();
      stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
      const p = open(stream);
      await p.setLocalDescription(await p.createOffer());
      await gathered(p);
      return p.localDescription.sdp;
    },
    async answer(sdp) {
      const p = open(stream);
      await p.setRemoteDescription({ type: 'offer', sdp });
      await p.setLocalDescription(await p.createAnswer());
      await gathered(p);
      return p.localDescription.sdp;
    },
    async accept(sdp) {
      await pc.setRemoteDescription({ type: 'answer', sdp });
      for (;;) {
        let bytes = 0;
        (await pc.getStats()).forEach((r) => {
          if (r.type === 'inbound-rtp' && r.kind === 'audio') bytes += r.bytesReceived || 0;
        });
        if (bytes > 0) return performance.now() - t0;
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close() {
      if (pc) pc.close();
      if (stream) stream.getTracks().forEach((t) => t.stop());
      if (video) video.remove();
      pc = null; stream = null; video = null;
    },
  };
})()`

async function stockCall(caller: Page, callee: Page): Promise<number> {
  await callee.evaluate('window.__stock.prepare()')
  const offer = await caller.evaluate<string>('window.__stock.offer()')
  const answer = await callee.evaluate<string>(`window.__stock.answer(${JSON.stringify(offer)})`)
  return caller.evaluate<number>(`window.__stock.accept(${JSON.stringify(answer)})`)
}

const stockHangUp = (pages: Page[]) => Promise.all(pages.map((p) => p.evaluate('window.__stock.close()')))

// --- the app's call ----------------------------------------------------------------------------

/**
 * Clicks "Join the call" in the page and times until audio came from `others` peers: when the first
 * and the last of them was heard, and when each connection came up.
 */
function joinTimed(p: Page, others: number): Promise<{ all: number; first: number; connected: number[] }> {
  return p.evaluate(async (n) => {
    const button = [...document.querySelectorAll('button')].find(
      (b) => b.textContent?.trim() === 'Join the call',
    )
    if (!button) throw new Error('no "Join the call" button')
    const t0 = performance.now()
    let first = 0
    const connected = new Map<string, number>()
    button.click()
    for (;;) {
      const stats = await window.tailmeshTest!.callStats()
      const now = performance.now() - t0
      for (const s of stats) if (s.state === 'connected' && !connected.has(s.user)) connected.set(s.user, now)
      const heard = stats.filter((s) => s.audioBytes > 0).length
      if (heard > 0 && first === 0) first = now
      if (heard >= n) return { all: now, first, connected: [...connected.values()] }
      await new Promise((r) => setTimeout(r, 10))
    }
  }, others)
}

async function leave(p: Page): Promise<void> {
  await p.getByRole('button', { name: 'Leave the call' }).click()
  await p.getByRole('button', { name: 'Join the call' }).waitFor()
}

export default async function calls(): Promise<void> {
  await buildApp()
  const relay = await startRelay()
  try {
    const people: Person[] = []
    for (const name of ['alice', 'bob', 'carol', 'dave'])
      people.push(await launchPerson(`calls-bench-${name}`, { baseURL: relay.url, args: FAKE_MEDIA }))
    const pages = people.map((p) => p.page)
    const [a, b] = pages as [Page, Page]
    await groupWithVoicePanel(
      { page: a, nickname: 'Alice' },
      ['Bob', 'Carol', 'Dave'].map((nickname, i) => ({ page: pages[i + 1]!, nickname })),
      'Bench calls',
      'Lounge',
    )
    for (const p of pages) {
      await panelLink(p, 'Lounge', '🔊').click({ timeout: 30_000 })
      await p.getByRole('button', { name: 'Join the call' }).waitFor()
      await p.evaluate(STOCK)
    }

    const join: Record<string, number[]> = { stock: [], 2: [], 3: [], 4: [] }
    const cpu: Record<string, number[]> = { stock: [], 2: [], 3: [], 4: [] }
    const firstHeard: Record<string, number[]> = { 2: [], 3: [], 4: [] }
    for (let r = 0; r < RUNS; r++) {
      join.stock!.push(await stockCall(a, b))
      cpu.stock!.push(...(await cpuPercent(people.slice(0, 2))))
      await stockHangUp([a, b])

      await a.getByRole('button', { name: 'Join the call' }).click()
      await a.getByRole('toolbar', { name: 'Call controls' }).waitFor()
      for (let n = 2; n <= 4; n++) {
        const timed = await joinTimed(pages[n - 1]!, n - 1)
        join[n]!.push(timed.all)
        firstHeard[n]!.push(timed.first)
        if (process.env.CALLS_VERBOSE)
          console.log(`  ${n} people: connected at ${timed.connected.map((t) => t.toFixed(0)).join(', ')} ms`)
        cpu[n]!.push(...(await cpuPercent(people.slice(0, n))))
      }
      for (const p of pages) await leave(p)
      console.log(
        `run ${r + 1}/${RUNS}: stock ${join.stock!.at(-1)!.toFixed(0)} ms; join with 1, 2, 3 in the room ` +
          [2, 3, 4].map((n) => `${join[n]!.at(-1)!.toFixed(0)} ms`).join(', '),
      )
    }

    const rows = (data: Record<string, number[]>, base: number): BenchRow[] =>
      [
        ['stock two-peer RTCPeerConnection', 'stock'],
        ['Tailmesh mesh, 2 people', '2'],
        ['Tailmesh mesh, 3 people', '3'],
        ['Tailmesh mesh, 4 people', '4'],
      ].map(([name, key]) => {
        const xs = data[key!]!
        return {
          name: name!,
          median: median(xs),
          min: Math.min(...xs),
          max: Math.max(...xs),
          ratio: median(xs) / base,
        }
      })
    // Four Chromiums with video on a small shared machine: the load says how much of the figures is
    // waiting for a core.
    console.log(
      `machine: ${cpus().length} cores, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' / ')} (1 / 5 / 15 min) at the end`,
    )
    const joinBase = median(join.stock!)
    printTable(
      {
        title: 'calls: "Join" → first audio from everyone in the room (p50), audio + video, loopback',
        unit: 'ms',
        better: 'lower',
        baseline: { name: 'stock', run: () => joinBase },
        cases: [],
        targets: ['≤ 1500 ms', '≤ 1.3× stock'],
      },
      rows(join, joinBase),
      RUNS,
    )
    console.log(
      'first audio from anyone (p50): ' +
        [2, 3, 4].map((n) => `${n} people ${median(firstHeard[n]!).toFixed(0)} ms`).join(', '),
    )
    const cpuBase = median(cpu.stock!)
    printTable(
      {
        title: `calls: CPU per browser in the call (${CPU_WINDOW_MS / 1000} s windows, every browser of the call pooled)`,
        unit: '% of a core',
        better: 'lower',
        baseline: { name: 'stock', run: () => cpuBase },
        cases: [],
        targets: ['report the 4-person figure'],
      },
      rows(cpu, cpuBase),
      RUNS,
    )
  } finally {
    await closeEveryone()
    await relay.stop()
  }
}
