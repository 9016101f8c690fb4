// core's transports against the real relay process: the conformance suite for the mailbox (and WebRTC
// with signaling at /signal, peers over @roamhq/wrtc), plus what only the mailbox promises.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import wrtc from '@roamhq/wrtc'
import {
  MailboxErrorCode,
  MailboxTransport,
  MailboxRequestError,
  WebrtcTransport,
  utf8,
} from '@tailmesh/core'
import { Recorder, describeTransportConformance, newAccess } from '@tailmesh/core/test/transport-conformance'
import { removeDir, spawnRelay, tempDir, type RelayProcess } from './helpers/relay-process'

let relay: RelayProcess
const dataDir = tempDir()
let port = 0
const start = async () => {
  relay = await spawnRelay(port === 0 ? [] : ['--port', String(port)], { dataDir })
  port = relay.port
}

beforeAll(start)
afterAll(async () => {
  await relay.stop()
  removeDir(dataDir)
})

const interruption = {
  down: async () => void (await relay.stop()),
  up: start,
}

describeTransportConformance(
  'mailbox',
  async () => new MailboxTransport({ url: relay.mailboxUrl, WebSocket, backoff: { minMs: 50, maxMs: 500 } }),
  {
    durable: true,
    peerToPeer: false,
    ordered: true,
    // The relay's 256 KiB frame less the append's own fields.
    maxFrameBytes: 256 * 1024 - 200,
    interruption,
    holdsWhileDown: true,
  },
)

// Two WebrtcTransports are two separate peers (their own signaling sockets and peer connections).
describeTransportConformance(
  'webrtc',
  async () =>
    new WebrtcTransport({
      signaling: [relay.signalUrl],
      iceServers: [],
      wrtc,
      WebSocket,
      backoff: { minMs: 50, maxMs: 500 },
    }),
  {
    durable: false,
    peerToPeer: true,
    ordered: true,
    maxFrameBytes: 300 * 1024,
    timeoutMs: 10_000,
    interruption,
    holdsWhileDown: false,
  },
)

describe('webrtc transport: members only', () => {
  it('never connects to a peer on the same topic without the secret', async () => {
    const make = () =>
      new WebrtcTransport({
        signaling: [relay.signalUrl],
        iceServers: [],
        wrtc,
        WebSocket,
        startJitterMs: 50,
      })
    const [ta, tb, tm] = [make(), make(), make()]
    try {
      const access = await newAccess()
      const [a, stranger, member] = [new Recorder(), new Recorder(), new Recorder()]
      const linkA = await ta.open(access, a)
      await tb.open({ topic: access.topic, secret: new Uint8Array(32).fill(1) }, stranger)
      // A member that joins after the stranger proves that announces were flowing meanwhile.
      await tm.open({ ...access }, member)
      await member.until('meets a', () => member.joined.length > 0, 10_000)
      await a.until('meets the member', () => a.joined.length > 0, 10_000)
      await linkA.broadcast(utf8('members only'))
      await member.until('frame', () => member.frames.length > 0, 10_000)
      await new Promise((r) => setTimeout(r, 300))
      expect(a.joined.length).toBe(1)
      expect(stranger.joined).toEqual([])
      expect(stranger.frames).toEqual([])
    } finally {
      await Promise.all([ta.close(), tb.close(), tm.close()])
    }
  })
})

