// Gossipsub as a Transport, for groups too large for a WebRTC full mesh. Each group is one gossipsub
// topic named by its mailbox topic id; the relay is the bootstrap (WebSockets), a gossipsub peer and a
// circuit relay v2 through which members reach each other (browsers then upgrade to WebRTC).
//
// - broadcast = publish of `topic signature ‖ sealed` (libp2p-wire.ts). Every peer's topic validator
//   rejects a message whose signature does not verify under the topic key, then asks the optional
//   `validate` hook (the replica's gate): a refused frame is neither delivered nor forwarded.
// - A frame waits (in order) until a member peer is linked, or, after `meshWaitMs` online without one,
//   goes to the relay alone (which forwards it, and stores it if its mailbox carries the topic). It is
//   never dropped silently: while nobody at all is subscribed it stays queued.
// - peers() are the members this node is connected to (directly, or relayed through the relay) that
//   gossipsub reports as subscribed to the topic; relays are not members. New ones are found by asking
//   the relays who is on the topic (`/tailmesh/peers/1.0.0`) and dialling them through the relay, until
//   `minPeers` are linked; at most `maxPeers` are dialled from here.
// - sendTo = a direct stream (`/tailmesh/frame/1.0.0`) to that peer, over the connection gossipsub
//   uses; the replica's summaries and answers go this way, not to the whole topic.
//
// The parts, each in its own file: the topic link and its publish queue (libp2p-link.ts,
// libp2p-publish-queue.ts), the relays kept dialled (libp2p-relays.ts), the cap on peers
// (libp2p-peer-budget.ts), moving members off the relay (libp2p-upgrade.ts). This class owns the node
// and hands each part what it needs of it.
//
// This module imports no libp2p code at load time: libp2p-node.ts is loaded inside the first open().
import { toHex, utf8 } from '../../bytes'
import { ValidationError } from '../../errors'
import { errorFields, noLogger, type ComponentLogger, type Logger } from '../../log/logger'
import type { Link, TopicAccess, Transport } from '../transport'
import { LinkClosedError } from './errors'
import { Libp2pLink, type FrameValidator, type Libp2pLinkHandlers, type LinkHost } from './libp2p-link'
import type * as Libp2pNodeModule from './libp2p-node'
import type { ClientNode } from './libp2p-node'
import { PeerBudget } from './libp2p-peer-budget'
import { RelayDialer, throughRelay, type Relay } from './libp2p-relays'
import { WebRtcUpgrade } from './libp2p-upgrade'
import {
  LIBP2P_FRAME_PROTOCOL,
  LIBP2P_MAX_FRAME_BYTES,
  LIBP2P_PEERS_PROTOCOL,
  LengthPrefixedReader,
  chunkBytes,
  decodePublished,
  ensurePromiseWithResolvers,
  lengthPrefixed,
  topicIdBytes,
} from './libp2p-wire'
import { DEFAULT_BACKOFF, withErrorHandler, type Backoff, type WebSocketConstructor } from './socket'

export * from './libp2p-wire'
export type { FrameValidator, FrameVerdict, Libp2pLinkHandlers } from './libp2p-link'

export interface Libp2pTransportOptions {
  /** The relays' multiaddrs, each ending in `/p2p/<peer id>` (the relay's /healthz lists them). */
  relays: string[]
  /** Node 20 has no global WebSocket, which libp2p's dialer uses: pass `ws`'s (it is installed globally). */
  WebSocket?: WebSocketConstructor
  /** WebRTC between browsers (upgrading relayed connections). Default: when RTCPeerConnection exists. */
  webrtc?: boolean
  /** ICE servers for WebRTC. Default none (host candidates only); nothing public is contacted. */
  iceServers?: unknown[]
  /** Judges every frame of every topic before it is delivered or forwarded (per link: handlers.validate). */
  validate?: FrameValidator
  /**
   * Addresses to listen on besides the relays' circuits (Node only; browsers cannot listen): a bot
   * reachable at its own WebSocket address, e.g. `/ip4/0.0.0.0/tcp/4001/ws`. Default none.
   */
  listen?: string[]
  /**
   * Member peers to dial directly at their own addresses (each ending in `/p2p/<peer id>`), e.g. a bot
   * that listens (see `listen`); redialled like the relays. Unlike relays they are members: peers().
   */
  peers?: string[]
  /** Most peers connected, dialled or accepted (relays not counted). Default 11: with one relay, 12 connections. */
  maxPeers?: number
  /** Below this many linked peers, keep asking the relays for more. Default 4. */
  minPeers?: number
  /** How long a frame waits for a member peer before it goes to the relay alone. Default 2,000 ms. */
  meshWaitMs?: number
  /** Largest sealed frame. Default 1 MiB. */
  maxFrameBytes?: number
  /** Redial delays for the relay. */
  backoff?: Backoff
  /**
   * Where failures that are not the caller's to handle (a dial, a peers request, a stream) are told,
   * at debug (scopes `transport:libp2p…`). Default: nowhere.
   */
  logger?: ComponentLogger
}

