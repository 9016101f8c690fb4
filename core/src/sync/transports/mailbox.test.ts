import { createServer } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { randomBytes, toHex } from '../../bytes'
import { signingKeyPairFromSeed } from '../../crypto/ed25519'
import { sinkLogger, type LogRecord } from '../../log/logger'
import { MailboxClientOp, MailboxErrorCode, MailboxRelayOp } from '../../mailbox/codes'
import {
  decodeMailboxClientFrame,
  encodeMailboxRelayFrame,
  type MailboxRelayFrame,
} from '../../mailbox/frames'
import { MailboxRequestError } from './errors'
import { MailboxTransport } from './mailbox'

/** A port nothing listens on: taken, then given back, so a connection to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  const { port } = server.address() as { port: number }
  await new Promise<void>((r) => server.close(() => r()))
  return port
}

let transport: MailboxTransport | null = null
afterEach(async () => {
  await transport?.close()
  transport = null
})

describe('MailboxTransport logging', () => {
  it('says at debug, as transport:mailbox, that its relay cannot be reached', async () => {
    const records: LogRecord[] = []
    const url = `ws://127.0.0.1:${await closedPort()}/mailbox`
    transport = new MailboxTransport({
      url,
      WebSocket,
      backoff: { minMs: 20, maxMs: 50 },
      logger: sinkLogger((r) => records.push(r)),
    })
    const topic = { id: toHex(randomBytes(32)), signingKeys: await signingKeyPairFromSeed(randomBytes(32)) }
    await transport.open({ topic, secret: randomBytes(32) }, { frame: () => undefined })
    await vi.waitFor(() => expect(records.length).toBeGreaterThan(0), { timeout: 5000, interval: 20 })
    expect(records[0]).toMatchObject({
      level: 'debug',
      component: 'transport:mailbox',
      message: 'could not connect',
      fields: { url },
    })
    expect(transport.connected).toBe(false)
  })
})

describe('MailboxTransport against a relay from before chunked snapshots', () => {
  it('offers it one chunk, takes the refusal, and offers no more chunks on that connection', async () => {
    // What such a relay does: it knows ops 1 to 5 and answers anything else as malformed.
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' })
    const seen: number[] = []
    server.on('connection', (ws) =>
      ws.on('message', (data: Buffer) => {
        const op = data[0]!
        seen.push(op)
        const reply = (f: MailboxRelayFrame) => ws.send(encodeMailboxRelayFrame(f))
        if (op > MailboxClientOp.snapshot) {
          // The request id is the second byte while ids stay below 128, as here.
          reply({
            op: MailboxRelayOp.error,
            id: data[1]!,
            code: MailboxErrorCode.malformed,
            reason: 'unknown op',
          })
          return
        }
        const f = decodeMailboxClientFrame(new Uint8Array(data))
        if (f.op === MailboxClientOp.read)
          reply({
            op: MailboxRelayOp.entries,
            id: f.id,
            topic: f.topic,
            head: 0,
            snapshot: null,
            chunked: null,
            entries: [],
            next: 0,
            more: false,
          })
        else reply({ op: MailboxRelayOp.ack, id: f.id, cursor: 1, flags: 0 })
      }),
    )
    await new Promise((r) => server.once('listening', r))
    const { port } = server.address() as { port: number }
    try {
      transport = new MailboxTransport({ url: `ws://127.0.0.1:${port}/mailbox`, WebSocket })
      const topic = { id: toHex(randomBytes(32)), signingKeys: await signingKeyPairFromSeed(randomBytes(32)) }
      const link = await transport.open({ topic, secret: randomBytes(32) }, { frame: () => undefined })
      const chunks = [randomBytes(10), randomBytes(10), randomBytes(10)]
      const first = await link.compact(1, chunks).catch((e: unknown) => e)
      expect((first as MailboxRequestError).code).toBe(MailboxErrorCode.malformed)
      const again = await link.compact(1, chunks).catch((e: unknown) => e)
      expect(again).toBeInstanceOf(MailboxRequestError)
      // One chunk frame reached it in all; a snapshot in one piece still goes.
      expect(seen.filter((op) => op === MailboxClientOp.snapshotChunk)).toHaveLength(1)
      await link.compact(1, randomBytes(10))
      expect(seen).toContain(MailboxClientOp.snapshot)
    } finally {
      await transport?.close()
      transport = null
      await new Promise((r) => server.close(r))
    }
  })
})
