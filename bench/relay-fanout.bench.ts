// Relay benchmarks (`npm run bench relay`):
//  1. Broadcast fan-out: one message to 1,000 WebSocket subscribers of one topic, delivery latency
//     p50 / p95 from send to receipt, for y-websocket's server (baseline: a Yjs update to 1,000
//     clients of one document), the relay's /signal (a y-webrtc publish) and /mailbox (a signed
//     append, fsync'd, then pushed). Every server runs as its own process; the 1,000 clients share
//     this process, which receives every delivery, so the figures include that client-side cost alike.
//  2. 10,000 idle WebSocket connections: the server process's resident memory.
// Targets from issue 3: p95 ≤ 250 ms to 1,000 members and no slower than y-websocket; 10k
// connections under 1 GB RSS.
import { spawn, type ChildProcess } from 'node:child_process'
import { generateKeyPairSync, sign } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { WebSocket } from 'ws'
import * as Y from 'yjs'
import { MailboxClientOp, MailboxRelayOp, appendSigningBytes, encodeMailboxClientFrame } from '@tailmesh/core'
import { median, percentile, printTable, type BenchRow, type BenchSpec } from './harness'

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..')
const SUBSCRIBERS = 1000
const MESSAGES_PER_RUN = 20
const RUNS = 7
const IDLE = 10_000

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

interface Server {
  name: string
  proc: ChildProcess
  port: number
  stop: () => Promise<void>
}

async function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => res(port))
    })
  })
}

