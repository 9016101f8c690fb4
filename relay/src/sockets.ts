// What both WebSocket endpoints share: sending without letting a slow reader pile up memory, and
// keepalive pings that drop peers which stopped answering (dead NAT mappings, suspended laptops).
import { WebSocket, type WebSocketServer, type RawData } from 'ws'

const alive = new WeakSet<WebSocket>()

/**
 * Sends unless the socket is closing; drops a client whose unsent backlog exceeds `maxBuffered`.
 * `data` is sent as is (a server frame is not masked, so ws does not copy it): fan-out callers encode
 * once and pass the same bytes to every receiver. `text` marks UTF-8 bytes to go as a text frame.
 */
export function send(ws: WebSocket, data: Uint8Array, maxBuffered: number, text = false): void {
  if (ws.readyState !== WebSocket.OPEN) return
  if (ws.bufferedAmount > maxBuffered) {
    ws.close(1008, 'too slow: outgoing backlog over the limit')
    return
  }
  ws.send(data, { binary: !text }, (err) => {
    if (err) ws.terminate()
  })
}

/** Pings every client each `intervalMs`; terminates those that did not pong since the last round. */
export function keepAlive(wss: WebSocketServer, intervalMs = 30_000): () => void {
  wss.on('connection', (ws: WebSocket) => {
    alive.add(ws)
    ws.on('pong', () => alive.add(ws))
  })
  const timer = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate()
        continue
      }
      alive.delete(ws)
      try {
        ws.ping()
      } catch {
        ws.terminate()
      }
    }
  }, intervalMs)
  timer.unref()
  return () => clearInterval(timer)
}

/** Closes every client with `reason`, then terminates whoever has not finished closing by `graceMs`. */
export async function closeAll(
  wss: WebSocketServer,
  code: number,
  reason: string,
  graceMs = 1000,
): Promise<void> {
  for (const ws of wss.clients) ws.close(code, reason)
  const deadline = Date.now() + graceMs
  while (wss.clients.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
  for (const ws of wss.clients) ws.terminate()
  await new Promise<void>((resolve) => wss.close(() => resolve()))
}

/** A message as one Buffer, whatever ws delivered it as. */
export function asBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data
  if (Array.isArray(data)) return Buffer.concat(data)
  return Buffer.from(data)
}
