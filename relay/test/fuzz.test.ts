// 100k seeded random and malformed frames at /mailbox and /signal of the real relay process, from
// several sockets at once, while honest clients on other sockets keep appending, reading, receiving
// pushes and signaling. The process must stay up and the honest clients must be served throughout.
// (One malformed frame crashes y-webrtc's own bin/server.js.) Reproduce a run with FUZZ_SEED=<n>.
// Runs twice: against the embedded LevelDB store and against a relay on a real redis-server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MailboxClientOp, MailboxRelayOp, encodeMailboxClientFrame } from '@tailmesh/core'
import { WebSocket } from 'ws'
import { MailboxClient, newTopic } from './helpers/mailbox-client'
import { startRedis, type RedisServer } from './helpers/redis-server'
import { removeDir, spawnRelay, type RelayProcess } from './helpers/relay-process'
import { nextJson, open, prng, sleep } from './helpers/ws'

const SEED = Number(process.env.FUZZ_SEED ?? 20261125)
const FRAMES = 100_000
const WORKERS = 8 // half at /mailbox, half at /signal

// Rates and strikes are raised so that the fuzzers exercise parsing rather than mostly getting
// disconnected (limits.test.ts covers those); frame size stays at the default 256 KiB.
const LOOSE = [
  '--frame-rate',
  '10000000',
  '--byte-rate',
  '10000000000',
  '--max-bad-frames',
  '100000',
  '--connection-rate',
  '100000',
]

type Gen = (rand: () => number) => Uint8Array | string

const int = (rand: () => number, n: number) => Math.floor(rand() * n)
const bytes = (rand: () => number, n: number) => {
  const b = new Uint8Array(n)
  for (let i = 0; i < n; i++) b[i] = int(rand, 256)
  return b
}
const pick = <T>(rand: () => number, xs: T[]): T => xs[int(rand, xs.length)]!

function mailboxFrame(rand: () => number, honestTopic: Uint8Array): Uint8Array | string {
  const topic = () => (rand() < 0.3 ? honestTopic : bytes(rand, pick(rand, [32, 32, 32, 0, 31, 33])))
  switch (int(rand, 8)) {
    case 0:
      return bytes(rand, int(rand, 64))
    case 1: {
      // A well-formed append whose signature cannot verify (and sometimes a random key to register).
      const frame = encodeMailboxClientFrame({
        op: MailboxClientOp.append,
        id: int(rand, 2 ** 32),
        topic: topic(),
        publicKey: rand() < 0.5 ? null : bytes(rand, 32),
        entry: bytes(rand, 1 + int(rand, 200)),
        signature: bytes(rand, 64),
      })
      return frame
    }
    case 2:
      return encodeMailboxClientFrame({
        op: MailboxClientOp.read,
        id: int(rand, 1000),
        topic: topic(),
        after: int(rand, 2 ** 40),
        limit: int(rand, 5000),
      })
    case 3:
      return encodeMailboxClientFrame({ op: pick(rand, [3, 4]) as 3 | 4, id: 1, topic: topic() })
    case 4: {
      const upTo = int(rand, 100)
      if (rand() < 0.4)
        return encodeMailboxClientFrame({
          op: MailboxClientOp.snapshot,
          id: 2,
          topic: topic(),
          upTo,
          snapshot: bytes(rand, int(rand, 100)),
          signature: bytes(rand, 64),
        })
      if (rand() < 0.5)
        return encodeMailboxClientFrame({
          op: MailboxClientOp.readSnapshot,
          id: 3,
          topic: topic(),
          upTo,
          from: int(rand, 2 ** 33),
        })
      const count = int(rand, 5)
      return encodeMailboxClientFrame({
        op: MailboxClientOp.snapshotChunk,
        id: 4,
        topic: topic(),
        upTo,
        upload: bytes(rand, pick(rand, [16, 16, 15])),
        index: int(rand, count + 1),
        count,
        chunk: bytes(rand, int(rand, 100)),
        signature: bytes(rand, 64),
      })
    }
    case 5: {
      // A valid frame with random bytes flipped, cut or appended.
      const f = encodeMailboxClientFrame({
        op: MailboxClientOp.read,
        id: 9,
        topic: honestTopic,
        after: 0,
        limit: 10,
      })
      const g = rand() < 0.5 ? f.slice(0, int(rand, f.length)) : f
      if (g.length > 0) g[int(rand, g.length)] = int(rand, 256)
      return g
    }
    case 6:
      // Huge varints, giant declared lengths.
      return new Uint8Array([
        int(rand, 6),
        0xff,
        0xff,
        0xff,
        0xff,
        0xff,
        0xff,
        0xff,
        0xff,
        0x7f,
        ...bytes(rand, 8),
      ])
    default:
      return pick(rand, ['', 'hello', '{"type":"ping"}', '\u0000'])
  }
}

function signalFrame(rand: () => number, honestRoom: string): Uint8Array | string {
  switch (int(rand, 9)) {
    case 0:
      return bytes(rand, int(rand, 64))
    case 1:
      return Buffer.from(bytes(rand, int(rand, 64))).toString('latin1')
    case 2:
      return JSON.stringify({
        type: 'subscribe',
        topics: Array.from({ length: int(rand, 5) }, () => `room-${int(rand, 100)}`),
      })
    case 3:
      return JSON.stringify({ type: 'unsubscribe', topics: pick(rand, [null, 7, 'x', [1, {}], ['room-1']]) })
    case 4:
      return JSON.stringify({
        type: 'publish',
        topic: pick(rand, [`room-${int(rand, 100)}`, 7, null, '', {}]),
        data: { x: int(rand, 100) },
      })
    case 5:
      return pick(rand, [
        'null',
        '[]',
        '7',
        '"str"',
        '{"type":{}}',
        '{"__proto__":{"type":"ping"}}',
        '{"type":"subscribe","topics":"abc"}',
      ])
    case 6:
      return '['.repeat(int(rand, 5000)) // deep nesting, never closed
    case 7:
      // Publishing junk into the honest room: honest peers must tolerate it (y-webrtc ignores what it cannot use).
      return JSON.stringify({ type: 'publish', topic: honestRoom, data: { junk: int(rand, 1e6) } })
    default:
      return JSON.stringify({ type: pick(rand, ['ping', 'pong', 'nope', 42]), x: '\ud800' })
  }
}

