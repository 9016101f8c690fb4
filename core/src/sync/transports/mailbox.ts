// The relay's store-and-forward log (relay/PROTOCOL.md, /mailbox) as a Transport. One WebSocket per
// transport carries every topic's link. A link catches up exactly as the protocol recommends
// (subscribe, note the head H, read from the last delivered cursor until next ≥ H, then live pushes,
// ignoring cursors already delivered), so a frame appended while this device was away, during a
// reconnect or between the read and the subscription is delivered once, in cursor order.
//
// Broadcasts are kept in an ordered outbox until the relay acknowledges them as durable: a frame sent
// while offline, or whose ack was lost with the connection, is sent again on the next connection (the
// relay dedupes identical entries and acks them with the duplicate flag, which is success too).
//
// A snapshot too large for one frame goes up in chunks (one upload, committed by the relay when the
// last is in), sent after any broadcast queued meanwhile. A chunked snapshot is read the same way:
// its chunks are handed on as frames without a cursor, all but the last, which carries the
// snapshot's cursor, so a device that stops halfway reads the whole snapshot again next time.
import { randomBytes, toHex } from '../../bytes'
import { sign } from '../../crypto/ed25519'
import { ValidationError } from '../../errors'
import { errorFields, noLogger, type ComponentLogger, type Logger } from '../../log/logger'
import {
  MAILBOX_MAX_FRAME_BYTES,
  MAILBOX_MAX_READ_LIMIT,
  MAILBOX_MAX_SNAPSHOT_CHUNKS,
  MAILBOX_UPLOAD_ID_BYTES,
  MailboxAckFlag,
  MailboxClientOp,
  MailboxErrorCode,
  MailboxRelayOp,
} from '../../mailbox/codes'
import {
  decodeMailboxRelayFrame,
  encodeMailboxClientFrame,
  type MailboxAckFrame,
  type MailboxAppendFrame,
  type MailboxChunksFrame,
  type MailboxClientFrame,
  type MailboxEntriesFrame,
  type MailboxErrorFrame,
  type MailboxPushFrame,
  type MailboxSnapshotChunkFrame,
  type MailboxSnapshotFrame,
  type SnapshotChunk,
} from '../../mailbox/frames'
import { appendSigningBytes, snapshotChunkSigningBytes, snapshotSigningBytes } from '../../mailbox/signing'
import type { Link, LinkHandlers, TopicAccess, Transport } from '../transport'
import { LinkClosedError, MailboxRequestError } from './errors'
import {
  DEFAULT_BACKOFF,
  ReconnectingSocket,
  backoffDelay,
  webSocketConstructor,
  type Backoff,
  type WebSocketConstructor,
} from './socket'
import { safely } from './safely'

export interface MailboxTransportOptions {
  /** The relay's mailbox endpoint, `ws(s)://host/mailbox`. */
  url: string
  /** Default `globalThis.WebSocket`; Node 20 has none: pass `ws`'s. */
  WebSocket?: WebSocketConstructor
  backoff?: Backoff
  /** The relay's largest accepted frame; larger appends are refused here instead of breaking the socket. */
  maxFrameBytes?: number
  /** Entries asked for per read while catching up (the relay caps it at 1,000). */
  readLimit?: number
  /**
   * Frames per second this client sends, below the relay's per-connection limit (200/s, burst 400)
   * so that a burst of broadcasts is paced here rather than cut off with close code 1008.
   */
  framesPerSecond?: number
  /**
   * Bytes per second this client sends (burst: twice as many), below the relay's per-connection
   * limit (4 MiB/s, burst 8 MiB), so that a large snapshot upload is paced here too.
   */
  bytesPerSecond?: number
  /** The relay's address as member records name it (Transport.relay). */
  relay?: string
  /**
   * Transport.id, the key of this mailbox's cursors (default `mailbox:<relay or url>`: two relays'
   * cursors mean nothing to each other).
   */
  id?: string
  /** Says at debug what failed quietly (relay unreachable, bad frames), as `transport:mailbox`. */
  logger?: ComponentLogger
}

