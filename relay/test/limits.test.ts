// Limits against the real relay process started with small limits: quota, frame size, frame rate,
// malformed-frame strikes, connection cap and per-IP connection rate. Each abuse gets a clear error
// frame and/or close reason, and the process keeps serving everyone else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MailboxErrorCode, MailboxRelayOp, decodeMailboxRelayFrame } from '@tailmesh/core'
import type { WebSocket } from 'ws'
import { MailboxClient, newTopic } from './helpers/mailbox-client'
import { removeDir, spawnRelay, type RelayProcess } from './helpers/relay-process'
import { closed, open } from './helpers/ws'

let relay: RelayProcess
const sockets: WebSocket[] = []
const text = (s: string) => new TextEncoder().encode(s)
const client = async () => {
  const c = await MailboxClient.connect(relay.mailboxUrl)
  sockets.push(c.ws)
  return c
}

beforeAll(async () => {
  relay = await spawnRelay([
    '--topic-quota',
    '1600',
    '--max-frame-bytes',
    '4096',
    '--frame-rate',
    '50',
    '--max-bad-frames',
    '3',
    '--max-connections',
    '8',
    '--connection-rate',
    '1000',
  ])
})
afterAll(async () => {
  for (const ws of sockets) ws.terminate()
  await relay.stop()
  removeDir(relay.dataDir)
})

describe('relay limits', () => {
  it('refuses appends beyond the topic quota with 507, and a snapshot frees room', async () => {
    const topic = await newTopic()
    const c = await client()
    for (let i = 0; i < 4; i++)
      expect(await c.append(topic, text(`${i}`.repeat(200)))).toMatchObject({ op: MailboxRelayOp.ack })
    const over = await c.append(topic, text('x'.repeat(300)))
    expect(over).toMatchObject({ op: MailboxRelayOp.error, code: MailboxErrorCode.quotaExceeded })
    expect(await c.snapshot(topic, 4, text('small'))).toMatchObject({ op: MailboxRelayOp.ack })
    expect(await c.append(topic, text('x'.repeat(300)))).toMatchObject({ op: MailboxRelayOp.ack, cursor: 5 })
  })

  it('closes a socket that sends a frame over the size limit (1009)', async () => {
    const c = await client()
    const bye = closed(c.ws)
    c.ws.send(new Uint8Array(5000))
    expect((await bye).code).toBe(1009)
  })

  it('answers a flood with 429 and closes the socket with a reason', async () => {
    const c = await client()
    const bye = closed(c.ws)
    const topic = await newTopic()
    for (let i = 0; i < 200; i++) void c.read(topic.id, 0).catch(() => {})
    expect(await bye).toEqual({ code: 1008, reason: 'rate limit exceeded' })
    expect(c.unsolicited.some((e) => e.code === MailboxErrorCode.rateLimited)).toBe(true)
  })

  it('closes a socket after too many malformed frames', async () => {
    const ws = await open(relay.mailboxUrl)
    sockets.push(ws)
    const errors: number[] = []
    ws.on('message', (d: Buffer) => {
      const f = decodeMailboxRelayFrame(new Uint8Array(d))
      if (f.op === MailboxRelayOp.error) errors.push(f.code)
    })
    const bye = closed(ws)
    for (let i = 0; i < 5; i++) ws.send(new Uint8Array([0xff, 0xff]))
    expect(await bye).toEqual({ code: 1008, reason: 'too many malformed frames' })
    expect(errors.every((c) => c === 400) && errors.length >= 3).toBe(true)
  })

  it('refuses WebSockets beyond the connection cap with HTTP 503, and serves again when one leaves', async () => {
    for (const ws of sockets.splice(0)) ws.terminate()
    await new Promise((r) => setTimeout(r, 200))
    const held: WebSocket[] = []
    for (let i = 0; i < 8; i++) held.push(await open(relay.signalUrl))
    sockets.push(...held)
    await expect(open(relay.mailboxUrl)).rejects.toThrow(/503/)
    held.pop()!.terminate()
    await new Promise((r) => setTimeout(r, 200))
    sockets.push(await open(relay.mailboxUrl))
    expect(relay.alive()).toBe(true)
  })
})

describe('connection rate', () => {
  let slow: RelayProcess
  afterAll(async () => {
    await slow?.stop()
    if (slow) removeDir(slow.dataDir)
  })

  it('refuses new WebSockets from one address beyond its rate with HTTP 429', async () => {
    slow = await spawnRelay(['--connection-rate', '2'])
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => open(slow.signalUrl)))
    for (const r of results) if (r.status === 'fulfilled') r.value.terminate()
    expect(results.filter((r) => r.status === 'fulfilled').length).toBe(10) // the burst: 5 × 2
    expect(results.find((r) => r.status === 'rejected')?.reason).toMatchObject({
      message: expect.stringMatching(/429/),
    })
  })
})
