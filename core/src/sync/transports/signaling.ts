// WebRTC signaling through the relay's /signal (y-webrtc's protocol: subscribe, unsubscribe, publish to
// a topic; every subscriber, the sender included, gets each publish). A SignalingRoom is one topic's
// encrypted channel over it: the topic name and the AES key both derive from the link's member-only
// secret, so the relay sees an unlinkable topic and ciphertext, and a stranger can neither read an
// offer nor make a member connect to it. Payloads are ordered per room (WebCrypto may finish
// operations out of order; an offer must precede its candidates) and deduplicated (with several
// signaling servers each message arrives once per server).
import { fromBase64Url, fromUtf8, toBase64Url, toHex, randomBytes, utf8 } from '../../bytes'
import { aesGcmDecrypt, aesGcmEncrypt, importAesGcmKey } from '../../crypto/aead'
import { hkdf } from '../../crypto/hash'
import type { CryptoKey } from '../../crypto/webcrypto'
import { errorFields, noLogger, type ComponentLogger, type Logger } from '../../log/logger'
import type { TopicAccess } from '../transport'
import { ReconnectingSocket, type Backoff, type WebSocketConstructor } from './socket'

export interface SignalingOptions {
  urls: string[]
  WebSocket: WebSocketConstructor
  backoff?: Backoff
  /** Says at debug what failed quietly, as `transport:signaling`; default none. */
  logger?: ComponentLogger
}

/** A decrypted signaling message between members (y-webrtc's shapes: announce, signal). */
export type SignalMessage = Record<string, unknown> & { type: string; from: string; to?: string }

/** Sockets to every signaling URL, shared by all rooms of one transport. */
export class SignalingClient {
  private readonly sockets: ReconnectingSocket[]
  private readonly rooms = new Map<string, SignalingRoom>()
  readonly log: Logger

  constructor(options: SignalingOptions) {
    const log = (options.logger ?? noLogger).forComponent('transport:signaling')
    this.log = log
    this.sockets = options.urls.map((url) => {
      const socket: ReconnectingSocket = new ReconnectingSocket({
        url,
        WebSocket: options.WebSocket,
        ...(options.backoff ? { backoff: options.backoff } : {}),
        open: () => this.opened(socket),
        message: (data) => this.receive(data),
        closed: () => this.statusChanged(),
        log,
      })
      return socket
    })
  }

  get online(): boolean {
    return this.sockets.some((s) => s.connected)
  }

  room(
    access: TopicAccess,
    deliver: (m: SignalMessage) => void,
    changed: (online: boolean) => void,
  ): Promise<SignalingRoom> {
    return this.roomFor(access.topic.id, access.secret, deliver, changed)
  }

  /** A room named by any shared secret (device pairing uses a one-time code's). */
  async roomFor(
    name: string,
    secret: Uint8Array,
    deliver: (m: SignalMessage) => void,
    changed: (online: boolean) => void,
  ): Promise<SignalingRoom> {
    const salt = utf8(name)
    const topic = 'tailmesh/' + toHex(await hkdf(secret, salt, 'tailmesh/signaling-topic/v1', 16))
    const raw = await hkdf(secret, salt, 'tailmesh/signaling-key/v1', 32)
    const key = await importAesGcmKey(raw)
    raw.fill(0)
    const room = new SignalingRoom(this, topic, key, deliver, changed)
    this.rooms.set(topic, room)
    return room
  }

  /** Subscribes the room on every connected socket (the others subscribe it when they connect). */
  join(room: SignalingRoom): void {
    for (const s of this.sockets) s.send(JSON.stringify({ type: 'subscribe', topics: [room.topic] }))
  }

  leave(room: SignalingRoom): void {
    if (this.rooms.get(room.topic) !== room) return
    this.rooms.delete(room.topic)
    for (const s of this.sockets) s.send(JSON.stringify({ type: 'unsubscribe', topics: [room.topic] }))
  }

  publish(topic: string, data: string): void {
    const text = JSON.stringify({ type: 'publish', topic, data })
    for (const s of this.sockets) s.send(text)
  }

  close(): void {
    this.rooms.clear()
    for (const s of this.sockets) s.close()
  }

  private opened(socket: ReconnectingSocket): void {
    const topics = [...this.rooms.values()].filter((r) => r.joined).map((r) => r.topic)
    if (topics.length > 0) socket.send(JSON.stringify({ type: 'subscribe', topics }))
    this.statusChanged()
  }

  private statusChanged(): void {
    for (const r of this.rooms.values()) r.statusChanged()
  }

  private receive(data: Uint8Array | string): void {
    let m: unknown
    try {
      m = JSON.parse(typeof data === 'string' ? data : fromUtf8(data))
    } catch (e) {
      this.log.debug('undecodable message from the signaling server', errorFields(e))
      return
    }
    if (typeof m !== 'object' || m === null) return
    const { type, topic, data: payload } = m as Record<string, unknown>
    if (type !== 'publish' || typeof topic !== 'string' || typeof payload !== 'string') return
    this.rooms.get(topic)?.received(payload)
  }
}

const SEEN_LIMIT = 512

export class SignalingRoom {
  joined = false
  private sendChain: Promise<void> = Promise.resolve()
  private receiveChain: Promise<void> = Promise.resolve()
  private readonly seen = new Set<string>()
  private wasOnline = false

  constructor(
    private readonly client: SignalingClient,
    readonly topic: string,
    private readonly key: CryptoKey,
    private readonly deliver: (m: SignalMessage) => void,
    private readonly changed: (online: boolean) => void,
  ) {}

  get online(): boolean {
    return this.joined && this.client.online
  }

  join(): void {
    this.joined = true
    this.client.join(this)
    this.statusChanged()
  }

  leave(): void {
    this.joined = false
    this.wasOnline = false
    this.client.leave(this)
  }

  publish(message: SignalMessage): void {
    const plain = utf8(JSON.stringify({ ...message, mid: toBase64Url(randomBytes(9)) }))
    this.sendChain = this.sendChain
      .then(async () => {
        const sealed = await aesGcmEncrypt(this.key, plain)
        if (this.joined) this.client.publish(this.topic, toBase64Url(sealed))
      })
      .catch((e: unknown) => this.client.log.debug('could not seal a signaling message', errorFields(e)))
  }

  received(payload: string): void {
    this.receiveChain = this.receiveChain
      .then(async () => {
        const m = JSON.parse(fromUtf8(await aesGcmDecrypt(this.key, fromBase64Url(payload)))) as unknown
        if (!this.joined || typeof m !== 'object' || m === null) return
        const { type, from, to, mid } = m as Record<string, unknown>
        if (typeof type !== 'string' || typeof from !== 'string' || typeof mid !== 'string') return
        if (to !== undefined && typeof to !== 'string') return
        if (this.seen.has(mid)) return
        this.seen.add(mid)
        if (this.seen.size > SEEN_LIMIT) this.seen.delete(this.seen.values().next().value!)
        this.deliver(m as SignalMessage)
      })
      // Not for us (no key), malformed, or a handler failure: signaling is best effort by design.
      .catch((e: unknown) => this.client.log.debug('signaling message dropped', errorFields(e)))
  }

  /** Sockets connected or dropped: tells the link, which announces itself when back online. */
  statusChanged(): void {
    const now = this.online
    if (now === this.wasOnline) return
    this.wasOnline = now
    this.changed(now)
  }
}