describe('mailbox transport: what only the mailbox promises', () => {
  const transports: MailboxTransport[] = []
  const make = () => {
    const t = new MailboxTransport({ url: relay.mailboxUrl, WebSocket, backoff: { minMs: 50, maxMs: 500 } })
    transports.push(t)
    return t
  }
  afterAll(async () => {
    await Promise.all(transports.map((t) => t.close()))
  })

  it('resolves a broadcast only once it is durable: a kill -9 right after loses nothing', async () => {
    const access = await newAccess()
    const writer = await make().open(access, new Recorder())
    await writer.broadcast(utf8('acked'))
    await relay.kill9()
    await start()
    const rec = new Recorder()
    await make().open(access, rec, 0)
    await rec.until('the acked frame', () => rec.frames.length > 0, 5000)
    expect(rec.texts()).toEqual(['acked'])
  })

  it('refuses an entry too large for the relay, and the link keeps working', async () => {
    const access = await newAccess()
    const rec = new Recorder()
    const link = await make().open(access, rec)
    const err = await link.broadcast(new Uint8Array(256 * 1024)).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(MailboxRequestError)
    expect((err as MailboxRequestError).code).toBe(MailboxErrorCode.tooLarge)
    await link.broadcast(utf8('small'))
    await rec.until('the small frame', () => rec.frames.length > 0, 5000)
    expect(rec.texts()).toEqual(['small'])
  })

  it('compact: a reader from the start gets the snapshot (cursor upTo), then only later entries', async () => {
    const access = await newAccess()
    const rec = new Recorder()
    const link = await make().open(access, rec)
    for (const s of ['e1', 'e2', 'e3']) await link.broadcast(utf8(s))
    // The writer's own appends come back with their cursors.
    await rec.until('own 3 frames', () => rec.frames.length >= 3, 5000)
    const [, c2, c3] = rec.frames.map((f) => f.cursor!)
    await link.compact(c2!, utf8('snapshot of e1+e2'))

    const late = new Recorder()
    await make().open(access, late, 0)
    await late.until('2 frames', () => late.frames.length >= 2, 5000)
    expect(late.frames.map((f) => [new TextDecoder().decode(f.bytes), f.cursor])).toEqual([
      ['snapshot of e1+e2', c2],
      ['e3', c3],
    ])
    // A reader already past the snapshot does not get it again.
    const current = new Recorder()
    await make().open(access, current, c2)
    await current.until('1 frame', () => current.frames.length >= 1, 5000)
    expect(current.texts()).toEqual(['e3'])

    const stale = await link.compact(c2!, utf8('again')).catch((e: unknown) => e)
    expect((stale as MailboxRequestError).code).toBe(MailboxErrorCode.badCursor)
  })

  it('compacts in chunks larger than a frame together: a reader gets every chunk, the last with upTo', async () => {
    const access = await newAccess()
    const rec = new Recorder()
    const link = await make().open(access, rec)
    for (const s of ['e1', 'e2', 'e3']) await link.broadcast(utf8(s))
    await rec.until('own 3 frames', () => rec.frames.length >= 3, 5000)
    const [, c2, c3] = rec.frames.map((f) => f.cursor!)
    // Three chunks of 150 KiB: 450 KiB, more than one relay frame holds.
    const chunks = ['a', 'b', 'c'].map((tag) => utf8(tag.repeat(150 * 1024)))
    await link.compact(c2!, chunks)

    const late = new Recorder()
    await make().open(access, late, 0)
    await late.until('4 frames', () => late.frames.length >= 4, 10_000)
    expect(late.frames.map((f) => [f.bytes.length, f.bytes[0], f.cursor])).toEqual([
      [150 * 1024, 'a'.charCodeAt(0), undefined],
      [150 * 1024, 'b'.charCodeAt(0), undefined],
      [150 * 1024, 'c'.charCodeAt(0), c2],
      [2, 'e'.charCodeAt(0), c3],
    ])
    // An upload behind the snapshot is refused whole.
    const stale = await link.compact(c2!, chunks).catch((e: unknown) => e)
    expect((stale as MailboxRequestError).code).toBe(MailboxErrorCode.badCursor)
  })
})

describe('webrtc transport: answering at once', () => {
  // Each side learns that the channel is open at its own moment, and a greeting goes out the moment
  // the first one does (a replica's catch-up is exactly that): the other side hears it and its answer
  // must not be lost. (simple-peer, used before, reported "connected" only after a getStats round,
  // so the answer was once dropped; the plain data channel is open before its first message.)
  it('an answer to the first frame a peer hears reaches the sender', async () => {
    const make = () =>
      new WebrtcTransport({ signaling: [relay.signalUrl], iceServers: [], wrtc, WebSocket, startJitterMs: 0 })
    const [fast, slow] = [make(), make()]
    try {
      const access = await newAccess()
      const greeter = new Recorder()
      const greeting = await fast.open(access, {
        frame: (f, from, cursor) => greeter.frame(f, from, cursor),
        peerJoined: (peer) => greeting.sendTo!(peer, utf8('hello')),
      })
      const answering = await slow.open(access, {
        frame: (_f, from) => from !== null && answering.sendTo!(from, utf8('hello to you')),
      })
      await greeter.until('the answer', () => greeter.texts().includes('hello to you'), 10_000)
    } finally {
      await Promise.all([fast.close(), slow.close()])
    }
  })
})
