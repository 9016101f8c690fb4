// Is a relay there? Its /healthz over HTTP and its two sockets (/mailbox, /signal), each tried with a
// short timeout. Another origin's /healthz is fetched without CORS: the answer cannot be read, but
// that it came at all says the relay is reachable (and nothing is sent but the request itself).
import { relayEndpointsAt } from './relays'

export type RelayHealth = 'online' | 'partial' | 'offline'

const TIMEOUT_MS = 5000

async function httpReachable(url: string, timeoutMs: number): Promise<boolean> {
  const sameOrigin = globalThis.location !== undefined && new URL(url).origin === globalThis.location.origin
  try {
    const res = await fetch(url, {
      cache: 'no-store',
      credentials: 'omit',
      mode: sameOrigin ? 'same-origin' : 'no-cors',
      signal: AbortSignal.timeout(timeoutMs),
    })
    return res.type === 'opaque' || res.ok
  } catch {
    return false
  }
}

function socketOpens(url: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let socket: WebSocket
    try {
      socket = new WebSocket(url)
    } catch {
      resolve(false)
      return
    }
    const done = (ok: boolean) => {
      clearTimeout(timer)
      socket.onopen = socket.onerror = socket.onclose = null
      try {
        socket.close()
      } catch {
        // already closing
      }
      resolve(ok)
    }
    const timer = setTimeout(() => done(false), timeoutMs)
    socket.onopen = () => done(true)
    socket.onerror = () => done(false)
    socket.onclose = () => done(false)
  })
}

/** online: HTTP and both sockets answer; partial: some do; offline: none does. */
export async function probeRelay(base: string, timeoutMs = TIMEOUT_MS): Promise<RelayHealth> {
  const at = relayEndpointsAt(base)
  const answers = await Promise.all([
    httpReachable(at.healthz, timeoutMs),
    socketOpens(at.mailbox, timeoutMs),
    socketOpens(at.signal, timeoutMs),
  ])
  return answers.every(Boolean) ? 'online' : answers.some(Boolean) ? 'partial' : 'offline'
}
