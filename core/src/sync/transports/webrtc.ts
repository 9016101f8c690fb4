// A WebRTC mesh per topic: members find each other through the relay's /signal (y-webrtc's announce /
// signal messages, encrypted, see signaling.ts) and then talk over data channels that carry only our
// sealed frames, never Yjs sync, so everything still passes the gate. Peers are plain
// RTCPeerConnections with one data channel each (data-peer.ts), signalling in simple-peer's shapes;
// y-webrtc's WebrtcProvider itself is not used because its rooms sync a Y.Doc and parse every
// data-channel message as Yjs sync.
//
// Who dials is decided by peer id (the smaller one), not by racing offers, which removes y-webrtc's
// glare deadlock; a peer that hears an announce from a smaller id answers with a directed announce so
// that the smaller one dials. Each connection attempt has a token (y-webrtc's glare token) that also
// names the attempt: an offer with a new token replaces a stale connection from the same peer.
import { fromBase64Url, randomBytes, toBase64Url } from '../../bytes'
import { errorFields, noLogger, type ComponentLogger, type Logger } from '../../log/logger'
import type { Link, LinkHandlers, TopicAccess, Transport } from '../transport'
import { Reassembler, splitFrame, DEFAULT_CHUNK_BYTES } from './chunks'
import { DataPeer, type IceServer, type WebrtcImplementation } from './data-peer'
import { LinkClosedError } from './errors'
import { SignalingClient, type SignalMessage, type SignalingRoom } from './signaling'
import { webSocketConstructor, type Backoff, type WebSocketConstructor } from './socket'
import { safely } from './safely'

export interface WebrtcTransportOptions {
  /** Signaling endpoints, `ws(s)://relay/signal`. */
  signaling: string[]
  /**
   * ICE servers (STUN / TURN). Default none: only host candidates, which is what tests need (nothing
   * may leave the machine); an app reaching peers across NATs passes its STUN / TURN servers.
   */
  iceServers?: IceServer[]
  /** Node has no RTCPeerConnection: pass @roamhq/wrtc. */
  wrtc?: WebrtcImplementation
  /** Most connections per topic (y-webrtc's default: 20 to 34, random so meshes do not all cap alike). */
  maxConns?: number
  /** Random wait before a link first announces itself (y-webrtc start deadlock, STACK.md). */
  startJitterMs?: number
  /** A connection not up after this long is dropped and the peer announced to again. */
  connectTimeoutMs?: number
  /** Largest frame accepted from a peer. */
  maxFrameBytes?: number
  WebSocket?: WebSocketConstructor
  /** Transport.id (default 'webrtc'). */
  id?: string
  backoff?: Backoff
  /** Says at debug what failed quietly (`transport:webrtc`, `transport:signaling`); default none. */
  logger?: ComponentLogger
}

/** Ephemeral frames through the signaling room are small (presence): a bound on what one may be. */
const MAX_ROOM_FRAME_CHARS = 16 * 1024

export class WebrtcTransport implements Transport {
  readonly id: string
  readonly kind = 'webrtc'
  readonly durable = false
  readonly sameUser = false
  private signaling: SignalingClient | null = null
  private readonly links = new Set<WebrtcLink>()
  private closed = false
  readonly log: Logger
  readonly options: Required<
    Pick<WebrtcTransportOptions, 'maxConns' | 'startJitterMs' | 'connectTimeoutMs'>
  > &
    WebrtcTransportOptions

  constructor(options: WebrtcTransportOptions) {
    this.id = options.id ?? 'webrtc'
    this.options = {
      maxConns: 20 + Math.floor(Math.random() * 15),
      startJitterMs: 300,
      connectTimeoutMs: 15_000,
      ...options,
    }
    webSocketConstructor(options.WebSocket)
    this.log = (options.logger ?? noLogger).forComponent('transport:webrtc')
  }

  async open(access: TopicAccess, handlers: LinkHandlers): Promise<Link> {
    if (this.closed) throw new LinkClosedError()
    this.signaling ??= new SignalingClient({
      urls: this.options.signaling,
      WebSocket: webSocketConstructor(this.options.WebSocket),
      ...(this.options.backoff ? { backoff: this.options.backoff } : {}),
      ...(this.options.logger ? { logger: this.options.logger } : {}),
    })
    const link = new WebrtcLink(this, handlers, () => this.links.delete(link))
    this.links.add(link)
    await link.start(this.signaling, access)
    return link
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await Promise.all([...this.links].map((l) => l.close()))
    this.signaling?.close()
    this.signaling = null
  }
}