export interface MailboxLink extends Link {
  /**
   * Uploads an encrypted snapshot standing for every entry up to and including `upTo`; the relay then
   * drops those entries, and readers starting before `upTo` get the snapshot (delivered as a frame
   * whose cursor is `upTo`) instead. A snapshot in several chunks (each sealed on its own, each within
   * a frame) goes up as one upload that the relay commits atomically when the last chunk is in;
   * readers get each chunk as a frame, the last with cursor `upTo`. Waits for a connection like
   * `broadcast`; resolves once the relay committed it.
   */
  compact(upTo: number, snapshot: Uint8Array | readonly Uint8Array[]): Promise<void>
  /**
   * The relay's head cursor for the topic when this link last subscribed (null before): 0 means the
   * relay has never held anything for it (a relay just added to a group, or a new group).
   */
  headAtSubscribe(): number | null
}

type Answer = MailboxAckFrame | MailboxEntriesFrame | MailboxErrorFrame | MailboxChunksFrame
type Request<F extends MailboxClientFrame = MailboxClientFrame> = F extends MailboxClientFrame
  ? Omit<F, 'id'>
  : never

/** The connection dropped before the answer came; the request may or may not have been processed. */
class ConnectionLost extends Error {}

// The relay works on 16 requests per connection at a time; more in flight only queue there.
const MAX_IN_FLIGHT = 16
// Worst-case size of an append frame around its entry: op, id (≤ 5 bytes), topic, key, signature and
// the entry's length prefix (≤ 5 bytes).
const APPEND_OVERHEAD = 1 + 5 + 33 + 33 + 5 + 65
const SNAPSHOT_OVERHEAD = 1 + 5 + 33 + 8 + 5 + 65
// A chunk frame also carries the upload id and the chunk's index and count (each ≤ 3 bytes).
const CHUNK_OVERHEAD = SNAPSHOT_OVERHEAD + 1 + MAILBOX_UPLOAD_ID_BYTES + 3 + 3
const RETRY_CODES: ReadonlySet<number> = new Set([
  MailboxErrorCode.rateLimited,
  MailboxErrorCode.internal,
  MailboxErrorCode.shuttingDown,
])

