// A WebSocket that comes back by itself: the mailbox and WebRTC signaling both need one connection to
// the relay that survives relay restarts and network changes, with backoff so that a relay that is
// down (or refusing us) is not hammered, and with a close() after which no timer or socket is left.
// Core is type-checked without the DOM library and Node 20 has no global WebSocket, so the
// constructor is injected and only the few members used here are declared.
import { errorFields, noLogger, type Logger } from '../../log/logger'

/**
 * The part of the browser WebSocket API used here; `ws`'s WebSocket has it too. Event parameters are
 * `never` so that any implementation's own event types are assignable (we only ever assign handlers);
 * the handlers below read the few fields every implementation provides.
 */
export interface WebSocketLike {
  readonly readyState: number
  binaryType: string
  send(data: Uint8Array | string): void
  close(code?: number, reason?: string): void
  onopen: ((ev: never) => void) | null
  onclose: ((ev: never) => void) | null
  onerror: ((ev: never) => void) | null
  onmessage: ((ev: never) => void) | null
}

export type WebSocketConstructor = new (url: string) => WebSocketLike

const OPEN = 1

/** The WebSocket constructor to use: the given one, else the platform's (browsers, Node 22+). */
export function webSocketConstructor(given: WebSocketConstructor | undefined): WebSocketConstructor {
  const ctor = given ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket
  if (ctor === undefined)
    throw new TypeError('No WebSocket here (Node 20): pass one, e.g. `WebSocket` from the ws package.')
  return ctor
}

/**
 * `ctor`, whose sockets each start with an error handler of their own. ws (Node) throws an 'error'
 * event nobody listens to, which ends the process; libp2p's WebSocket dialer listens only while it
 * waits for 'open', and a dial it aborts leaves the connecting socket with no listener at all, so a
 * reset arriving after the abort killed the Node peer (relay/test/transports-libp2p, under load).
 * An error is always followed by 'close', which every user of the socket handles.
 */
export function withErrorHandler(ctor: WebSocketConstructor): WebSocketConstructor {
  return class extends ctor {
    constructor(url: string) {
      super(url)
      this.onerror ??= () => undefined
    }
  }
}

export interface Backoff {
  /** First retry delay. */
  minMs: number
  /** Longest delay between attempts. */
  maxMs: number
}

export const DEFAULT_BACKOFF: Backoff = { minMs: 100, maxMs: 5000 }

/** Full jitter: a random delay up to min·2^attempt (capped), so that many clients spread out. */
export function backoffDelay(backoff: Backoff, attempt: number): number {
  const cap = Math.min(backoff.maxMs, backoff.minMs * 2 ** Math.min(attempt, 20))
  return backoff.minMs + Math.random() * (cap - backoff.minMs)
}

export interface ReconnectingSocketOptions {
  url: string
  WebSocket: WebSocketConstructor
  backoff?: Backoff
  open(): void
  message(data: Uint8Array | string): void
  /** The socket dropped (after open); a new attempt is scheduled. */
  closed(code: number): void
  /**
   * Where failed connects, drops and sends are told (at debug), scoped by the socket's owner
   * (`transport:mailbox`, `transport:signaling`); default `noLogger.forComponent('transport:socket')`.
   */
  log?: Logger
}

// Close codes after which retrying soon would only be refused again (RFC 6455 policy violation, too
// large): wait the longest backoff.
const SLOW_DOWN_CODES = new Set([1008, 1009])

export class ReconnectingSocket {
  private ws: WebSocketLike | null = null
  private timer: ReturnType<typeof setTimeout> | null = null
  private attempt = 0
  private stopped = false
  private readonly backoff: Backoff
  private readonly log: Logger

  constructor(private readonly options: ReconnectingSocketOptions) {
    this.backoff = options.backoff ?? DEFAULT_BACKOFF
    this.log = options.log ?? noLogger.forComponent('transport:socket')
    this.connect()
  }

  get connected(): boolean {
    return this.ws !== null && this.ws.readyState === OPEN
  }

  /** Sends if connected; false otherwise (the caller keeps the data and retries on `open`). */
  send(data: Uint8Array | string): boolean {
    if (!this.connected || this.ws === null) return false
    try {
      this.ws.send(data)
      return true
    } catch (e) {
      this.log.debug('socket send failed', { url: this.options.url, ...errorFields(e) })
      return false
    }
  }

  /** Drops the current connection and reconnects (after a protocol error, say). */
  restart(): void {
    this.ws?.close()
  }

  /** Closes for good: no reconnect, no timer left. */
  close(): void {
    this.stopped = true
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    const ws = this.ws
    this.ws = null
    if (ws !== null) {
      ws.onopen = ws.onmessage = ws.onclose = null
      // Not null: ws (Node) reports "closed before the connection was established" as an error event,
      // and an error event with no handler is an uncaught exception that ends the process.
      ws.onerror = () => undefined
      try {
        ws.close(1000)
      } catch {
        // Closing a socket that never opened can throw in some implementations; it is gone either way.
      }
    }
  }

  private connect(): void {
    this.timer = null
    if (this.stopped) return
    let ws: WebSocketLike
    try {
      ws = new this.options.WebSocket(this.options.url)
    } catch (e) {
      this.log.debug('socket could not be created', { url: this.options.url, ...errorFields(e) })
      this.schedule(1000)
      return
    }
    this.ws = ws
    ws.binaryType = 'arraybuffer'
    let opened = false
    ws.onopen = () => {
      opened = true
      this.attempt = 0
      this.options.open()
    }
    ws.onmessage = (ev: { data: unknown }) => {
      const { data } = ev
      if (typeof data === 'string') this.options.message(data)
      else if (data instanceof ArrayBuffer) this.options.message(new Uint8Array(data))
      else if (ArrayBuffer.isView(data))
        this.options.message(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    }
    // An error is always followed by close; reconnecting is decided there.
    ws.onerror = () => {}
    ws.onclose = (ev: { code?: number }) => {
      if (this.ws !== ws) return
      this.ws = null
      const code = ev.code ?? 1006
      if (opened) this.log.debug('connection dropped', { url: this.options.url, code })
      else this.log.debug('could not connect', { url: this.options.url, code, attempt: this.attempt })
      if (opened) this.options.closed(code)
      this.schedule(code)
    }
  }

  private schedule(code: number): void {
    if (this.stopped) return
    const delay = SLOW_DOWN_CODES.has(code) ? this.backoff.maxMs : backoffDelay(this.backoff, this.attempt++)
    this.timer = setTimeout(() => this.connect(), delay)
  }
}
