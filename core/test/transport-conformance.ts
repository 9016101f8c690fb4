// One conformance suite for every Transport: what a replica relies on, asserted as peers would notice
// it (bytes that arrive or do not), against real networks only. Each transport states its
// capabilities in options; tests a transport cannot pass are reported as skipped under their name.
import { afterEach, describe, expect, it } from 'vitest'
import { randomBytes, utf8 } from '../src/bytes'
import { GroupKey } from '../src/keys/group-key'
import { deriveTopic } from '../src/keys/topic'
import type { Link, LinkHandlers, TopicAccess, Transport } from '../src/sync/transport'

export interface ConformanceOptions {
  /** Stores frames: links opened later catch up from `resumeAfter`, frames carry cursors. */
  durable: boolean
  /**
   * Peer-to-peer: peerJoined / peerLeft, `sendTo`, and `from` names a linked peer to answer with
   * `sendTo`: the sender itself, or (see `forwards`) the neighbour that passed the frame on.
   */
  peerToPeer: boolean
  /**
   * Broadcasts travel through other peers (gossipsub): a broadcast's `from` is the neighbour that
   * handed it over, or null when that was a relay (no one to answer). Direct frames still name the
   * sender.
   */
  forwards?: boolean
  /** The largest sealed frame the transport must carry byte-identical. */
  maxFrameBytes: number
  /** Frames from one sender arrive in the order they were broadcast. */
  ordered: boolean
  /** How long one step (a connection, a delivery) may take. Default 5 s. */
  timeoutMs?: number
  /**
   * Takes the transport's network away and back (the relay: stop, then restart on the same port and
   * data). Without it the reconnect test is reported as skipped.
   */
  interruption?: { down(): Promise<void>; up(): Promise<void> }
  /** A broadcast made while down is held (its promise pending) and delivered once back up. */
  holdsWhileDown?: boolean
}

interface Received {
  bytes: Uint8Array
  from: string | null
  cursor: number | undefined
}

/** Handlers that record everything a link reports, with a way to wait for a condition. */
export class Recorder implements LinkHandlers {
  readonly frames: Received[] = []
  readonly joined: string[] = []
  readonly left: string[] = []
  readonly statuses: boolean[] = []
  private wake: (() => void)[] = []

  frame(sealed: Uint8Array, from: string | null, cursor?: number): void {
    this.frames.push({ bytes: new Uint8Array(sealed), from, cursor })
    this.notify()
  }
  peerJoined(peer: string): void {
    this.joined.push(peer)
    this.notify()
  }
  peerLeft(peer: string): void {
    this.left.push(peer)
    this.notify()
  }
  status(online: boolean): void {
    this.statuses.push(online)
    this.notify()
  }

  texts(): string[] {
    return this.frames.map((f) => new TextDecoder().decode(f.bytes))
  }

  async until(what: string, done: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (!done()) {
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 100))
        this.wake.push(() => (clearTimeout(t), resolve()))
      })
    }
  }

  private notify(): void {
    const wake = this.wake
    this.wake = []
    for (const w of wake) w()
  }
}

/** A fresh topic as members derive it, plus a member-only secret. */
export async function newAccess(): Promise<TopicAccess> {
  const topic = await deriveTopic(`group-${Math.random()}`, await GroupKey.generate())
  return { topic, secret: randomBytes(32) }
}