function fromHex(hex: string): Uint8Array {
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new ValidationError('A topic id is 64 lowercase hex digits.')
  const out = new Uint8Array(32)
  for (let i = 0; i < 32; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return out
}

export class MailboxTransport implements Transport {
  readonly id: string
  readonly kind = 'mailbox'
  /** A broadcast resolves once the relay stored the frame. */
  readonly durable = true
  readonly sameUser = false
  readonly relay: string | undefined
  private socket: ReconnectingSocket | null = null
  private readonly links = new Map<string, MailboxTopicLink>()
  private readonly waiting = new Map<number, { resolve: (a: Answer) => void; reject: (e: Error) => void }>()
  private nextId = 1
  private closed = false
  private readonly ctor: WebSocketConstructor
  readonly backoff: Backoff
  readonly maxFrameBytes: number
  readonly readLimit: number
  private readonly rate: number
  private tokens: number
  private readonly byteRate: number
  private byteTokens: number
  private tokensAt = Date.now()
  readonly log: Logger
  /**
   * The relay refused a snapshot chunk as malformed: it predates chunked snapshots. Until the next
   * connection, larger snapshots are not offered to it (each refusal counts against the socket).
   */
  chunkless = false

  constructor(private readonly options: MailboxTransportOptions) {
    this.log = (options.logger ?? noLogger).forComponent('transport:mailbox')
    this.ctor = webSocketConstructor(options.WebSocket)
    this.relay = options.relay
    this.id = options.id ?? `mailbox:${options.relay ?? options.url}`
    this.backoff = options.backoff ?? DEFAULT_BACKOFF
    this.maxFrameBytes = options.maxFrameBytes ?? MAILBOX_MAX_FRAME_BYTES
    this.readLimit = Math.min(options.readLimit ?? MAILBOX_MAX_READ_LIMIT, MAILBOX_MAX_READ_LIMIT)
    this.rate = options.framesPerSecond ?? 150
    this.tokens = this.rate
    this.byteRate = options.bytesPerSecond ?? 3 * 1024 * 1024
    this.byteTokens = this.byteRate
  }

  get connected(): boolean {
    return this.socket?.connected ?? false
  }

  async open(access: TopicAccess, handlers: LinkHandlers, resumeAfter = 0): Promise<MailboxLink> {
    if (this.closed) throw new LinkClosedError()
    const topic = fromHex(access.topic.id)
    if (this.links.has(access.topic.id))
      throw new ValidationError('This transport already has a link for that topic.')
    const link = new MailboxTopicLink(this, access, topic, handlers, resumeAfter)
    this.links.set(access.topic.id, link)
    this.socket ??= new ReconnectingSocket({
      url: this.options.url,
      WebSocket: this.ctor,
      backoff: this.backoff,
      open: () => {
        this.chunkless = false
        for (const l of this.links.values()) l.connectionOpened()
      },
      message: (data) => this.receive(data),
      closed: () => this.connectionLost(),
      log: this.log,
    })
    if (this.socket.connected) link.connectionOpened()
    return link
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await Promise.all([...this.links.values()].map((l) => l.close()))
    this.socket?.close()
    this.socket = null
    this.connectionLost()
  }

  /** Sends one request and resolves with its answer; rejects with ConnectionLost when offline. */
  request(frame: Request): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const id = this.nextId
      this.nextId = this.nextId >= 2 ** 31 ? 1 : this.nextId + 1
      this.waiting.set(id, { resolve, reject })
      const sent = this.socket?.send(encodeMailboxClientFrame({ ...frame, id } as MailboxClientFrame))
      if (sent !== true) {
        this.waiting.delete(id)
        reject(new ConnectionLost())
      }
    })
  }

  /**
   * Takes the send tokens of one frame of `bytes`; when there are not enough, takes none and returns
   * how long until there are. A frame larger than the byte burst waits for a full bucket only.
   */
  takeToken(bytes = 0): number {
    const now = Date.now()
    const elapsed = now - this.tokensAt
    this.tokens = Math.min(this.rate * 2, this.tokens + (elapsed * this.rate) / 1000)
    this.byteTokens = Math.min(this.byteRate * 2, this.byteTokens + (elapsed * this.byteRate) / 1000)
    this.tokensAt = now
    const cost = Math.min(bytes, this.byteRate * 2)
    if (this.tokens >= 1 && this.byteTokens >= cost) {
      this.tokens -= 1
      this.byteTokens -= cost
      return 0
    }
    const frameWait = ((1 - Math.min(1, this.tokens)) * 1000) / this.rate
    const byteWait = ((cost - Math.min(cost, this.byteTokens)) * 1000) / this.byteRate
    return Math.max(1, Math.ceil(Math.max(frameWait, byteWait)))
  }

  unlink(id: string, link: MailboxTopicLink): void {
    if (this.links.get(id) === link) this.links.delete(id)
  }

  private receive(data: Uint8Array | string): void {
    if (typeof data === 'string') return
    let frame
    try {
      frame = decodeMailboxRelayFrame(data)
    } catch (e) {
      // A relay speaking another version, or corruption: nothing here can answer it.
      this.log.debug('undecodable frame from the relay', { bytes: data.length, ...errorFields(e) })
      return
    }
    if (frame.op === MailboxRelayOp.push) {
      this.links.get(toHex(frame.topic))?.pushed(frame)
      return
    }
    const w = this.waiting.get(frame.id)
    if (w === undefined) return
    this.waiting.delete(frame.id)
    w.resolve(frame)
  }

  private connectionLost(): void {
    const waiting = [...this.waiting.values()]
    this.waiting.clear()
    for (const w of waiting) w.reject(new ConnectionLost())
    for (const l of this.links.values()) l.connectionClosed()
  }
}

