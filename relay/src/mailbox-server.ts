// The mailbox endpoint at /mailbox: binary frames (core/src/mailbox, relay/PROTOCOL.md) in, acks,
// entries, pushes and errors out. Each frame is answered on its own — appends are acknowledged once
// durable — so a client may pipeline requests and match answers by request id.
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import {
  MailboxClientOp,
  MailboxErrorCode,
  MailboxFrameError,
  MailboxRelayOp,
  MailboxAckFlag,
  decodeMailboxClientFrame,
  encodeMailboxRelayFrame,
  type MailboxClientFrame,
  type MailboxRelayFrame,
} from '@tailmesh/core'
import { toHex } from './bytes'
import { ConnectionBudget, type Limits, type NewTopicBudget } from './limits'
import type { Logger } from './logger'
import { MailboxError } from './mailbox-error'
import type { MailboxStore } from './mailbox-store'
import { asBuffer, clientIps, closeAll, keepAlive, send, waitForRoom } from './sockets'

interface Client {
  topics: Set<string>
  budget: ConnectionBudget
  /** Requests read but not yet answered. */
  inFlight: number
  /** The address the per-IP limits count. */
  ip: string
  /** Topics this connection registered, and the bytes it stored into them. */
  created: Set<string>
  /** Registrations in progress (counted against the cap before they finish). */
  creating: number
  createdBytes: number
  /** Reads run one at a time, each once the connection's unsent output leaves room for its answer. */
  reads: Promise<unknown>
}

/**
 * Requests one connection may have in progress before the relay stops reading its socket (TCP
 * backpressure). Without it, one client pipelining thousands of reads fills LevelDB's thread pool
 * and every other client's requests wait behind them.
 */
const MAX_IN_FLIGHT = 16

/** How many bytes of entries one read answer carries at most (one entry always goes, whatever its size). */
const READ_BUDGET_BYTES = 1024 * 1024

export class MailboxServer {
  readonly wss: WebSocketServer
  private readonly subscribers = new Map<string, Set<WebSocket>>()
  /** Per topic with local subscribers: the store's watch (settled once it hears every commit). */
  private readonly watching = new Map<string, Promise<void>>()
  private readonly stopKeepAlive: () => void
  private closing = false

