// What both WebSocket endpoints share: sending without letting a slow reader pile up memory, and
// keepalive pings that drop peers which stopped answering (dead NAT mappings, suspended laptops).
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { WebSocket, type WebSocketServer, type RawData } from 'ws'

const alive = new WeakSet<WebSocket>()

/** The client address each WebSocket was accepted from (see server.ts: --trust-proxy). */
export const clientIps = new WeakMap<WebSocket, string>()

/**
 * Sends unless the socket is closing; drops a client whose unsent backlog exceeds `maxBuffered`.
 * `data` is sent as is (a server frame is not masked, so ws does not copy it): fan-out callers encode
 * once and pass the same bytes to every receiver. `text` marks UTF-8 bytes to go as a text frame.
 */
export function send(ws: WebSocket, data: Uint8Array, maxBuffered: number, text = false): void {
  if (ws.readyState !== WebSocket.OPEN) return
  if (ws.bufferedAmount + data.length > maxBuffered) {
    // A close frame would wait behind the backlog it is about (and keep it in memory until the
    // closing handshake times out): drop the connection now and free everything queued for it.
    ws.terminate()
    return
  }
  ws.send(data, { binary: !text }, (err) => {
    if (err) ws.terminate()
  })
}

/**
 * Resolves true once `bytes` more can be queued on `ws` without passing `maxBuffered`, false if the
 * socket closes first (a client that never reads is closed by keepAlive: it cannot answer pings).
 */
export async function waitForRoom(ws: WebSocket, bytes: number, maxBuffered: number): Promise<boolean> {
  while (ws.readyState === WebSocket.OPEN) {
    if (ws.bufferedAmount + bytes <= maxBuffered) return true
    await new Promise((r) => setTimeout(r, 25))
  }
  return false
}

let collect: (() => void) | null | undefined
let collectTimer: NodeJS.Timeout | null = null
let lastCollect = 0
/** Buffers held past this (unreachable ones included) make a closing connection trigger a collection. */
const RELEASE_ABOVE_BYTES = 16 * 1024 * 1024

/**
 * Once connections close, gives the memory their backlogs held back to the system soon, instead of
 * whenever V8 next feels like collecting (an idle relay may not for minutes): a full collection at
 * most every 10 s, and only while Buffers hold more than 16 MiB.
 */
export function releaseMemorySoon(): void {
  if (collectTimer !== null) return
  collectTimer = setTimeout(
    () => {
      collectTimer = null
      if (process.memoryUsage().arrayBuffers < RELEASE_ABOVE_BYTES) return
      if (collect === undefined) {
        try {
          setFlagsFromString('--expose-gc')
          collect = runInNewContext('gc') as () => void
        } catch {
          collect = null
        }
      }
      lastCollect = Date.now()
      collect?.()
    },
    Math.max(1000, lastCollect + 10_000 - Date.now()),
  )
  collectTimer.unref()
}

/** Pings every client each `intervalMs`; terminates those that did not pong since the last round. */
export function keepAlive(wss: WebSocketServer, intervalMs = 30_000): () => void {
  wss.on('connection', (ws: WebSocket) => {
    alive.add(ws)
    ws.on('pong', () => alive.add(ws))
    ws.on('close', releaseMemorySoon)
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