type OutgoingFrame =
  Request<MailboxAppendFrame> | Request<MailboxSnapshotFrame> | Request<MailboxSnapshotChunkFrame>

interface OutboxItem {
  /** The request without its id; signing happens while earlier items are still being sent. */
  frame: Promise<OutgoingFrame>
  /** Its size on the wire, roughly (for the byte rate). */
  bytes: number
  /** Snapshot chunks go after any broadcast queued meanwhile: a large upload never holds a message up. */
  background: boolean
  state: 'queued' | 'in-flight' | 'waiting' | 'done'
  attempts: number
  resolve(ack: MailboxAckFrame): void
  reject(e: Error): void
}

class MailboxTopicLink implements MailboxLink {
  /** The last cursor handed to `frame` (or given as resumeAfter). */
  private delivered: number
  /** Bumped on every connect and disconnect: an answer from an older session is stale. */
  private session = 0
  private live = false
  private closed = false
  private buffered: MailboxPushFrame[] = []
  private readonly outbox: OutboxItem[] = []
  private pumping = false
  private pumpAgain = false
  private readonly timers = new Set<ReturnType<typeof setTimeout>>()
  private syncAttempts = 0
  private head: number | null = null

  constructor(
    private readonly transport: MailboxTransport,
    private readonly access: TopicAccess,
    private readonly topic: Uint8Array,
    private readonly handlers: LinkHandlers,
    resumeAfter: number,
  ) {
    this.delivered = resumeAfter
  }

  broadcast(sealed: Uint8Array): Promise<void> {
    if (sealed.length === 0) return Promise.reject(new ValidationError('An entry cannot be empty.'))
    if (sealed.length + APPEND_OVERHEAD > this.transport.maxFrameBytes)
      return Promise.reject(this.tooLarge(sealed.length))
    const entry = sealed.slice()
    // The public key goes with every append (32 bytes) rather than only after a 404: no extra round
    // trip for the first append, and a relay that lost its store re-registers the topic by itself.
    const frame = sign(this.access.topic.signingKeys.privateKey, appendSigningBytes(this.topic, entry)).then(
      (signature): Request<MailboxAppendFrame> => ({
        op: MailboxClientOp.append,
        topic: this.topic,
        publicKey: this.access.topic.signingKeys.publicKey,
        entry,
        signature,
      }),
    )
    return this.enqueue(frame, entry.length, false).then(() => undefined)
  }

  compact(upTo: number, snapshot: Uint8Array | readonly Uint8Array[]): Promise<void> {
    if (!Number.isSafeInteger(upTo) || upTo < 1)
      return Promise.reject(new ValidationError('upTo must be a positive cursor.'))
    const chunks = snapshot instanceof Uint8Array ? [snapshot] : [...snapshot]
    if (chunks.length === 0 || chunks.some((c) => c.length === 0))
      return Promise.reject(new ValidationError('A snapshot and each of its chunks must have bytes.'))
    if (chunks.length > MAILBOX_MAX_SNAPSHOT_CHUNKS)
      return Promise.reject(
        new ValidationError(`A snapshot has at most ${MAILBOX_MAX_SNAPSHOT_CHUNKS} chunks.`),
      )
    const overhead = chunks.length === 1 ? SNAPSHOT_OVERHEAD : CHUNK_OVERHEAD
    const large = chunks.find((c) => c.length + overhead > this.transport.maxFrameBytes)
    if (large !== undefined) return Promise.reject(this.tooLarge(large.length))
    const { privateKey } = this.access.topic.signingKeys
    if (chunks.length === 1) {
      // One piece: the snapshot op, which relays from before chunked snapshots take too.
      const bytes = chunks[0]!.slice()
      const frame = sign(privateKey, snapshotSigningBytes(this.topic, upTo, bytes)).then(
        (signature): Request<MailboxSnapshotFrame> => ({
          op: MailboxClientOp.snapshot,
          topic: this.topic,
          upTo,
          snapshot: bytes,
          signature,
        }),
      )
      return this.enqueue(frame, bytes.length, true).then(() => undefined)
    }
    return this.upload(upTo, chunks)
  }