type Lib = typeof Libp2pNodeModule
type Stream = Awaited<ReturnType<ClientNode['dialProtocol']>>
type Connection = ReturnType<ClientNode['getConnections']>[number]

export class Libp2pTransport implements Transport, LinkHost {
  readonly id = 'libp2p'
  readonly kind = 'libp2p'
  readonly durable = false
  readonly sameUser = false
  private readonly links = new Map<string, Libp2pLink>()
  private readonly dialer: RelayDialer
  private readonly budget: PeerBudget
  private upgrade: WebRtcUpgrade | null = null
  private starting: Promise<{ node: ClientNode; lib: Lib }> | null = null
  private started: { node: ClientNode; lib: Lib } | null = null
  private closed = false
  private readonly outgoing = new Map<string, Promise<Stream>>()
  readonly maxFrameBytes: number
  readonly backoff: Backoff
  /** Most peers (not relays) this node connects to, dialled or accepted, over all topics. */
  readonly maxPeers: number
  private readonly logger: ComponentLogger
  private readonly log: Logger

  constructor(readonly options: Libp2pTransportOptions) {
    this.logger = options.logger ?? noLogger
    this.log = this.logger.forComponent('transport:libp2p')
    this.maxFrameBytes = options.maxFrameBytes ?? LIBP2P_MAX_FRAME_BYTES
    this.backoff = options.backoff ?? DEFAULT_BACKOFF
    this.maxPeers = options.maxPeers ?? 11
    this.dialer = new RelayDialer(
      options.relays,
      options.peers ?? [],
      this.backoff,
      {
        started: () => this.started,
        closed: () => this.closed,
        connectedTo: (peer) => this.started !== null && this.connectedTo(this.started.node, peer),
      },
      this.logger.forComponent('transport:libp2p:relays'),
    )
    this.budget = new PeerBudget(this.maxPeers, {
      openPeers: () =>
        this.started?.node
          .getConnections()
          .filter((c) => c.status === 'open')
          .map((c) => c.remotePeer.toString()) ?? [],
      isRelay: (peer) => this.isRelay(peer),
    })
  }

  /** Open connections to peers that are not relays (one per peer). */
  memberConnections(): number {
    return this.budget.memberConnections()
  }

  /** Open or pending links to peers that are not relays: what maxPeers caps. */
  peerSlotsUsed(): number {
    return this.budget.slotsUsed()
  }

  get minPeers(): number {
    return this.options.minPeers ?? 4
  }

  get meshWaitMs(): number {
    return this.options.meshWaitMs ?? 2000
  }

  get validate(): FrameValidator | undefined {
    return this.options.validate
  }

  /** This node's peer id, once started. */
  get peerId(): string | null {
    return this.started?.node.peerId.toString() ?? null
  }

  /** The peers (relays included) this node has an open connection to. */
  connectedPeers(): string[] {
    const node = this.started?.node
    if (node === undefined) return []
    const open = node.getConnections().filter((c) => c.status === 'open')
    return [...new Set(open.map((c) => c.remotePeer.toString()))]
  }

