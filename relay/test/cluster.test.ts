// A relay cluster against real processes: three relays (`--redis`) on one real redis-server (AOF,
// fsync always). Members on different processes exchange signaling (stock y-webrtc clients too), live
// mailbox pushes and catch-up; a relay killed with SIGKILL during 5,000 acknowledged appends loses
// none of them and its clients resume elsewhere from their cursors; redis-server killed with SIGKILL
// during appends loses nothing acknowledged, the relays answer 503 and refuse appends meanwhile, and
// recover without a restart once it is back.
import { execFileSync, spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MailboxErrorCode, MailboxRelayOp, appendSigningBytes } from '@tailmesh/core'
import { until } from '@tailmesh/core/test/until'
import { MailboxClient, newTopic, type TopicKeys } from './helpers/mailbox-client'
import { startRedis, type RedisServer } from './helpers/redis-server'
import { removeDir, spawnRelay, type RelayProcess } from './helpers/relay-process'
import { nextJson, open } from './helpers/ws'

let redis: RedisServer
const relays: RelayProcess[] = []
const clients: MailboxClient[] = []
const FAST = ['--frame-rate', '1000000', '--byte-rate', '1000000000', '--no-libp2p']

const startRelay = async (): Promise<RelayProcess> => {
  const r = await spawnRelay(['--redis', redis.url, ...FAST])
  relays.push(r)
  return r
}
let ending = false
const connect = async (r: RelayProcess): Promise<MailboxClient> => {
  const c = await MailboxClient.connect(r.mailboxUrl)
  c.ws.on('error', () => {}) // a relay killed under a client resets its socket: the close is what counts
  clients.push(c)
  return c
}
const health = async (r: RelayProcess) => {
  const res = await fetch(`${r.http}/healthz`)
  return { code: res.status, body: (await res.json()) as { status: string; store: object } }
}
const text = (s: string) => new TextEncoder().encode(s)
const str = (b: Uint8Array) => Buffer.from(b).toString()

beforeAll(async () => {
  redis = await startRedis()
})
afterAll(async () => {
  ending = true
  for (const c of clients) c.close()
  for (const r of relays) {
    await r.kill9()
    removeDir(r.dataDir)
  }
  await redis?.stop()
})

/** Signs `n` entries up front, so the relays, not the test's signing, are what runs during a kill. */
async function signed(topic: TopicKeys, n: number, label: string) {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const entry = text(`${label} ${i} ${'·'.repeat(40)}`)
      return { entry, signature: await topic.sign(appendSigningBytes(topic.id, entry)) }
    }),
  )
}

/**
 * A member that follows a topic the way PROTOCOL.md recommends: subscribe, read from its own cursor up
 * to the subscribe ack's head, apply pushes, ignore cursors it has. When its relay dies it moves to the
 * next one and resumes from its cursor.
 */
class Follower {
  readonly log: { cursor: number; entry: string }[] = []
  private relayIndex = 0
  private client: MailboxClient | null = null
  private seen = 0
  constructor(
    private readonly topic: Uint8Array,
    private readonly relayList: () => RelayProcess[],
  ) {}

  get cursor(): number {
    return this.log.at(-1)?.cursor ?? 0
  }

  private apply(cursor: number, entry: Uint8Array): void {
    if (cursor <= this.cursor) return
    this.log.push({ cursor, entry: str(entry) })
  }

  async attach(index: number): Promise<void> {
    this.relayIndex = index
    const c = await connect(this.relayList()[index]!)
    this.client = c
    this.seen = 0
    c.ws.on('message', () => this.drain())
    c.ws.once('close', () => void this.moveOn())
    const ack = await c.subscribe(this.topic)
    if (ack.op !== MailboxRelayOp.ack) throw new Error(`subscribe refused: ${JSON.stringify(ack)}`)
    // Pushes may arrive while catching up: apply them only once the read has reached them.
    for (let after = this.cursor; after < ack.cursor;) {
      const r = await c.read(this.topic, after)
      if (r.op !== MailboxRelayOp.entries) throw new Error('read refused')
      for (const e of r.entries) this.apply(e.cursor, e.entry)
      after = r.next
      if (!r.more) break
    }
    this.drain()
  }

