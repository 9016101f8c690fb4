import { createServer, type Server, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { ReconnectingSocket, withErrorHandler } from './socket'

let server: Server | null = null
const sockets: Socket[] = []
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy()
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()))
  server = null
})

/** A TCP server that accepts and never answers the WebSocket handshake: the client stays connecting. */
async function silentServer(): Promise<number> {
  server = createServer((s) => sockets.push(s))
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()))
  return (server.address() as { port: number }).port
}

describe('ReconnectingSocket', () => {
  it('closing while the connection is still being made leaves no error behind (ws in Node)', async () => {
    const port = await silentServer()
    const errors: unknown[] = []
    const onError = (e: unknown) => errors.push(e)
    process.on('uncaughtException', onError)
    try {
      const socket = new ReconnectingSocket({
        url: `ws://127.0.0.1:${port}/mailbox`,
        WebSocket,
        open: () => undefined,
        message: () => undefined,
        closed: () => undefined,
      })
      await new Promise((r) => setTimeout(r, 100))
      expect(socket.connected).toBe(false)
      socket.close()
      await new Promise((r) => setTimeout(r, 200))
    } finally {
      process.off('uncaughtException', onError)
    }
    expect(errors).toEqual([])
  })
})

describe('withErrorHandler', () => {
  // libp2p's dialer, when it aborts a dial, drops its listeners and leaves the socket connecting:
  // here the socket is made and left the same way, then the server resets the connection.
  it('a socket left connecting with no listener does not end the process when the connection is reset', async () => {
    const port = await silentServer()
    const errors: unknown[] = []
    const onError = (e: unknown) => errors.push(e)
    process.on('uncaughtException', onError)
    try {
      const Quiet = withErrorHandler(WebSocket)
      const left = new Quiet(`ws://127.0.0.1:${port}/`)
      await new Promise((r) => setTimeout(r, 100))
      expect(left.readyState).toBe(0) // still connecting: the server never answers the handshake
      for (const s of sockets) s.resetAndDestroy()
      await new Promise((r) => setTimeout(r, 200))
      expect(left.readyState).toBe(3)
    } finally {
      process.off('uncaughtException', onError)
    }
    expect(errors).toEqual([])
  })
})