  /**
   * The open connections (relays included), for status displays and tests: the remote address says
   * the path (`/p2p-circuit` relayed, `/webrtc` a direct data channel), `limited` a relayed connection
   * with the relay's data or time limit.
   */
  connections(): { peer: string; address: string; limited: boolean }[] {
    const node = this.started?.node
    if (node === undefined) return []
    return node
      .getConnections()
      .filter((c) => c.status === 'open')
      .map((c) => ({
        peer: c.remotePeer.toString(),
        address: c.remoteAddr.toString(),
        limited: c.limits !== undefined,
      }))
  }

  /** The addresses this node can be dialled at, once started (its own listeners and relay circuits). */
  multiaddrs(): string[] {
    return this.started?.node.getMultiaddrs().map((a) => a.toString()) ?? []
  }

  async open(access: TopicAccess, handlers: Libp2pLinkHandlers): Promise<Link> {
    if (this.closed) throw new LinkClosedError()
    const id = access.topic.id
    topicIdBytes(id)
    if (this.links.has(id)) throw new ValidationError('This transport already has a link for that topic.')
    const link = new Libp2pLink(
      this,
      access,
      handlers,
      this.logger.forComponent('transport:libp2p:link'),
      this.logger.forComponent('transport:libp2p:publish'),
    )
    this.links.set(id, link)
    try {
      const { node, lib } = await (this.starting ??= this.start())
      if (this.closed) throw new LinkClosedError()
      link.start(node, lib)
    } catch (e) {
      this.links.delete(id)
      throw e
    }
    return link
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await Promise.all([...this.links.values()].map((l) => l.close()))
    this.dialer.stop()
    this.upgrade?.stop()
    // A start that failed was already reported to the open() that began it.
    const started = await this.starting?.catch((err: unknown) => {
      this.log.debug('closing a node that never started', errorFields(err))
      return null
    })
    this.outgoing.clear()
    await started?.node.stop()
  }

  // --- used by links ---------------------------------------------------------------------------

  unlink(id: string, link: Libp2pLink): void {
    if (this.links.get(id) === link) this.links.delete(id)
  }

  isRelay(peer: string): boolean {
    return this.dialer.isRelay(peer)
  }

  relayOnline(): boolean {
    return this.connectedRelays().length > 0
  }

  connectedRelays(): Relay[] {
    return this.dialer.connected()
  }

  connectedTo(node: ClientNode, peer: string): boolean {
    return node.getConnections().some((c) => c.remotePeer.toString() === peer && c.status === 'open')
  }

  /** Who else a relay knows on `topic` (empty when it cannot say), with their own listen addresses. */
  async askPeers(relay: Relay, topic: string): Promise<{ id: string; direct: string[] }[]> {
    const started = this.started
    if (started === null) return []
    const { node, lib } = started
    let stream: Stream | null = null
    try {
      stream = await node.dialProtocol(lib.peerIdFromString(relay.id), LIBP2P_PEERS_PROTOCOL, {
        signal: AbortSignal.timeout(5000),
      })
      stream.send(lengthPrefixed(utf8(topic)))
      const reader = new LengthPrefixedReader(64 * 1024)
      for await (const chunk of stream) {
        const [answer] = reader.push(chunkBytes(chunk))
        if (answer !== undefined) {
          await stream.close().catch((err: unknown) => {
            this.log.debug('closing a peers request failed', { relay: relay.id, ...errorFields(err) })
          })
          // "peerId" or "peerId=addr|addr" (a peer that listens itself: dialled there, not via the relay).
          return new TextDecoder()
            .decode(answer)
            .split(' ')
            .filter(Boolean)
            .map((entry) => {
              const [id, addresses] = entry.split('=') as [string, string | undefined]
              return { id, direct: addresses ? addresses.split('|').filter(Boolean) : [] }
            })
        }
      }
    } catch (err) {
      this.log.debug('peers request failed', { relay: relay.id, ...errorFields(err) })
      stream?.abort(new Error('peers request failed'))
    }
    return []
  }