  /**
   * The chunks of one upload, in order: the first alone (a relay that does not know chunks refuses
   * it once, not once per chunk in flight), then the rest; the first refusal withdraws those not sent.
   */
  private async upload(upTo: number, chunks: Uint8Array[]): Promise<void> {
    if (this.transport.chunkless)
      throw new MailboxRequestError(MailboxErrorCode.malformed, 'this relay takes no chunked snapshots')
    const upload = randomBytes(MAILBOX_UPLOAD_ID_BYTES)
    const count = chunks.length
    const { privateKey } = this.access.topic.signingKeys
    const items: OutboxItem[] = []
    const send = (index: number) => {
      const c: SnapshotChunk = {
        topic: this.topic,
        upTo,
        upload,
        index,
        count,
        chunk: chunks[index]!.slice(),
      }
      const frame = sign(privateKey, snapshotChunkSigningBytes(c)).then(
        (signature): Request<MailboxSnapshotChunkFrame> => ({
          op: MailboxClientOp.snapshotChunk,
          ...c,
          signature,
        }),
      )
      return this.enqueue(frame, c.chunk.length, true, (item) => items.push(item))
    }
    const acks = [
      await send(0).catch((e: unknown) => {
        if (e instanceof MailboxRequestError && e.code === MailboxErrorCode.malformed)
          this.transport.chunkless = true
        throw e
      }),
    ]
    const rest = chunks.slice(1).map((_, i) => send(i + 1))
    try {
      acks.push(...(await Promise.all(rest)))
    } catch (e) {
      for (const item of items)
        if (item.state === 'queued' || item.state === 'waiting') {
          this.settle(item)
          item.reject(e instanceof Error ? e : new Error(String(e)))
        }
      await Promise.allSettled(rest)
      throw e
    }
    // The relay commits when its last chunk is in, whichever that was.
    if (!acks.some((a) => (a.flags & MailboxAckFlag.committed) !== 0))
      throw new MailboxRequestError(MailboxErrorCode.badCursor, 'the relay did not commit the snapshot')
  }

  peers(): string[] {
    return []
  }

  online(): boolean {
    return this.live
  }

  headAtSubscribe(): number | null {
    return this.head
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.session++
    this.live = false
    this.buffered = []
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    for (const item of this.outbox.splice(0)) {
      item.state = 'done'
      item.reject(new LinkClosedError())
    }
    this.transport.unlink(this.access.topic.id, this)
    if (this.transport.connected)
      this.transport
        .request({ op: MailboxClientOp.unsubscribe, topic: this.topic })
        .catch((e: unknown) => this.transport.log.debug('unsubscribe not sent', errorFields(e)))
  }

  connectionOpened(): void {
    if (this.closed) return
    this.session++
    this.syncAttempts = 0
    void this.sync(this.session)
    this.pump()
  }

  connectionClosed(): void {
    if (this.closed) return
    this.session++
    this.buffered = []
    if (this.live) {
      this.live = false
      safely(() => this.handlers.status?.(false), this.transport.log)
    }
  }

  pushed(frame: MailboxPushFrame): void {
    if (this.closed) return
    if (!this.live) {
      this.buffered.push(frame)
      return
    }
    this.deliver(frame.entry, frame.cursor)
  }