async function fuzzer(url: string, count: number, seed: number, gen: Gen): Promise<number> {
  const rand = prng(seed)
  let ws: WebSocket | null = null
  let reconnects = 0
  for (let i = 0; i < count; i++) {
    if (ws === null || ws.readyState !== WebSocket.OPEN) {
      ws?.terminate()
      ws = await open(url)
      ws.on('error', () => {})
      reconnects++
    }
    const frame = gen(rand)
    ws.send(frame)
    // Keep at most ~1 MiB queued so the run measures the relay, not the test's memory.
    while (ws.readyState === WebSocket.OPEN && ws.bufferedAmount > 1 << 20) await sleep(1)
    // Yield now and then, so the honest clients in this same test process get their turn.
    if (i % 100 === 0) await sleep(0)
  }
  // Wait for the relay to have read everything: a ping round trip after the last frame.
  if (ws !== null && ws.readyState === WebSocket.OPEN) {
    const socket = ws
    await new Promise<void>((resolve) => {
      socket.once('pong', () => resolve())
      socket.ping()
      setTimeout(resolve, 10_000)
    })
    socket.terminate()
  }
  return reconnects
}

/** The same run against the embedded store and against a relay whose mailbox is in Redis. */
describe.each([
  ['LevelDB (embedded)', false],
  ['Redis', true],
])('fuzz: %s', (_name, withRedis) => {
  let relay: RelayProcess
  let redis: RedisServer | null = null
  beforeAll(async () => {
    if (withRedis) redis = await startRedis()
    relay = await spawnRelay(redis === null ? LOOSE : [...LOOSE, '--redis', redis.url])
  })
  afterAll(async () => {
    if (relay !== undefined) {
      await relay.stop()
      removeDir(relay.dataDir)
    }
    await redis?.stop()
  })

  it(`survives ${FRAMES} seeded random frames while honest clients are served`, async () => {
    const topic = await newTopic()
    const room = 'honest-room'
    const writer = await MailboxClient.connect(relay.mailboxUrl)
    const reader = await MailboxClient.connect(relay.mailboxUrl)
    await writer.append(topic, new TextEncoder().encode('register'))
    await reader.subscribe(topic.id)
    const [sigA, sigB] = [await open(relay.signalUrl), await open(relay.signalUrl)]
    sigB.send(JSON.stringify({ type: 'subscribe', topics: [room] }))
    await sleep(100)

    let fuzzing = true
    const honest = { rounds: 0, worstMs: 0 }
    const honestLoop = (async () => {
      while (fuzzing) {
        const t0 = performance.now()
        const n = honest.rounds
        const ack = await writer.append(topic, new TextEncoder().encode(`honest ${n}`))
        expect(ack.op).toBe(MailboxRelayOp.ack)
        await reader.waitForPushes(n + 1, 10_000)
        const got = nextJson(sigB, (m) => (m.data as { n?: number } | undefined)?.n === n, 10_000)
        sigA.send(JSON.stringify({ type: 'publish', topic: room, data: { n } }))
        await got
        honest.rounds++
        honest.worstMs = Math.max(honest.worstMs, performance.now() - t0)
        await sleep(50)
      }
    })()

    const t0 = performance.now()
    const per = FRAMES / WORKERS
    const reconnects = await Promise.all(
      Array.from({ length: WORKERS }, (_, w) =>
        w % 2 === 0
          ? fuzzer(relay.mailboxUrl, per, SEED + w, (r) => mailboxFrame(r, topic.id))
          : fuzzer(relay.signalUrl, per, SEED + w, (r) => signalFrame(r, room)),
      ),
    )
    const seconds = (performance.now() - t0) / 1000
    fuzzing = false
    await honestLoop
    console.log(
      `fuzz seed ${SEED}: ${FRAMES} frames in ${seconds.toFixed(1)} s (${Math.round(FRAMES / seconds)}/s), ` +
        `${reconnects.reduce((a, b) => a + b, 0)} connections, honest rounds ${honest.rounds} (worst ${honest.worstMs.toFixed(0)} ms)`,
    )

    expect(relay.alive()).toBe(true)
    const health = (await (await fetch(`${relay.http}/healthz`)).json()) as { status: string }
    expect(health.status).toBe('ok')
    // Served during the flood (each round: append acked, pushed to a subscriber, a signal relayed)...
    expect(honest.rounds).toBeGreaterThanOrEqual(1)
    // ...and promptly once it is over.
    const t1 = performance.now()
    expect(await writer.append(topic, new TextEncoder().encode('after the flood'))).toMatchObject({
      op: MailboxRelayOp.ack,
    })
    expect(performance.now() - t1).toBeLessThan(5000)
    const all = await reader.readAll(topic.id)
    expect(all.entries.filter((e) => Buffer.from(e.entry).toString().startsWith('honest '))).toHaveLength(
      honest.rounds,
    )
    expect(Buffer.from(all.entries.at(-1)!.entry).toString()).toBe('after the flood')
    writer.close()
    reader.close()
    sigA.terminate()
    sigB.terminate()
  }, 120_000)
})