  /**
   * Dials a peer: at its own addresses when it listens (no relay in the path: the relay would carry
   * every frame of a large group twice), else through a relay (WebRTC first where available).
   */
  async dialPeer(peer: string, direct: string[] = []): Promise<void> {
    const started = this.started
    if (started === null || this.closed) return
    const { node, lib } = started
    if (!this.budget.claim(peer)) return
    for (const address of direct) {
      try {
        await node.dial(lib.multiaddr(`${address}/p2p/${peer}`), { signal: AbortSignal.timeout(5_000) })
        return
      } catch (err) {
        // Not reachable from here (another network): try the next address, then the relays.
        this.log.debug('direct dial failed', { peer, address, ...errorFields(err) })
      }
    }
    for (const relay of this.connectedRelays()) {
      const addresses = this.webrtc()
        ? [throughRelay(relay, peer, true), throughRelay(relay, peer, false)]
        : [throughRelay(relay, peer, false)]
      for (const address of addresses) {
        try {
          await node.dial(lib.multiaddr(address), { signal: AbortSignal.timeout(10_000) })
          return
        } catch (err) {
          // Next address or relay; the link asks again later.
          this.log.debug('dial through a relay failed', { peer, address, ...errorFields(err) })
        }
      }
    }
    this.budget.release(peer)
  }

  /** Sends a direct frame to a peer; frames to one peer keep their order. */
  sendDirect(peer: string, topic: Uint8Array, sealed: Uint8Array): Promise<void> {
    const started = this.started
    if (started === null || this.closed) return Promise.resolve()
    const payload = lengthPrefixed(new Uint8Array([...topic, ...sealed]))
    let stream = this.outgoing.get(peer)
    if (stream === undefined) {
      const opened = this.openStream(started.node, started.lib, peer)
      stream = opened
      this.outgoing.set(peer, opened)
      opened.then(
        (s) =>
          s.addEventListener('close', () => {
            if (this.outgoing.get(peer) === opened) this.outgoing.delete(peer)
          }),
        () => {
          // Told below, once per frame that could not go.
          if (this.outgoing.get(peer) === opened) this.outgoing.delete(peer)
        },
      )
    }
    return stream.then(
      async (s) => {
        if (s.status !== 'open') return
        if (!s.send(payload))
          await s.onDrain().catch((err: unknown) => {
            this.log.debug('frame stream did not drain', { peer, ...errorFields(err) })
          })
      },
      (err: unknown) => {
        this.log.debug('no frame stream to peer: direct frame dropped', { peer, ...errorFields(err) })
      },
    )
  }

  // --- node ------------------------------------------------------------------------------------

  /** A frame stream to a peer: over the open connection, else dialled through a relay. */
  private async openStream(node: ClientNode, lib: Lib, peer: string): Promise<Stream> {
    const options = { runOnLimitedConnection: true, signal: AbortSignal.timeout(10_000) }
    if (this.connectedTo(node, peer))
      return node.dialProtocol(lib.peerIdFromString(peer), LIBP2P_FRAME_PROTOCOL, options)
    const relay = this.connectedRelays()[0]
    if (relay === undefined) throw new Error('no relay to reach the peer through')
    return node.dialProtocol(lib.multiaddr(throughRelay(relay, peer, false)), LIBP2P_FRAME_PROTOCOL, options)
  }

  private webrtc(): boolean {
    return (
      this.options.webrtc ??
      typeof (globalThis as { RTCPeerConnection?: unknown }).RTCPeerConnection === 'function'
    )
  }