/** Incompressible bytes of any length (getRandomValues stops at 64 KiB). */
function noise(n: number): Uint8Array {
  const out = new Uint8Array(n)
  for (let at = 0; at < n; at += 65536) out.set(randomBytes(Math.min(65536, n - at)), at)
  return out
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Node handles that would keep a process alive, by kind. */
function liveHandles(): Map<string, number> {
  const counts = new Map<string, number>()
  for (const kind of process.getActiveResourcesInfo())
    if (/Timeout|Immediate|TCP|Pipe|UDP/.test(kind)) counts.set(kind, (counts.get(kind) ?? 0) + 1)
  return counts
}

/**
 * `it` for a case that only exists for transports with a capability: for the others it is not
 * registered at all (a transport without durability has no catch-up to test), so the totals count
 * only what ran and nothing shows as skipped.
 */
function itWhen(applies: boolean): (name: string, fn: () => Promise<void>, timeout?: number) => void {
  return applies ? (name, fn, timeout) => it(name, fn, timeout) : () => undefined
}

export function describeTransportConformance(
  name: string,
  makeTransport: () => Promise<Transport>,
  options: ConformanceOptions,
): void {
  const timeout = options.timeoutMs ?? 5000
  const opened: Transport[] = []
  const make = async () => {
    const t = await makeTransport()
    opened.push(t)
    return t
  }

  interface Peer {
    transport: Transport
    link: Link
    rec: Recorder
  }
  const join = async (access: TopicAccess, resumeAfter?: number, transport?: Transport): Promise<Peer> => {
    const t = transport ?? (await make())
    const rec = new Recorder()
    return { transport: t, rec, link: await t.open(access, rec, resumeAfter) }
  }
  /** Until every peer can reach every other: all met (peer-to-peer), or all online. */
  const connected = async (...peers: Peer[]) => {
    for (const p of peers)
      if (options.peerToPeer)
        await p.rec.until(
          `${peers.length - 1} peers`,
          () => p.link.peers().length >= peers.length - 1,
          timeout,
        )
      else await p.rec.until('online', () => p.link.online(), timeout)
  }

  describe(`transport conformance: ${name}`, () => {
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((t) => t.close()))
    })

    it('delivers a broadcast to another peer byte-identical', async () => {
      const access = await newAccess()
      const [a, b] = [await join(access), await join(access)]
      await connected(a, b)
      const sealed = randomBytes(1000)
      await a.link.broadcast(sealed)
      await b.rec.until('the frame', () => b.rec.frames.length > 0, timeout)
      const got = b.rec.frames[0]!
      expect(got.bytes).toEqual(sealed)
      if (options.forwards) expect([null, ...b.link.peers()]).toContain(got.from)
      else if (options.peerToPeer) expect(got.from).toBe(b.link.peers()[0])
      else expect(got.from).toBeNull()
      if (options.durable) expect(got.cursor).toBeGreaterThan(0)
      else expect(got.cursor).toBeUndefined()
    })

    itWhen(options.durable === true)(
      'durable: a late joiner catches up from resumeAfter, in order',
      async () => {
        const access = await newAccess()
        const a = await join(access)
        for (const s of ['one', 'two', 'three']) await a.link.broadcast(utf8(s))
        const fromStart = await join(access, 0)
        await fromStart.rec.until('3 frames', () => fromStart.rec.frames.length >= 3, timeout)
        expect(fromStart.rec.texts()).toEqual(['one', 'two', 'three'])
        const cursors = fromStart.rec.frames.map((f) => f.cursor!)
        expect([...cursors].sort((x, y) => x - y)).toEqual(cursors)

        const afterTwo = await join(access, cursors[1])
        await afterTwo.rec.until('online', () => afterTwo.link.online(), timeout)
        await a.link.broadcast(utf8('four'))
        await afterTwo.rec.until('2 frames', () => afterTwo.rec.frames.length >= 2, timeout)
        await sleep(100)
        expect(afterTwo.rec.texts()).toEqual(['three', 'four'])
      },
    )

    it('never delivers a frame of another topic', async () => {
      const [one, two] = [await newAccess(), await newAccess()]
      const [ta, tb] = [await make(), await make()]
      const [a1, a2] = [await join(one, 0, ta), await join(two, 0, ta)]
      const [b1, b2] = [await join(one, 0, tb), await join(two, 0, tb)]
      await connected(a1, b1)
      await connected(a2, b2)
      await a1.link.broadcast(utf8('for one'))
      await a2.link.broadcast(utf8('for two'))
      await b1.rec.until('frame on one', () => b1.rec.frames.length > 0, timeout)
      await b2.rec.until('frame on two', () => b2.rec.frames.length > 0, timeout)
      await sleep(200)
      expect(b1.rec.texts()).toEqual(['for one'])
      expect(b2.rec.texts()).toEqual(['for two'])
    })

    it('delivers 200 frames sent at once, all of them', async () => {
      const access = await newAccess()
      const [a, b] = [await join(access), await join(access)]
      await connected(a, b)
      const sent = Array.from({ length: 200 }, (_, i) => `frame ${i} ${'x'.repeat(i)}`)
      await Promise.all(sent.map((s) => a.link.broadcast(utf8(s))))
      await b.rec.until('200 frames', () => b.rec.frames.length >= 200, timeout * 2)
      if (options.ordered) expect(b.rec.texts()).toEqual(sent)
      else expect(b.rec.texts().sort()).toEqual([...sent].sort())
    })

    it(`carries a frame of ${options.maxFrameBytes} bytes`, async () => {
      const access = await newAccess()
      const [a, b] = [await join(access), await join(access)]
      await connected(a, b)
      const big = noise(options.maxFrameBytes)
      await a.link.broadcast(big)
      await a.link.broadcast(utf8('after'))
      await b.rec.until('2 frames', () => b.rec.frames.length >= 2, timeout)
      // Buffer.equals: Vitest's deep equality takes a second on 300 KiB.
      expect(Buffer.from(b.rec.frames[0]!.bytes).equals(big)).toBe(true)
      expect(b.rec.texts()[1]).toBe('after')
    })

    itWhen(options.peerToPeer === true)(
      'peer-to-peer: peers meet, sendTo reaches one peer only, peerLeft',
      async () => {
        const access = await newAccess()
        const [a, b, c] = [await join(access), await join(access), await join(access)]
        await connected(a, b, c)
        // Which of a's peers is b: the one b's direct frames come from (a broadcast may reach a
        // through c, on transports that forward).
        for (const peer of b.link.peers()) b.link.sendTo!(peer, utf8('b here'))
        await a.rec.until('b', () => a.rec.frames.length > 0, timeout)
        const bAsSeenByA = a.rec.frames[0]!.from!
        expect(a.link.peers()).toContain(bAsSeenByA)
        expect(a.rec.joined).toEqual(expect.arrayContaining(a.link.peers()))

        a.link.sendTo!(bAsSeenByA, utf8('only for b'))
        await a.link.broadcast(utf8('for all'))
        await b.rec.until('2 frames', () => b.rec.frames.length >= 2, timeout)
        await c.rec.until('2 frames', () => c.rec.frames.length >= 2, timeout)
        await sleep(100)
        // Not in order: a frame for one peer may travel another way than a broadcast (libp2p: its own
        // stream beside gossipsub), so 'for all' can overtake it. Frames of different senders may
        // interleave too.
        expect(b.rec.texts().sort()).toEqual(['for all', 'only for b'])
        expect(c.rec.texts().sort()).toEqual(['b here', 'for all'])

        await c.transport.close()
        await a.rec.until('peerLeft', () => a.rec.left.length > 0, timeout)
        await b.rec.until('peerLeft', () => b.rec.left.length > 0, timeout)
        expect(a.link.peers()).toEqual([bAsSeenByA])
      },
    )

    itWhen(options.peerToPeer === true)(
      'peer-to-peer: a peer that leaves and comes back is met again',
      async () => {
        const access = await newAccess()
        const [a, b] = [await join(access), await join(access)]
        await connected(a, b)
        await b.transport.close()
        await a.rec.until('peerLeft', () => a.rec.left.length > 0, timeout)
        const again = await join(access)
        await connected(a, again)
        await a.link.broadcast(utf8('welcome back'))
        await again.rec.until('frame', () => again.rec.frames.length > 0, timeout)
        expect(again.rec.texts()).toEqual(['welcome back'])
        expect(a.rec.joined.length).toBe(2)
      },
    )

    it('reports status: online once connected, nothing after close', async () => {
      const access = await newAccess()
      const a = await join(access)
      await a.rec.until('status(true)', () => a.rec.statuses.includes(true), timeout)
      expect(a.link.online()).toBe(true)
      await a.link.close()
      const before = a.rec.statuses.length
      await sleep(100)
      expect(a.rec.statuses.length).toBe(before)
      await expect(a.link.broadcast(utf8('late'))).rejects.toThrow()
    })

    it('delivers nothing after close, and leaves no timer or socket behind', async () => {
      const baseline = liveHandles()
      const access = await newAccess()
      const [a, b] = [await join(access), await join(access)]
      await connected(a, b)
      await a.link.broadcast(utf8('before'))
      await b.rec.until('frame', () => b.rec.frames.length > 0, timeout)
      await b.transport.close()
      await a.link.broadcast(utf8('after'))
      await sleep(300)
      expect(b.rec.texts()).toEqual(['before'])
      await a.transport.close()
      // Sockets take a moment to finish closing; then nothing of ours may be left.
      const settled = Date.now() + 2000
      let extra: string[]
      do {
        await sleep(50)
        const now = liveHandles()
        extra = [...now].filter(([k, n]) => n > (baseline.get(k) ?? 0)).map(([k, n]) => `${k}×${n}`)
      } while (extra.length > 0 && Date.now() < settled)
      expect(extra).toEqual([])
    })

    itWhen(options.interruption !== undefined)(
      'comes back after the network drops, and keeps what was sent meanwhile',
      async () => {
        const access = await newAccess()
        const [a, b] = [await join(access), await join(access)]
        await connected(a, b)
        await options.interruption!.down()
        await a.rec.until('status(false)', () => a.rec.statuses.includes(false), timeout)
        expect(a.link.online()).toBe(false)
        let handedOver = false
        const during = a.link.broadcast(utf8('sent while down')).then(() => (handedOver = true))
        await sleep(300)
        if (options.holdsWhileDown) expect(handedOver).toBe(false)
        await options.interruption!.up()
        await during
        await a.rec.until('online again', () => a.link.online(), timeout * 2)
        await b.rec.until('online again', () => b.link.online(), timeout * 2)
        await a.link.broadcast(utf8('sent after'))
        await b.rec.until('2 frames', () => b.rec.frames.length >= 2, timeout)
        expect(b.rec.texts()).toEqual(['sent while down', 'sent after'])
        expect(a.rec.statuses.slice(-2)).toEqual([false, true])
        if (options.peerToPeer) {
          // Finding new peers needs the relay again.
          const c = await join(access)
          await connected(a, b, c)
        }
      },
    )
  })
}
