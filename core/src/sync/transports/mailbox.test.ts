import { createServer } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { WebSocket } from 'ws'
import { randomBytes, toHex } from '../../bytes'
import { signingKeyPairFromSeed } from '../../crypto/ed25519'
import { sinkLogger, type LogRecord } from '../../log/logger'
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