  private tooLarge(n: number): MailboxRequestError {
    return new MailboxRequestError(
      MailboxErrorCode.tooLarge,
      `${n} bytes do not fit in a ${this.transport.maxFrameBytes}-byte relay frame`,
    )
  }

  private deliver(sealed: Uint8Array, cursor: number): void {
    if (this.closed || cursor <= this.delivered) return
    // Advance first: a handler that throws must not get the same frame again.
    this.delivered = cursor
    safely(() => this.handlers.frame(sealed, null, cursor), this.transport.log)
  }

  private async sync(session: number): Promise<void> {
    try {
      const ack = await this.transport.request({ op: MailboxClientOp.subscribe, topic: this.topic })
      if (session !== this.session) return
      if (ack.op !== MailboxRelayOp.ack) return this.retrySync(session, ack)
      const head = ack.cursor
      this.head = head
      let after = this.delivered
      while (after < head) {
        const page = await this.transport.request({
          op: MailboxClientOp.read,
          topic: this.topic,
          after,
          limit: this.transport.readLimit,
        })
        if (session !== this.session) return
        if (page.op !== MailboxRelayOp.entries) return this.retrySync(session, page)
        if (page.chunked !== null) {
          const read = await this.readChunks(session, page.chunked.cursor)
          if (read === 'stale') return
          // Replaced while it was read: read again from the same cursor (the newer snapshot).
          if (read === 'replaced') continue
          if (read !== 'done') return this.retrySync(session, read)
          after = page.chunked.cursor
          continue
        }
        if (page.snapshot !== null) this.deliver(page.snapshot.bytes, page.snapshot.cursor)
        for (const e of page.entries) this.deliver(e.entry, e.cursor)
        // No progress means nothing more exists below the head (cursors may have gaps).
        if (page.next <= after) break
        after = page.next
      }
      this.live = true
      const early = this.buffered.sort((a, b) => a.cursor - b.cursor)
      this.buffered = []
      for (const p of early) this.deliver(p.entry, p.cursor)
      if (!this.closed) safely(() => this.handlers.status?.(true), this.transport.log)
    } catch (e) {
      // ConnectionLost: the next connection starts a new session. Anything else is a bug here.
      this.transport.log.debug('catch-up stopped', { delivered: this.delivered, ...errorFields(e) })
      if (!(e instanceof ConnectionLost)) console.error('tailmesh: mailbox catch-up failed', e)
    }
  }

  /**
   * Hands on every chunk of the chunked snapshot up to `upTo`: all but the last without a cursor, the
   * last with `upTo` (only then does the reader's cursor move past it).
   */
  private async readChunks(session: number, upTo: number): Promise<'done' | 'replaced' | 'stale' | Answer> {
    let from = 0
    for (;;) {
      const page = await this.transport.request({
        op: MailboxClientOp.readSnapshot,
        topic: this.topic,
        upTo,
        from,
      })
      if (session !== this.session) return 'stale'
      if (page.op === MailboxRelayOp.error && page.code === MailboxErrorCode.badCursor) return 'replaced'
      if (page.op !== MailboxRelayOp.chunks) return page
      // A relay that names chunks it does not give: tried again later, not in a tight loop.
      if (page.chunks.length === 0) return page
      for (const chunk of page.chunks) {
        const last = from === page.count - 1
        if (last) this.deliver(chunk, upTo)
        else if (!this.closed) safely(() => this.handlers.frame(chunk, null), this.transport.log)
        from++
      }
      if (from >= page.count) return 'done'
    }
  }

  /** Subscribe or read was refused (rate limit, storage failure): try again on this connection later. */
  private retrySync(session: number, answer: Answer): void {
    const delay = backoffDelay(this.transport.backoff, this.syncAttempts++)
    this.later(delay, () => {
      if (session === this.session) void this.sync(session)
    })
    this.transport.log.debug('relay refused a read, retrying', {
      code: answer.op === MailboxRelayOp.error ? answer.code : null,
      delay: Math.round(delay),
    })
    if (answer.op === MailboxRelayOp.error && !RETRY_CODES.has(answer.code))
      console.warn(`tailmesh: mailbox refused a read (${answer.code}): ${answer.reason}`)
  }