  constructor(
    private readonly store: MailboxStore,
    private readonly limits: Limits,
    private readonly log: Logger,
    private readonly newTopics: NewTopicBudget,
  ) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: limits.maxFrameBytes,
      perMessageDeflate: false,
    })
    this.stopKeepAlive = keepAlive(this.wss, limits.pingIntervalMs)
    this.wss.on('connection', (ws: WebSocket) => this.accept(ws))
    store.onCommit = (topic, topicHex, cursor, entry) => this.push(topic, topicHex, cursor, entry)
  }

  get connections(): number {
    return this.wss.clients.size
  }

  get subscribedTopics(): number {
    return this.subscribers.size
  }

  private accept(ws: WebSocket): void {
    const client: Client = {
      topics: new Set(),
      budget: new ConnectionBudget(this.limits),
      inFlight: 0,
      ip: clientIps.get(ws) ?? '',
      created: new Set(),
      creating: 0,
      createdBytes: 0,
      reads: Promise.resolve(),
    }
    ws.on('error', (err) => this.log.debug({ err: err.message }, 'mailbox: socket error'))
    ws.on('close', () => {
      for (const topic of client.topics) this.unsubscribe(ws, topic)
      client.topics.clear()
    })
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (++client.inFlight >= MAX_IN_FLIGHT && !ws.isPaused) ws.pause()
      this.onMessage(ws, client, asBuffer(data), isBinary)
        .catch((err: unknown) => this.log.error({ err }, 'mailbox: handler failed'))
        .finally(() => {
          if (--client.inFlight <= MAX_IN_FLIGHT / 2 && ws.isPaused) ws.resume()
        })
    })
  }

  private reply(ws: WebSocket, frame: MailboxRelayFrame): void {
    send(ws, encodeMailboxRelayFrame(frame), this.limits.maxBufferedBytes)
  }

  private error(ws: WebSocket, id: number, code: MailboxErrorCode, reason: string): void {
    this.reply(ws, { op: MailboxRelayOp.error, id, code, reason })
  }

  private async onMessage(ws: WebSocket, client: Client, data: Buffer, isBinary: boolean): Promise<void> {
    if (!client.budget.charge(data.length)) {
      this.error(ws, 0, MailboxErrorCode.rateLimited, 'rate limit exceeded')
      ws.close(1008, 'rate limit exceeded')
      return
    }
    let frame: MailboxClientFrame
    try {
      if (!isBinary) throw new MailboxFrameError('the mailbox speaks binary frames only', 0)
      frame = decodeMailboxClientFrame(data)
    } catch (e) {
      const id = e instanceof MailboxFrameError ? e.id : 0
      this.error(ws, id, MailboxErrorCode.malformed, e instanceof Error ? e.message : 'malformed frame')
      if (client.budget.strike()) ws.close(1008, 'too many malformed frames')
      return
    }
    if (this.closing) {
      this.error(ws, frame.id, MailboxErrorCode.shuttingDown, 'relay shutting down')
      return
    }
    try {
      await this.handle(ws, client, frame)
    } catch (e) {
      if (e instanceof MailboxError) this.error(ws, frame.id, e.code, e.message)
      else {
        this.log.error({ err: e, op: frame.op }, 'mailbox: request failed')
        this.error(ws, frame.id, MailboxErrorCode.internal, 'internal error')
      }
    }
  }

  private async handle(ws: WebSocket, client: Client, frame: MailboxClientFrame): Promise<void> {
    switch (frame.op) {
      case MailboxClientOp.append: {
        const r = await this.append(client, frame)
        const flags = r.duplicate ? MailboxAckFlag.duplicate : 0
        this.reply(ws, { op: MailboxRelayOp.ack, id: frame.id, cursor: r.cursor, flags })
        return
      }
      case MailboxClientOp.read:
        return this.inTurn(ws, client, async (budget) => ({
          op: MailboxRelayOp.entries,
          id: frame.id,
          topic: frame.topic,
          ...(await this.store.read(frame.topic, frame.after, frame.limit, budget)),
        }))
      case MailboxClientOp.readSnapshot:
        return this.inTurn(ws, client, async (budget) => ({
          op: MailboxRelayOp.chunks,
          id: frame.id,
          topic: frame.topic,
          cursor: frame.upTo,
          from: frame.from,
          ...(await this.store.readSnapshot(frame.topic, frame.upTo, frame.from, budget)),
        }))
      case MailboxClientOp.subscribe: {
        const topicHex = toHex(frame.topic)
        if (!client.topics.has(topicHex)) {
          if (client.topics.size >= this.limits.maxSubscriptions)
            throw new MailboxError(MailboxErrorCode.rateLimited, 'too many subscriptions on this connection')
          client.topics.add(topicHex)
          let subs = this.subscribers.get(topicHex)
          if (subs === undefined) {
            this.subscribers.set(topicHex, (subs = new Set()))
            this.watching.set(topicHex, this.store.watch(topicHex))
          }
          subs.add(ws)
        }
        // The store watches first (with a shared store: this process hears appends made through any
        // other), so every entry after the head read below is pushed.
        try {
          await this.watching.get(topicHex)
        } catch (e) {
          if (client.topics.delete(topicHex)) this.unsubscribe(ws, topicHex)
          throw e
        }
        const cursor = await this.store.head(topicHex)
        this.reply(ws, { op: MailboxRelayOp.ack, id: frame.id, cursor, flags: 0 })
        return
      }
      case MailboxClientOp.unsubscribe: {
        const topicHex = toHex(frame.topic)
        if (client.topics.delete(topicHex)) this.unsubscribe(ws, topicHex)
        this.reply(ws, { op: MailboxRelayOp.ack, id: frame.id, cursor: 0, flags: 0 })
        return
      }
      case MailboxClientOp.snapshot: {
        await this.store.snapshot(frame.topic, frame.upTo, frame.snapshot, frame.signature)
        this.reply(ws, { op: MailboxRelayOp.ack, id: frame.id, cursor: frame.upTo, flags: 0 })
        return
      }
      case MailboxClientOp.snapshotChunk: {
        const r = await this.store.snapshotChunk(frame, frame.signature)
        const flags = r.committed ? MailboxAckFlag.committed : 0
        this.reply(ws, { op: MailboxRelayOp.ack, id: frame.id, cursor: frame.upTo, flags })
        return
      }
    }
  }

  /**
   * Runs a read once the previous one on this connection is answered and the connection's unsent
   * output leaves room for this answer, so a client that does not read its socket holds at most
   * maxBufferedBytes (plus one answer being built).
   */
  private async inTurn(
    ws: WebSocket,
    client: Client,
    answer: (budget: number) => Promise<MailboxRelayFrame>,
  ): Promise<void> {
    const budget = Math.min(READ_BUDGET_BYTES, Math.max(1, Math.floor(this.limits.maxBufferedBytes / 2)))
    const run = client.reads.then(async () => {
      if (!(await waitForRoom(ws, budget, this.limits.maxBufferedBytes))) return
      this.reply(ws, await answer(budget))
    })
    client.reads = run.catch(() => {})
    await run
  }

  /** An append, within the caps on topics a connection (and its address) registers and fills. */
  private async append(
    client: Client,
    frame: Extract<MailboxClientFrame, { op: typeof MailboxClientOp.append }>,
  ): Promise<{ cursor: number; duplicate: boolean }> {
    const { limits } = this
    const topicHex = toHex(frame.topic)
    const perIp = this.newTopics.of(client.ip)
    const creating = frame.publicKey !== null && (await this.store.publicKeyOf(topicHex)) === null
    const mayCreate =
      !creating ||
      (client.created.size + client.creating < limits.newTopicsPerConnection &&
        perIp.topics < limits.newTopicsPerIpHour)
    const ownConnection = creating || client.created.has(topicHex)
    const ownIp = creating || perIp.created.has(topicHex)
    const size = frame.entry.length
    if (ownConnection && client.createdBytes + size > limits.newTopicBytesPerConnection)
      throw new MailboxError(
        MailboxErrorCode.quotaExceeded,
        'this connection stored its share of new-topic bytes',
      )
    if (ownIp && perIp.bytes + size > limits.newTopicBytesPerIpHour)
      throw new MailboxError(
        MailboxErrorCode.quotaExceeded,
        'this address stored its share of new-topic bytes',
      )
    const reserve = creating && mayCreate
    if (reserve) {
      // Reserved now, so pipelined appends cannot overshoot the caps.
      perIp.topics++
      client.creating++
    }
    let r
    try {
      r = await this.store.append(frame.topic, frame.publicKey, frame.entry, frame.signature, mayCreate)
    } finally {
      if (reserve) {
        client.creating--
        if (!(r?.created ?? false)) perIp.topics--
      }
    }
    if (r.created) {
      client.created.add(topicHex)
      perIp.created.add(topicHex)
    }
    if (r.created || ownConnection) client.createdBytes += r.bytes
    if (r.created || ownIp) perIp.bytes += r.bytes
    return r
  }

  private unsubscribe(ws: WebSocket, topicHex: string): void {
    const subs = this.subscribers.get(topicHex)
    if (subs === undefined) return
    subs.delete(ws)
    if (subs.size > 0) return
    this.subscribers.delete(topicHex)
    this.watching.get(topicHex)?.catch(() => {})
    this.watching.delete(topicHex)
    this.store.unwatch(topicHex)
  }

  private push(topic: Uint8Array, topicHex: string, cursor: number, entry: Uint8Array): void {
    const subs = this.subscribers.get(topicHex)
    if (subs === undefined) return
    // Encoded once; every subscriber gets the same bytes.
    const frame = encodeMailboxRelayFrame({ op: MailboxRelayOp.push, topic, cursor, entry })
    for (const ws of subs) send(ws, frame, this.limits.maxBufferedBytes)
  }

  /** Refuses new requests, lets in-flight ones finish (appends are acked), then closes every socket. */
  async close(): Promise<void> {
    this.closing = true
    this.stopKeepAlive()
    await this.store.flush()
    // The acks of the last batch are sent from promise continuations: let them run first.
    await new Promise((resolve) => setImmediate(resolve))
    await closeAll(this.wss, 1001, 'relay shutting down')
    for (const topicHex of this.subscribers.keys()) this.store.unwatch(topicHex)
    this.subscribers.clear()
    this.watching.clear()
  }
}