function start(name: string, cmd: string[], env: Record<string, string>, ready: RegExp): Promise<Server> {
  const proc = spawn(process.execPath, cmd, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  return new Promise((res, rej) => {
    const timer = setTimeout(
      () => (proc.kill('SIGKILL'), rej(new Error(`${name} did not start: ${out}`))),
      20_000,
    )
    const on = (d: Buffer) => {
      out += d.toString()
      const m = ready.exec(out)
      if (!m) return
      clearTimeout(timer)
      proc.stdout!.off('data', on)
      proc.stdout!.resume()
      res({
        name,
        proc,
        port: Number(m[1] ?? env.PORT),
        stop: () =>
          new Promise<void>((done) => {
            if (proc.exitCode !== null) return done()
            proc.once('exit', () => done())
            proc.kill('SIGTERM')
            setTimeout(() => proc.kill('SIGKILL'), 5000).unref()
          }),
      })
    }
    proc.stdout!.on('data', on)
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  })
}

async function startYWebsocket(): Promise<Server> {
  const port = await freePort()
  return start(
    'y-websocket server',
    [join(root, 'node_modules/@y/websocket-server/src/server.js')],
    { HOST: '127.0.0.1', PORT: String(port) },
    /running at/,
  )
}

async function startRelay(dataDir: string): Promise<Server> {
  return start(
    'relay',
    [
      '--import',
      'tsx',
      join(root, 'relay/src/main.ts'),
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--data',
      dataDir,
      '--max-connections',
      String(IDLE + 5000),
      '--connection-rate',
      '1000000',
      // The bench's clients share 50 loopback addresses: lift the per-address cap.
      '--max-connections-per-ip',
      String(IDLE + 5000),
    ],
    {},
    /"port":(\d+)[^\n]*"relay listening"/,
  )
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Number(m[1]) / 1024 : NaN
}

/** Opens `n` sockets, `parallel` at a time, spreading them over loopback source addresses so that
 *  tens of thousands of connections never run out of ephemeral ports. */
async function openMany(urls: string[], n: number, parallel = 200): Promise<WebSocket[]> {
  const sockets: WebSocket[] = []
  let next = 0
  const lane = async () => {
    while (next < n) {
      const i = next++
      // skipUTF8Validation: the relay's signaling goes in text frames and y-websocket's in binary ones;
      // without it the bench's own clients would pay for validating text and bias the comparison.
      const ws = new WebSocket(urls[i % urls.length]!, {
        localAddress: `127.0.0.${2 + (i % 50)}`,
        skipUTF8Validation: true,
      })
      ws.on('error', () => {})
      await new Promise<void>((res, rej) => {
        ws.once('open', () => res())
        ws.once('error', rej)
      })
      sockets.push(ws)
    }
  }
  await Promise.all(Array.from({ length: parallel }, lane))
  return sockets
}

/** One fan-out workload: how to subscribe, how to publish message i, and which frames are deliveries. */
interface Workload {
  name: string
  url: string
  subscribe: (ws: WebSocket) => Promise<void>
  publish: (ws: WebSocket, i: number) => void
  isDelivery: (data: Buffer, isBinary: boolean) => boolean
}

async function measureFanout(
  w: Workload,
  subscribers: WebSocket[],
  publisher: WebSocket,
  base: number,
): Promise<number[]> {
  const latencies: number[] = []
  for (let m = 0; m < MESSAGES_PER_RUN; m++) {
    let received = 0
    let sentAt = 0
    const done = new Promise<void>((res) => {
      const timer = setTimeout(res, 10_000)
      for (const ws of subscribers) {
        const on = (data: Buffer, isBinary: boolean) => {
          if (!w.isDelivery(data, isBinary)) return
          ws.off('message', on)
          latencies.push(performance.now() - sentAt)
          if (++received === subscribers.length) {
            clearTimeout(timer)
            res()
          }
        }
        ws.on('message', on)
      }
    })
    sentAt = performance.now()
    w.publish(publisher, base + m)
    await done
    if (received < subscribers.length)
      console.warn(`${w.name}: only ${received} of ${subscribers.length} received`)
    await sleep(50)
  }
  return latencies
}

export default async function relayFanout(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tailmesh-bench-'))
  const servers: Server[] = []
  const sockets: WebSocket[] = []
  try {
    const yws = await startYWebsocket()
    const relay = await startRelay(dataDir)
    servers.push(yws, relay)

    // The same ~30-byte payload everywhere: a real one-change Yjs update.
    const doc = new Y.Doc()
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    for (let i = 0; i < RUNS * MESSAGES_PER_RUN + 1; i++) doc.getMap('m').set('k', i)

    const { publicKey, privateKey } = generateKeyPairSync('ed25519')
    const topicKey = new Uint8Array(Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url'))
    const topic = new Uint8Array(32).fill(7)
    const append = (entry: Uint8Array, id: number, withKey: boolean) =>
      encodeMailboxClientFrame({
        op: MailboxClientOp.append,
        id,
        topic,
        publicKey: withKey ? topicKey : null,
        entry,
        signature: new Uint8Array(sign(null, appendSigningBytes(topic, entry), privateKey)),
      })
    const mailboxSubscribe = encodeMailboxClientFrame({ op: MailboxClientOp.subscribe, id: 1, topic })

    const workloads: Workload[] = [
      {
        name: 'y-websocket server: Yjs update',
        url: `ws://127.0.0.1:${yws.port}/bench-room`,
        subscribe: async () => {},
        // messageSync (0), messageYjsUpdate (2), then the update as varUint8Array (< 128 bytes: 1-byte length).
        publish: (ws, i) => ws.send(Buffer.concat([Buffer.from([0, 2, updates[i]!.length]), updates[i]!])),
        isDelivery: (d) => d[0] === 0 && d[1] === 2,
      },
      {
        name: 'relay /signal: publish',
        url: `ws://127.0.0.1:${relay.port}/signal`,
        subscribe: async (ws) => ws.send(JSON.stringify({ type: 'subscribe', topics: ['bench-room'] })),
        publish: (ws, i) =>
          ws.send(
            JSON.stringify({
              type: 'publish',
              topic: 'bench-room',
              data: Buffer.from(updates[i]!).toString('base64'),
            }),
          ),
        isDelivery: (_d, isBinary) => !isBinary,
      },
      {
        name: 'relay /mailbox: append (fsync) + push',
        url: `ws://127.0.0.1:${relay.port}/mailbox`,
        subscribe: async (ws) => ws.send(mailboxSubscribe),
        publish: (ws, i) => ws.send(append(updates[i]!, i + 2, false)),
        isDelivery: (d) => d[0] === MailboxRelayOp.push,
      },
    ]

    // Connect every workload's 1,000 subscribers and its publisher once; runs reuse them.
    const setups = []
    for (const w of workloads) {
      const subs = await openMany([w.url], SUBSCRIBERS)
      for (const ws of subs) await w.subscribe(ws)
      const [publisher] = await openMany([w.url], 1)
      sockets.push(...subs, publisher!)
      setups.push({ w, subs, publisher: publisher! })
    }
    // Register the mailbox topic (the first append carries the key).
    setups[2]!.publisher.send(append(updates.at(-1)!, 1, true))
    await sleep(500)

    // Interleave the workloads run by run, as the shared harness does, so noise hits all alike.
    const p50 = workloads.map(() => [] as number[])
    const p95 = workloads.map(() => [] as number[])
    for (let r = 0; r < RUNS; r++) {
      for (const [i, s] of setups.entries()) {
        const lat = await measureFanout(s.w, s.subs, s.publisher, r * MESSAGES_PER_RUN)
        p50[i]!.push(percentile(lat, 50))
        p95[i]!.push(percentile(lat, 95))
      }
    }
    const table = (title: string, samples: number[][]) => {
      const spec: BenchSpec = {
        title,
        unit: 'ms',
        better: 'lower',
        baseline: { name: workloads[0]!.name, run: () => 0 },
        cases: [],
        targets: title.includes('p95')
          ? ['p95 ≤ 250 ms to 1,000 members, and no slower than y-websocket']
          : [],
      }
      const base = median(samples[0]!)
      const rows: BenchRow[] = workloads.map((w, i) => ({
        name: w.name,
        median: median(samples[i]!),
        min: Math.min(...samples[i]!),
        max: Math.max(...samples[i]!),
        ratio: median(samples[i]!) / base,
      }))
      printTable(spec, rows, RUNS)
    }
    table(`Fan-out to ${SUBSCRIBERS} subscribers, delivery latency p50`, p50)
    table(`Fan-out to ${SUBSCRIBERS} subscribers, delivery latency p95`, p95)
    for (const ws of sockets.splice(0)) ws.terminate()
    await Promise.all(servers.splice(0).map((s) => s.stop()))

    // Idle connections: a fresh process of each server, before and after 10k connections.
    const limit = /Max open files\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'))
    const idle = Math.min(IDLE, limit ? Number(limit[1]) - 500 : IDLE)
    if (idle < IDLE) console.log(`note: open-file limit allows only ${idle} connections (raise ulimit -n)`)
    const rows: { name: string; before: number; after: number }[] = []
    for (const make of [() => startYWebsocket(), () => startRelay(join(dataDir, 'idle'))]) {
      const s = await make()
      servers.push(s)
      await sleep(300)
      const before = rssMiB(s.proc.pid!)
      const urls =
        s.name === 'relay'
          ? [`ws://127.0.0.1:${s.port}/signal`, `ws://127.0.0.1:${s.port}/mailbox`]
          : [`ws://127.0.0.1:${s.port}/bench-idle`]
      const t0 = performance.now()
      const conns = await openMany(urls, idle)
      const openSeconds = (performance.now() - t0) / 1000
      await sleep(1000)
      const after = rssMiB(s.proc.pid!)
      rows.push({ name: s.name === 'relay' ? 'relay (half /signal, half /mailbox)' : s.name, before, after })
      console.log(`${s.name}: opened ${conns.length} connections in ${openSeconds.toFixed(1)} s`)
      for (const ws of conns) ws.terminate()
      await servers.pop()!.stop()
    }
    printTable(
      {
        title: `${idle} idle WebSocket connections, server RSS`,
        unit: 'MiB',
        better: 'lower',
        baseline: { name: rows[0]!.name, run: () => 0 },
        cases: [],
        targets: ['10k connections under 1 GB RSS'],
      },
      rows.map((r) => ({
        name: r.name,
        median: r.after,
        min: r.before,
        max: r.after,
        ratio: r.after / rows[0]!.after,
      })),
      1,
    )
    console.log('(min column: RSS before connecting; max and median: RSS with every connection open)')
    for (const r of rows)
      console.log(
        `${r.name}: ${(((r.after - r.before) * 1024 * 1024) / idle / 1024).toFixed(1)} KiB per connection`,
      )
  } finally {
    for (const ws of sockets) ws.terminate()
    await Promise.all(servers.map((s) => s.stop()))
    rmSync(dataDir, { recursive: true, force: true })
  }
}