/** One data-channel connection to one remote peer. */
class PeerConnection {
  readonly peer: DataPeer
  /** Names this attempt in our signals (y-webrtc's glare token). */
  readonly token = Date.now() + Math.random()
  /** The remote side's token, learnt from its first signal. */
  remoteToken: number | undefined
  connected = false
  private readonly reassembler: Reassembler
  private timer: ReturnType<typeof setTimeout> | null

  constructor(
    private readonly link: WebrtcLink,
    readonly remote: string,
    readonly initiator: boolean,
  ) {
    const { iceServers, wrtc, maxFrameBytes, connectTimeoutMs } = link.transport.options
    this.reassembler = new Reassembler(maxFrameBytes ?? 1024 * 1024)
    this.timer = setTimeout(() => this.destroy(), connectTimeoutMs)
    this.peer = new DataPeer({
      initiator,
      iceServers: iceServers ?? [],
      ...(wrtc !== undefined ? { webrtc: wrtc } : {}),
      onSignal: (signal) =>
        link.signal({ type: 'signal', from: link.id, to: remote, token: this.token, signal }),
      onOpen: () => {
        this.clearTimer()
        this.connected = true
        link.peerConnected(this)
      },
      onData: (data) => {
        let frame: Uint8Array | null
        try {
          frame = this.reassembler.push(data)
        } catch (e) {
          // Only a broken or hostile peer sends bad chunks: drop it.
          link.log.debug('bad chunk from a peer, dropping it', { peer: remote, ...errorFields(e) })
          this.destroy()
          return
        }
        if (frame !== null) link.frameFrom(this, frame)
      },
      onClose: (error) => {
        if (error !== undefined)
          link.log.debug('peer connection failed', { peer: remote, ...errorFields(error) })
        this.clearTimer()
        link.peerClosed(this)
      },
    })
  }

  /** Once the channel is open; broadcasts to a peer still connecting are left to the greeting that follows. */
  send(frame: Uint8Array): void {
    if (!this.peer.open) return
    for (const chunk of splitFrame(frame, DEFAULT_CHUNK_BYTES)) this.peer.send(chunk)
  }

  destroy(): void {
    this.clearTimer()
    this.peer.destroy()
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
  }
}

class WebrtcLink implements Link {
  readonly id = toBase64Url(randomBytes(12))
  private room: SignalingRoom | null = null
  private readonly conns = new Map<string, PeerConnection>()
  private closed = false
  private started = false
  private jitter: ReturnType<typeof setTimeout> | null = null
  private reported: boolean | null = null
  readonly log: Logger

  constructor(
    readonly transport: WebrtcTransport,
    private readonly handlers: LinkHandlers,
    private readonly closing: () => void,
  ) {
    this.log = transport.log
  }

  async start(signaling: SignalingClient, access: TopicAccess): Promise<void> {
    this.room = await signaling.room(
      access,
      (m) => this.signalReceived(m),
      (online) => this.onlineChanged(online),
    )
    if (this.closed) return this.room.leave()
    this.jitter = setTimeout(() => {
      this.jitter = null
      this.started = true
      this.room?.join()
    }, Math.random() * this.transport.options.startJitterMs)
  }

  async broadcast(sealed: Uint8Array): Promise<void> {
    if (this.closed) throw new LinkClosedError()
    for (const c of this.conns.values()) c.send(sealed)
  }

  sendTo(peer: string, sealed: Uint8Array): void {
    if (!this.closed) this.conns.get(peer)?.send(sealed)
  }

  /**
   * Over the data channels, and through the signaling room too: the relay's /signal fans a publish
   * out to the room's live subscribers and stores nothing, so members not (yet) connected directly
   * hear it as well. Receivers see such a frame twice; what rides here (presence) is idempotent.
   */
  ephemeral(sealed: Uint8Array): void {
    if (this.closed) return
    for (const c of this.conns.values()) c.send(sealed)
    if (this.started) this.signal({ type: 'frame', from: this.id, data: toBase64Url(sealed) })
  }