  private later(ms: number, run: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t)
      run()
    }, ms)
    this.timers.add(t)
  }

  private enqueue(
    frame: OutboxItem['frame'],
    bytes: number,
    background: boolean,
    queued?: (item: OutboxItem) => void,
  ): Promise<MailboxAckFrame> {
    if (this.closed) return Promise.reject(new LinkClosedError())
    return new Promise<MailboxAckFrame>((resolve, reject) => {
      const item: OutboxItem = { frame, bytes, background, state: 'queued', attempts: 0, resolve, reject }
      this.outbox.push(item)
      queued?.(item)
      this.pump()
    })
  }

  /** Sends queued items in call order, at most MAX_IN_FLIGHT at a time, paced by the send rate. */
  private pump(): void {
    if (this.pumping) {
      this.pumpAgain = true
      return
    }
    this.pumping = true
    void this.pumpLoop()
  }

  // A wake-up while the loop runs (or is just finishing: its finally runs a microtask late) sets
  // pumpAgain, and the loop then runs once more, so a queued item is never left waiting.
  private async pumpLoop(): Promise<void> {
    try {
      await this.pumpOnce()
    } finally {
      this.pumping = false
      if (this.pumpAgain) {
        this.pumpAgain = false
        this.pump()
      }
    }
  }

  private async pumpOnce(): Promise<void> {
    for (;;) {
      if (this.closed || !this.transport.connected) return
      if (this.outbox.filter((i) => i.state === 'in-flight').length >= MAX_IN_FLIGHT) return
      const item =
        this.outbox.find((i) => i.state === 'queued' && !i.background) ??
        this.outbox.find((i) => i.state === 'queued')
      if (item === undefined) return
      const wait = this.transport.takeToken(item.bytes)
      if (wait > 0) return this.later(wait, () => this.pump())
      item.state = 'in-flight'
      let frame
      try {
        frame = await item.frame
      } catch (e) {
        this.transport.log.debug('could not sign an outgoing frame', errorFields(e))
        this.settle(item)
        item.reject(e instanceof Error ? e : new Error(String(e)))
        continue
      }
      if (item.state !== 'in-flight') continue
      this.transport.request(frame).then(
        (answer) => this.answered(item, answer),
        (e: unknown) => {
          // The connection dropped: send it again on the next one (a duplicate is acked as such).
          this.transport.log.debug('send interrupted, will resend', errorFields(e))
          if (item.state === 'in-flight') item.state = 'queued'
        },
      )
    }
  }

  private settle(item: OutboxItem): void {
    item.state = 'done'
    const at = this.outbox.indexOf(item)
    if (at >= 0) this.outbox.splice(at, 1)
  }

  private answered(item: OutboxItem, answer: Answer): void {
    if (item.state !== 'in-flight') return
    if (answer.op === MailboxRelayOp.ack) {
      this.settle(item)
      item.resolve(answer)
    } else if (answer.op === MailboxRelayOp.error && RETRY_CODES.has(answer.code)) {
      this.transport.log.debug('relay asked to retry a send', { code: answer.code, attempts: item.attempts })
      item.state = 'waiting'
      this.later(backoffDelay(this.transport.backoff, item.attempts++), () => {
        if (item.state === 'waiting') item.state = 'queued'
        this.pump()
      })
    } else {
      this.settle(item)
      item.reject(
        answer.op === MailboxRelayOp.error
          ? new MailboxRequestError(answer.code, answer.reason)
          : new MailboxRequestError(0, 'unexpected answer'),
      )
    }
    this.pump()
  }
}