  private drain(): void {
    const c = this.client
    if (c === null) return
    for (; this.seen < c.pushes.length; this.seen++) {
      const p = c.pushes[this.seen]!
      if (p.cursor > this.cursor + 1 && this.cursor > 0) return // still catching up: the read brings it
      this.apply(p.cursor, p.entry)
    }
  }

  private async moveOn(): Promise<void> {
    if (ending) return
    const list = this.relayList()
    for (let i = 1; i <= list.length; i++) {
      const next = (this.relayIndex + i) % list.length
      if (!list[next]!.alive()) continue
      await this.attach(next)
      return
    }
  }
}

describe('relay cluster on one Redis', () => {
  let a: RelayProcess, b: RelayProcess, c: RelayProcess
  beforeAll(async () => {
    ;[a, b, c] = await Promise.all([startRelay(), startRelay(), startRelay()])
  })

  it('reports the shared store in /healthz', async () => {
    expect(await health(a)).toMatchObject({
      code: 200,
      body: { status: 'ok', store: { kind: 'redis', reachable: true } },
    })
  })

  it('relays signaling between members on different processes', async () => {
    const [onA, onB, onC] = [await open(a.signalUrl), await open(b.signalUrl), await open(c.signalUrl)]
    for (const ws of [onB, onC]) ws.send(JSON.stringify({ type: 'subscribe', topics: ['cluster-room'] }))
    // Each process subscribes to Redis when its first local member joins: ping them to be sure that
    // the join was handled, then wait until a publish crosses.
    const got = [
      nextJson(onB, (m) => m.type === 'publish', 20_000),
      nextJson(onC, (m) => m.type === 'publish', 20_000),
    ]
    await until('a publish from process A reaches B and C', async () => {
      onA.send(JSON.stringify({ type: 'publish', topic: 'cluster-room', data: { hi: 'from A' } }))
      const settled = await Promise.race([
        Promise.all(got).then(() => true),
        new Promise((r) => setTimeout(() => r(false), 200)),
      ])
      return settled === true
    })
    for (const m of await Promise.all(got))
      expect(m).toMatchObject({ topic: 'cluster-room', data: { hi: 'from A' } })
    for (const ws of [onA, onB, onC]) ws.terminate()
  })

  it('lets a stock y-webrtc client on one process meet one on another', async () => {
    const peerScript = join(fileURLToPath(new URL('.', import.meta.url)), 'helpers/y-webrtc-peer.ts')
    const run = (url: string, me: string, other: string, jitter: number) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const p = spawn(
          process.execPath,
          ['--import', 'tsx', peerScript, url, 'cluster-yjs-room', me, other, String(jitter)],
          {
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        )
        let out = ''
        p.stdout.on('data', (d: Buffer) => (out += d.toString()))
        p.stderr.on('data', (d: Buffer) => (out += d.toString()))
        const kill = setTimeout(() => p.kill('SIGKILL'), 40_000)
        p.on('exit', (code) => (clearTimeout(kill), resolve({ code, out })))
      })
    const [x, y] = await Promise.all([
      run(a.signalUrl, 'alice', 'bob', 0),
      run(b.signalUrl, 'bob', 'alice', 400),
    ])
    expect(x.code, x.out).toBe(0)
    expect(y.code, y.out).toBe(0)
    const line = JSON.parse(x.out.trim().split('\n').at(-1)!) as { map: object; webrtcConns: number }
    expect(line.map).toEqual({ alice: 'hello from alice', bob: 'hello from bob' })
    expect(line.webrtcConns).toBeGreaterThan(0)
  }, 60_000)

  it('pushes live to subscribers on every process and serves catch-up from any', async () => {
    const topic = await newTopic()
    const [w, sb, sc] = [await connect(a), await connect(b), await connect(c)]
    expect(await w.append(topic, text('first'))).toMatchObject({ op: MailboxRelayOp.ack, cursor: 1 })
    expect(await sb.subscribe(topic.id)).toMatchObject({ cursor: 1 })
    expect(await sc.subscribe(topic.id)).toMatchObject({ cursor: 1 })
    for (let i = 0; i < 20; i++) await w.append(topic, text(`live ${i}`), false)
    for (const s of [sb, sc]) {
      const pushes = await s.waitForPushes(20)
      expect(pushes.map((p) => p.cursor)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2))
      expect(str(pushes[19]!.entry)).toBe('live 19')
    }
    const late = await connect(c)
    const all = await late.readAll(topic.id, 5)
    expect(all.entries.map((e) => e.cursor)).toEqual(Array.from({ length: 16 }, (_, i) => i + 6))
    expect(await late.append(topic, text('live 3'), false)).toMatchObject({ cursor: 5, flags: 1 })
  })

  it('loses no acknowledged entry when a relay is killed during 5,000 appends; clients resume elsewhere', async () => {
    const topic = await newTopic()
    const reg = await connect(b)
    expect(await reg.append(topic, text('register'))).toMatchObject({ cursor: 1 })
    const WRITERS = 4
    const PER = 1250
    const work = await Promise.all(
      Array.from({ length: WRITERS }, (_, i) => signed(topic, PER, `writer ${i}`)),
    )
    const follower = new Follower(topic.id, () => [a, b, c])
    await follower.attach(0) // on A, the relay that dies
    const acked = new Map<number, string>()
    let killed: Promise<void> | null = null
    const writer = async (items: (typeof work)[number], home: RelayProcess) => {
      let next = 0
      let client = await connect(home)
      let reconnect: Promise<void> | null = null
      const lane = async (): Promise<void> => {
        while (next < items.length) {
          const i = next++
          const { entry, signature } = items[i]!
          for (;;) {
            let ack
            try {
              ack = await client.request({ op: 1, topic: topic.id, publicKey: null, entry, signature })
            } catch {
              // The relay died under us: move to a live one (one lane reconnects, the others wait).
              reconnect ??= connect(b).then((fresh) => {
                client = fresh
                reconnect = null
              })
              await reconnect
              continue
            }
            if (ack.op !== MailboxRelayOp.ack) throw new Error(`refused: ${JSON.stringify(ack)}`)
            const prev = acked.get(ack.cursor)
            if (prev !== undefined && prev !== str(entry)) throw new Error(`cursor ${ack.cursor} acked twice`)
            acked.set(ack.cursor, str(entry))
            if (acked.size >= 2000 && killed === null) killed = a.kill9()
            break
          }
        }
      }
      await Promise.all(Array.from({ length: 32 }, lane))
    }
    await Promise.all(work.map((items, i) => writer(items, i % 2 === 0 ? a : b)))
    await killed
    expect(a.alive()).toBe(false)
    expect(acked.size).toBe(WRITERS * PER)
    const reader = await connect(c)
    const { entries } = await reader.readAll(topic.id)
    const stored = new Map(entries.map((e) => [e.cursor, str(e.entry)]))
    for (const [cursor, entry] of acked) expect(stored.get(cursor)).toBe(entry)
    expect(entries).toHaveLength(WRITERS * PER + 1) // each entry once, whatever was retried
    await until('the follower has everything', () => follower.cursor === WRITERS * PER + 1)
    expect(follower.log.map((e) => e.cursor)).toEqual(entries.map((e) => e.cursor))
    expect(follower.log.map((e) => e.entry)).toEqual(entries.map((e) => str(e.entry)))
  }, 120_000)

  it('loses nothing acknowledged when redis-server is killed during appends, and recovers by itself', async () => {
    const live = relays.filter((r) => r.alive())
    const [p, q] = [live[0]!, live[1]!]
    const topic = await newTopic()
    const w = await connect(p)
    expect(await w.append(topic, text('register'))).toMatchObject({ cursor: 1 })
    const follower = new Follower(topic.id, () => [q])
    await follower.attach(0)
    const items = await signed(topic, 1000, 'through the outage')
    const acked = new Map<number, string>()
    const refusals = new Set<string>()
    let killed: Promise<void> | null = null
    let next = 0
    const lane = async (): Promise<void> => {
      while (next < items.length) {
        const { entry, signature } = items[next++]!
        for (;;) {
          const ack = await w.request({ op: 1, topic: topic.id, publicKey: null, entry, signature })
          if (ack.op === MailboxRelayOp.ack) {
            acked.set(ack.cursor, str(entry))
            if (acked.size >= 300 && killed === null) killed = redis.kill9()
            break
          }
          if (ack.op !== MailboxRelayOp.error) throw new Error('unexpected answer')
          expect(ack.code).toBe(MailboxErrorCode.internal)
          refusals.add(ack.reason)
          await new Promise((r) => setTimeout(r, 50)) // a client's back-off
        }
      }
    }
    const writing = Promise.all(Array.from({ length: 16 }, lane))
    await until('the appends are under way', () => killed !== null)
    await killed
    await until('/healthz says 503 while Redis is gone', async () => (await health(p)).code === 503)
    expect((await health(q)).body).toMatchObject({
      status: 'unavailable',
      store: { kind: 'redis', reachable: false },
    })
    await until('an append was refused', () => refusals.size > 0)
    await redis.restart()
    await until(
      '/healthz is 200 again on both',
      async () => (await health(p)).code === 200 && (await health(q)).code === 200,
    )
    await writing
    expect([...refusals]).toEqual(['storage unavailable: the relay cannot reach its Redis; retry later'])
    const { entries } = await (await connect(q)).readAll(topic.id)
    const stored = new Map(entries.map((e) => [e.cursor, str(e.entry)]))
    for (const [cursor, entry] of acked) expect(stored.get(cursor)).toBe(entry)
    expect(new Set(entries.map((e) => str(e.entry))).size).toBe(entries.length)
    expect(entries).toHaveLength(1001)
    // The subscriber on the other relay missed pushes during the outage: the relay filled the gap.
    await until('the follower has everything', () => follower.cursor === entries.at(-1)!.cursor)
    expect(follower.log.map((e) => e.cursor)).toEqual(entries.map((e) => e.cursor))
    expect(p.alive() && q.alive()).toBe(true)
  }, 120_000)

  it('runs --workers 2 as two processes on one port that share pushes and restart when one dies', async () => {
    const r = await spawnRelay(['--redis', redis.url, '--workers', '2', ...FAST])
    relays.push(r)
    const children = () =>
      execFileSync('ps', ['-o', 'pid=', '--ppid', String(r.proc.pid)], { encoding: 'utf8' })
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '')
    expect(children()).toHaveLength(2)
    const topic = await newTopic()
    // Round-robin: consecutive connections land on different workers, and pushes still reach them all.
    const subs = [await connect(r), await connect(r), await connect(r)]
    const w = await connect(r)
    expect(await w.append(topic, text('to every worker'))).toMatchObject({ cursor: 1 })
    for (const s of subs) expect(await s.subscribe(topic.id)).toMatchObject({ cursor: 1 })
    await w.append(topic, text('pushed'), false)
    for (const s of subs) expect((await s.waitForPushes(1))[0]!.cursor).toBe(2)
    const [first] = children()
    process.kill(Number(first), 'SIGKILL')
    await until('the primary started another worker', () => {
      const now = children()
      return now.length === 2 && !now.includes(first!)
    })
    expect(await r.stop()).toBe(0)
  }, 60_000)
})