  peers(): string[] {
    return [...this.conns.values()].filter((c) => c.connected).map((c) => c.remote)
  }

  online(): boolean {
    return !this.closed && this.started && (this.room?.online ?? false)
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    if (this.jitter !== null) clearTimeout(this.jitter)
    this.room?.leave()
    for (const c of [...this.conns.values()]) c.destroy()
    this.conns.clear()
    this.closing()
  }

  signal(message: SignalMessage): void {
    if (!this.closed) this.room?.publish(message)
  }

  peerConnected(conn: PeerConnection): void {
    if (this.closed || this.conns.get(conn.remote) !== conn) return
    safely(() => this.handlers.peerJoined?.(conn.remote), this.log)
  }

  peerClosed(conn: PeerConnection): void {
    if (this.closed || this.conns.get(conn.remote) !== conn) return
    this.conns.delete(conn.remote)
    if (!conn.connected) this.log.debug('peer connection closed before it opened', { peer: conn.remote })
    if (conn.connected) safely(() => this.handlers.peerLeft?.(conn.remote), this.log)
    // The peer may still be there (a dropped connection, a timed-out attempt): let it find us again.
    this.announce()
  }

  frameFrom(conn: PeerConnection, frame: Uint8Array): void {
    if (this.closed || this.conns.get(conn.remote) !== conn) return
    safely(() => this.handlers.frame(frame, conn.remote), this.log)
  }

  private onlineChanged(online: boolean): void {
    if (this.closed) return
    if (online) this.announce()
    if (this.reported !== online) {
      this.reported = online
      safely(() => this.handlers.status?.(online), this.log)
    }
  }

  private announce(): void {
    if (this.started && this.conns.size < this.transport.options.maxConns)
      this.signal({ type: 'announce', from: this.id })
  }

  private connect(remote: string, initiator: boolean): PeerConnection {
    const conn = new PeerConnection(this, remote, initiator)
    this.conns.set(remote, conn)
    return conn
  }

  private signalReceived(m: SignalMessage): void {
    if (this.closed || !this.started || m.from === this.id) return
    if (m.to !== undefined && m.to !== this.id) return
    const existing = this.conns.get(m.from)
    if (m.type === 'announce') {
      if (existing !== undefined || this.conns.size >= this.transport.options.maxConns) return
      if (this.id < m.from) this.connect(m.from, true)
      else this.signal({ type: 'announce', from: this.id, to: m.from })
      return
    }
    if (m.type === 'frame') {
      // An ephemeral frame through the room (see `ephemeral`): no peer to answer directly.
      if (typeof m.data !== 'string' || m.data.length > MAX_ROOM_FRAME_CHARS) return
      let frame: Uint8Array
      try {
        frame = fromBase64Url(m.data)
      } catch (e) {
        this.log.debug('undecodable frame through the signaling room', { from: m.from, ...errorFields(e) })
        return
      }
      safely(() => this.handlers.frame(frame, null), this.log)
      return
    }
    if (m.type !== 'signal' || typeof m.token !== 'number' || typeof m.signal !== 'object') return
    const kind = (m.signal as { type?: unknown } | null)?.type
    let conn = existing
    if (kind === 'offer') {
      if (conn !== undefined && conn.initiator && conn.remoteToken === undefined && conn.token > m.token)
        return // both dialled (only with equal-looking ids): y-webrtc's rule, the later offer wins
      if (conn !== undefined && conn.remoteToken !== m.token) {
        // A new attempt from that peer: the old connection is stale.
        this.conns.delete(m.from)
        conn.destroy()
        conn = undefined
      }
      if (conn === undefined) {
        if (this.conns.size >= this.transport.options.maxConns) return
        conn = this.connect(m.from, false)
      }
    }
    if (conn === undefined) return
    if (conn.remoteToken === undefined) conn.remoteToken = m.token
    else if (conn.remoteToken !== m.token) return // a late signal of an older attempt
    try {
      conn.peer.signal(m.signal)
    } catch (e) {
      this.log.debug('peer signal refused, dropping the connection', { peer: m.from, ...errorFields(e) })
      conn.destroy()
    }
  }
}