  private async start(): Promise<{ node: ClientNode; lib: Lib }> {
    ensurePromiseWithResolvers()
    const g = globalThis as { WebSocket?: unknown }
    // libp2p's WebSocket dialer uses the global; Node 20 has none.
    if (g.WebSocket === undefined && this.options.WebSocket !== undefined)
      g.WebSocket = withErrorHandler(this.options.WebSocket)
    const lib = await import('./libp2p-node')
    const node = await lib.createClientNode({
      webrtc: this.webrtc(),
      iceServers: this.options.iceServers ?? [],
      maxFrameBytes: this.maxFrameBytes,
      listen: this.options.listen ?? [],
      acceptPeer: (peer) => this.budget.admit(peer),
    })
    const started = { node, lib }
    this.started = started
    if (this.closed) {
      await node.stop()
      throw new LinkClosedError()
    }
    const upgrade = new WebRtcUpgrade(
      node,
      lib,
      {
        closed: () => this.closed,
        isRelay: (peer) => this.isRelay(peer),
        relayToUpgradeThrough: () => this.connectedRelays()[0],
      },
      this.logger.forComponent('transport:libp2p:upgrade'),
    )
    this.upgrade = upgrade
    node.addEventListener('peer:connect', (e) => this.peerChanged(e.detail.toString(), true))
    node.addEventListener('peer:disconnect', (e) => this.peerChanged(e.detail.toString(), false))
    node.addEventListener('peer:identify', (e) => upgrade.identified(e.detail.connection))
    node.addEventListener('connection:close', (e) => this.connectionClosed(e.detail))
    const pubsub = node.services.pubsub
    pubsub.addEventListener('subscription-change', () => this.refreshAll())
    // `from` is the neighbour that handed the message over, not its author (who may be no peer of
    // this node): a live peer that holds it, whom a direct answer can go to — unless it is a relay,
    // which takes no direct frames.
    pubsub.addEventListener('gossipsub:message', (e) => {
      const { msg, propagationSource } = e.detail
      const published = decodePublished(msg.data)
      if (published === null) return
      const from = propagationSource.toString()
      this.links.get(msg.topic)?.deliver(published.sealed, this.isRelay(from) ? null : from)
    })
    await node.handle(LIBP2P_FRAME_PROTOCOL, (stream, connection) => this.inbound(stream, connection), {
      runOnLimitedConnection: true,
    })
    this.dialer.dialAll()
    // close() may have run during `node.handle`, before there was a timer to stop.
    if (this.webrtc() && !this.closed) upgrade.start()
    return started
  }

  private peerChanged(peer: string, connected: boolean): void {
    if (this.closed) return
    this.budget.release(peer)
    const relay = this.dialer.relayNamed(peer)
    if (relay !== undefined) {
      for (const l of this.links.values()) l.relayChanged()
      if (!connected) this.dialer.dial(relay)
    } else if (!connected) {
      this.outgoing.delete(peer)
      const direct = this.dialer.directNamed(peer)
      if (direct !== undefined) this.dialer.dial(direct)
    }
    this.refreshAll()
  }

  /**
   * A connection to a peer closed while another one stays open (a relayed one after the upgrade, or
   * the relay went away): gossipsub is told of a peer once, on its first connection, and lost its
   * streams with that connection. It is told again of the one still open, so that it opens new ones
   * (it has no public way to: `onPeerConnected` is its topology hook).
   */
  private connectionClosed(closed: Connection): void {
    const peer = closed.remotePeer.toString()
    if (this.closed || this.isRelay(peer)) return
    const check = () => {
      const node = this.started?.node
      if (node === undefined || this.closed) return
      const open = node.getConnections(closed.remotePeer).find((c) => c.status === 'open')
      if (open === undefined) return
      const pubsub = node.services.pubsub as unknown as {
        streamsOutbound: Map<string, unknown>
        onPeerConnected?: (peer: Connection['remotePeer'], connection: Connection) => void
      }
      if (!pubsub.streamsOutbound.has(peer)) pubsub.onPeerConnected?.(closed.remotePeer, open)
    }
    // After gossipsub has seen its streams close (or dropped the peer on a read error).
    for (const ms of [100, 1000, 5000]) setTimeout(check, ms)
  }

  private refreshAll(): void {
    for (const l of this.links.values()) l.refresh()
  }

  private async inbound(stream: Stream, connection: Connection): Promise<void> {
    const from = connection.remotePeer.toString()
    const reader = new LengthPrefixedReader(this.maxFrameBytes + 32)
    try {
      for await (const chunk of stream)
        for (const message of reader.push(chunkBytes(chunk))) {
          if (message.length <= 32) continue
          this.links.get(toHex(message.subarray(0, 32)))?.deliver(message.subarray(32), from)
        }
    } catch (err) {
      this.log.debug('inbound frame stream failed', { peer: from, ...errorFields(err) })
      stream.abort(new Error('bad frame stream'))
    }
  }
}
