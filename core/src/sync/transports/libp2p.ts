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
// This module imports no libp2p code at load time: libp2p-node.ts is loaded inside the first open().
import { toHex, utf8 } from '../../bytes'
import { sign, verify } from '../../crypto/ed25519'
import { ValidationError } from '../../errors'
import type { Link, LinkHandlers, TopicAccess, Transport } from '../transport'
import { LinkClosedError } from './errors'
import type * as Libp2pNodeModule from './libp2p-node'
import type { ClientNode } from './libp2p-node'
import {
  LIBP2P_FRAME_PROTOCOL,
  LIBP2P_MAX_FRAME_BYTES,
  LIBP2P_PEERS_PROTOCOL,
  LengthPrefixedReader,
  chunkBytes,
  decodePublished,
  encodePublished,
  ensurePromiseWithResolvers,
  lengthPrefixed,
  publishedSigningBytes,
  topicIdBytes,
} from './libp2p-wire'
import { safely } from './safely'
import {
  DEFAULT_BACKOFF,
  backoffDelay,
  withErrorHandler,
  type Backoff,
  type WebSocketConstructor,
} from './socket'

export * from './libp2p-wire'

export type FrameVerdict = 'accept' | 'reject' | 'ignore'
/** Judges a sealed frame before it is delivered or forwarded (the gate): reject = never forwarded. */
export type FrameValidator = (sealed: Uint8Array) => Promise<FrameVerdict>

/** LinkHandlers plus the gate hook; other transports ignore `validate`. */
export interface Libp2pLinkHandlers extends LinkHandlers {
  validate?: FrameValidator
}

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
}

type Lib = typeof Libp2pNodeModule
type PeerId = ReturnType<ClientNode['getPeers']>[number]
type Stream = Awaited<ReturnType<ClientNode['dialProtocol']>>
type Connection = ReturnType<ClientNode['getConnections']>[number]

interface Relay {
  address: string
  id: string
  attempt: number
  timer: ReturnType<typeof setTimeout> | null
}

export class Libp2pTransport implements Transport {
  readonly id = 'libp2p'
  readonly kind = 'libp2p'
  readonly durable = false
  readonly sameUser = false
  private readonly links = new Map<string, Libp2pLink>()
  private readonly relays: Relay[]
  private readonly direct: Relay[]
  private starting: Promise<{ node: ClientNode; lib: Lib }> | null = null
  private started: { node: ClientNode; lib: Lib } | null = null
  private closed = false
  private readonly outgoing = new Map<string, Promise<Stream>>()
  readonly maxFrameBytes: number
  readonly backoff: Backoff
  /** Most peers (not relays) this node connects to, dialled or accepted, over all topics. */
  readonly maxPeers: number
  /** Members reached only through a relay: since when, and the upgrade attempts made (see `reupgrade`). */
  private readonly relayedOnly = new Map<string, { since: number; tries: number }>()
  private upgradeTimer: ReturnType<typeof setInterval> | null = null

  constructor(readonly options: Libp2pTransportOptions) {
    const parse = (address: string): Relay => {
      const id = /\/p2p\/([^/]+)$/.exec(address)?.[1]
      if (id === undefined)
        throw new ValidationError(`A relay or peer address must end in /p2p/<peer id>: ${address}`)
      return { address, id, attempt: 0, timer: null }
    }
    this.relays = options.relays.map(parse)
    this.direct = (options.peers ?? []).map(parse)
    this.maxFrameBytes = options.maxFrameBytes ?? LIBP2P_MAX_FRAME_BYTES
    this.backoff = options.backoff ?? DEFAULT_BACKOFF
    this.maxPeers = options.maxPeers ?? 11
  }

  /** Open connections to peers that are not relays (one per peer). */
  memberConnections(): number {
    const node = this.started?.node
    if (node === undefined) return 0
    const peers = new Set<string>()
    for (const c of node.getConnections())
      if (c.status === 'open' && !this.isRelay(c.remotePeer.toString())) peers.add(c.remotePeer.toString())
    return peers.size
  }

  /**
   * Peers this node dialled or accepted whose connection may not be open yet, with when: counted
   * against maxPeers until it opens or fails (at most PENDING_PEER_MS), so that a burst of arrivals (a group
   * starting together) cannot all slip under the cap before any of them is counted.
   */
  private readonly pendingPeers = new Map<string, number>()

  /** Open or pending links to peers that are not relays: what maxPeers caps. */
  peerSlotsUsed(): number {
    const now = Date.now()
    const node = this.started?.node
    for (const [peer, since] of this.pendingPeers)
      if (now - since > PENDING_PEER_MS || (node !== undefined && this.connectedTo(node, peer)))
        this.pendingPeers.delete(peer)
    return this.memberConnections() + this.pendingPeers.size
  }

  /** The gater's question: may `peer` connect to this node? */
  private acceptPeer(peer: string): boolean {
    const node = this.started?.node
    if (this.isRelay(peer) || this.pendingPeers.has(peer)) return true
    if (node !== undefined && this.connectedTo(node, peer)) return true
    if (this.peerSlotsUsed() >= this.maxPeers) return false
    this.pendingPeers.set(peer, Date.now())
    return true
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
    const link = new Libp2pLink(this, access, handlers)
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
    for (const r of [...this.relays, ...this.direct]) if (r.timer !== null) clearTimeout(r.timer)
    if (this.upgradeTimer !== null) clearInterval(this.upgradeTimer)
    const started = await this.starting?.catch(() => null)
    this.outgoing.clear()
    await started?.node.stop()
  }

  // --- used by links ---------------------------------------------------------------------------

  unlink(id: string, link: Libp2pLink): void {
    if (this.links.get(id) === link) this.links.delete(id)
  }

  isRelay(peer: string): boolean {
    return this.relays.some((r) => r.id === peer)
  }

  relayOnline(): boolean {
    const node = this.started?.node
    return node !== undefined && this.relays.some((r) => this.connectedTo(node, r.id))
  }

  connectedRelays(): Relay[] {
    const node = this.started?.node
    return node === undefined ? [] : this.relays.filter((r) => this.connectedTo(node, r.id))
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
          await stream.close().catch(() => undefined)
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
    } catch {
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
    if (this.connectedTo(node, peer) || this.pendingPeers.has(peer)) return
    this.pendingPeers.set(peer, Date.now())
    for (const address of direct) {
      try {
        await node.dial(lib.multiaddr(`${address}/p2p/${peer}`), { signal: AbortSignal.timeout(5_000) })
        return
      } catch {
        // Not reachable from here (another network): try the next address, then the relays.
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
        } catch {
          // Next address or relay; the link asks again later.
        }
      }
    }
    this.pendingPeers.delete(peer)
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
          if (this.outgoing.get(peer) === opened) this.outgoing.delete(peer)
        },
      )
    }
    return stream.then(
      async (s) => {
        if (s.status !== 'open') return
        if (!s.send(payload)) await s.onDrain().catch(() => undefined)
      },
      () => undefined,
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
    return node.dialProtocol(
      lib.multiaddr(`${relay.address}/p2p-circuit/p2p/${peer}`),
      LIBP2P_FRAME_PROTOCOL,
      options,
    )
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
      acceptPeer: (peer) => this.acceptPeer(peer),
    })
    const started = { node, lib }
    this.started = started
    if (this.closed) {
      await node.stop()
      throw new LinkClosedError()
    }
    node.addEventListener('peer:connect', (e) => this.peerChanged(e.detail.toString(), true))
    node.addEventListener('peer:disconnect', (e) => this.peerChanged(e.detail.toString(), false))
    node.addEventListener('peer:identify', (e) => this.upgraded(e.detail.connection))
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
    for (const relay of [...this.relays, ...this.direct]) this.dialRelay(relay)
    if (this.webrtc()) this.upgradeTimer = setInterval(() => this.reupgrade(), UPGRADE_CHECK_MS)
    return started
  }

  /**
   * Tries the WebRTC upgrade again for members still reached only through a relay. The first try
   * (the dial that made the relayed connection) can fail for good on one side while the other
   * holds a half-open connection: @libp2p/webrtc 6's initiator waits for its 'init' data channel to
   * close, which the listener's muxer can take as a stream of its own (seen in web/e2e/libp2p: the
   * dial timed out, the peers stayed on the relay). The peer with the lower id tries first; the
   * other later, in case the first cannot (a Node peer has no WebRTC); each waits twice as long
   * after every failure.
   */
  private reupgrade(): void {
    const started = this.started
    if (started === null || this.closed) return
    const { node, lib } = started
    const self = node.peerId.toString()
    const now = Date.now()
    const byPeer = new Map<string, Connection[]>()
    for (const c of node.getConnections()) {
      const peer = c.remotePeer.toString()
      if (c.status !== 'open' || this.isRelay(peer)) continue
      byPeer.set(peer, [...(byPeer.get(peer) ?? []), c])
    }
    for (const peer of this.relayedOnly.keys()) {
      const conns = byPeer.get(peer)
      if (conns === undefined || !conns.every(relayed)) this.relayedOnly.delete(peer)
    }
    for (const [peer, conns] of byPeer) {
      if (!conns.every(relayed)) continue
      let state = this.relayedOnly.get(peer)
      if (state === undefined) this.relayedOnly.set(peer, (state = { since: now, tries: 0 }))
      const wait = UPGRADE_RETRY_MS * (self < peer ? 1 : 2) * 2 ** state.tries
      if (now - state.since < wait) continue
      state.since = now
      state.tries++
      const via = this.connectedRelays()[0]
      if (via === undefined) continue
      const address = lib.multiaddr(throughRelay(via, peer, true))
      node.dial(address, { signal: AbortSignal.timeout(10_000) }).catch(() => undefined)
    }
  }

  /** Dials a relay or a direct peer, again and again with backoff until connected. */
  private dialRelay(relay: Relay): void {
    const started = this.started
    if (started === null || this.closed || relay.timer !== null) return
    if (this.connectedTo(started.node, relay.id)) return
    started.node.dial(started.lib.multiaddr(relay.address), { signal: AbortSignal.timeout(10_000) }).then(
      () => {
        relay.attempt = 0
      },
      () => {
        if (this.closed) return
        relay.timer = setTimeout(
          () => {
            relay.timer = null
            this.dialRelay(relay)
          },
          backoffDelay(this.backoff, relay.attempt++),
        )
      },
    )
  }

  private peerChanged(peer: string, connected: boolean): void {
    if (this.closed) return
    this.pendingPeers.delete(peer)
    const relay = this.relays.find((r) => r.id === peer)
    if (relay !== undefined) {
      for (const l of this.links.values()) l.relayChanged()
      if (!connected) this.dialRelay(relay)
    } else if (!connected) {
      this.outgoing.delete(peer)
      const direct = this.direct.find((r) => r.id === peer)
      if (direct !== undefined) this.dialRelay(direct)
    }
    this.refreshAll()
  }

  /**
   * A direct connection (WebRTC) to a member that was reached through a relay: the relayed one is
   * closed, so the relay stops carrying their traffic (gossipsub keeps the streams of the first
   * connection it was told of, which would otherwise stay on the relay for good).
   */
  private upgraded(connection: Connection): void {
    const node = this.started?.node
    const peer = connection.remotePeer.toString()
    if (node === undefined || this.closed || this.isRelay(peer) || relayed(connection)) return
    // Not at once: closing the relayed connection while the WebRTC one is still settling (its
    // signaling ran over the relayed one) was seen to take the WebRTC connection down with it.
    setTimeout(() => {
      if (this.closed || connection.status !== 'open') return
      for (const c of node.getConnections(connection.remotePeer))
        if (c !== connection && c.status === 'open' && relayed(c)) void c.close().catch(() => undefined)
    }, UPGRADE_SETTLE_MS)
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
    } catch {
      stream.abort(new Error('bad frame stream'))
    }
  }
}

/**
 * How long a dialled or accepted peer counts against maxPeers at most, if neither its connection nor
 * its failure is seen (a handshake on a busy device can take seconds).
 */
const PENDING_PEER_MS = 20_000

/** How long a peer a link dialled counts as about to be linked, for that link's next discovery round. */
const DIALLED_MS = 5000

/** How often members reached only through a relay are looked at, and the first wait before retrying. */
const UPGRADE_CHECK_MS = 2000
const UPGRADE_RETRY_MS = 4000

/** How long a direct connection runs beside the relayed one it replaces before that one is closed. */
const UPGRADE_SETTLE_MS = 3000

/** A peer's address through a relay's circuit: WebRTC set up through it, or the relayed path itself. */
function throughRelay(relay: Relay, peer: string, webrtc: boolean): string {
  return `${relay.address}/p2p-circuit${webrtc ? '/webrtc' : ''}/p2p/${peer}`
}

/** Through a circuit relay, not upgraded (a WebRTC connection set up through one names it too). */
function relayed(connection: Connection): boolean {
  const address = connection.remoteAddr.toString()
  return address.includes('/p2p-circuit') && !address.includes('/webrtc')
}

interface Queued {
  data: Promise<Uint8Array>
  since: number
  resolve(): void
  reject(e: Error): void
}

class Libp2pLink implements Link {
  private node: ClientNode | null = null
  private lib: Lib | null = null
  private closed = false
  private reported: boolean | null = null
  private onlineSince = 0
  private readonly members = new Set<string>()
  private readonly queue: Queued[] = []
  private pumping = false
  private pumpAgain = false
  private readonly timers = new Set<ReturnType<typeof setTimeout>>()
  private discoverTimer: ReturnType<typeof setTimeout> | null = null
  private discoverRound = 0
  /** Peers this link dialled and when, until they are members (see discover()). */
  private readonly dialled = new Map<string, number>()
  private readonly sending = new Set<Promise<void>>()
  private validations: Promise<void> = Promise.resolve()
  private readonly topicBytes: Uint8Array

  constructor(
    private readonly transport: Libp2pTransport,
    private readonly access: TopicAccess,
    private readonly handlers: Libp2pLinkHandlers,
  ) {
    this.topicBytes = topicIdBytes(access.topic.id)
  }

  start(node: ClientNode, lib: Lib): void {
    this.node = node
    this.lib = lib
    const topic = this.access.topic.id
    node.services.pubsub.topicValidators.set(topic, async (_peer, message) => {
      // One validation at a time, finishing in the order they started: a small frame that arrived
      // after a large one is not delivered before it.
      const verdict = this.validations.then(() => this.validate(message.data))
      this.validations = verdict.then(
        () => undefined,
        () => undefined,
      )
      return this.toResult(lib, await verdict)
    })
    node.services.pubsub.subscribe(topic)
    this.relayChanged()
    this.refresh()
  }

  private toResult(lib: Lib, verdict: FrameVerdict) {
    return verdict === 'accept'
      ? lib.TopicValidatorResult.Accept
      : verdict === 'reject'
        ? lib.TopicValidatorResult.Reject
        : lib.TopicValidatorResult.Ignore
  }

  broadcast(sealed: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(new LinkClosedError())
    if (sealed.length === 0) return Promise.reject(new ValidationError('A frame cannot be empty.'))
    if (sealed.length > this.transport.maxFrameBytes)
      return Promise.reject(
        new ValidationError(
          `${sealed.length} bytes are over the ${this.transport.maxFrameBytes}-byte frame limit.`,
        ),
      )
    const copy = sealed.slice()
    const data = sign(
      this.access.topic.signingKeys.privateKey,
      publishedSigningBytes(this.access.topic.id, copy),
    ).then((signature) => encodePublished(signature, copy))
    data.catch(() => undefined)
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ data, since: Date.now(), resolve, reject })
      this.pump()
    })
  }

  sendTo(peer: string, sealed: Uint8Array): void {
    if (this.closed) return
    const sent = this.transport.sendDirect(peer, this.topicBytes, sealed.slice())
    this.sending.add(sent)
    void sent.finally(() => this.sending.delete(sent))
  }

  /**
   * Direct streams to the members linked now, never gossipsub: the relay keeps what is published on
   * the topic in its mailbox. In a large group that reaches this node's peers only (up to maxPeers).
   */
  ephemeral(sealed: Uint8Array): void {
    for (const peer of this.members) this.sendTo(peer, sealed)
  }

  peers(): string[] {
    return [...this.members]
  }

  online(): boolean {
    return !this.closed && this.node !== null && this.transport.relayOnline()
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    if (this.discoverTimer !== null) clearTimeout(this.discoverTimer)
    for (const item of this.queue.splice(0)) item.reject(new LinkClosedError())
    this.transport.unlink(this.access.topic.id, this)
    const pubsub = this.node?.services.pubsub
    if (pubsub !== undefined && pubsub.getTopics().includes(this.access.topic.id)) {
      pubsub.topicValidators.delete(this.access.topic.id)
      pubsub.unsubscribe(this.access.topic.id)
    }
  }

  // --- from the transport ----------------------------------------------------------------------

  deliver(sealed: Uint8Array, from: string | null): void {
    if (this.closed) return
    safely(() => this.handlers.frame(sealed.slice(), from))
  }

  /** The relay connection came or went: status, and a new round of discovery. */
  relayChanged(): void {
    if (this.closed || this.node === null) return
    const online = this.online()
    if (online && this.reported !== true) {
      this.onlineSince = Date.now()
      this.discoverRound = 0
      this.scheduleDiscovery(0)
    }
    if (this.reported !== online) {
      this.reported = online
      safely(() => this.handlers.status?.(online))
    }
    this.pump()
  }

  /** Recomputes the member peers from gossipsub's subscribers and the open connections. */
  refresh(): void {
    const node = this.node
    if (this.closed || node === null) return
    const connected = new Set(
      node
        .getConnections()
        .filter((c) => c.status === 'open')
        .map((c) => c.remotePeer.toString()),
    )
    const now = new Set(
      node.services.pubsub
        .getSubscribers(this.access.topic.id)
        .map((p: PeerId) => p.toString())
        .filter((p) => connected.has(p) && !this.transport.isRelay(p)),
    )
    for (const p of [...this.members])
      if (!now.has(p)) {
        this.members.delete(p)
        safely(() => this.handlers.peerLeft?.(p))
      }
    for (const p of now)
      if (!this.members.has(p)) {
        this.members.add(p)
        safely(() => this.handlers.peerJoined?.(p))
      }
    this.pump()
  }

  // --- inside ----------------------------------------------------------------------------------

  private async validate(data: Uint8Array): Promise<FrameVerdict> {
    const published = decodePublished(data)
    if (published === null || published.sealed.length > this.transport.maxFrameBytes) return 'reject'
    const { publicKey } = this.access.topic.signingKeys
    if (
      !(await verify(
        publicKey,
        published.signature,
        publishedSigningBytes(this.access.topic.id, published.sealed),
      ))
    )
      return 'reject'
    const hook = this.handlers.validate ?? this.transport.options.validate
    if (hook === undefined) return 'accept'
    try {
      return await hook(published.sealed.slice())
    } catch {
      // A hook that fails cannot vouch for the frame, nor blame its sender.
      return 'ignore'
    }
  }

  private scheduleDiscovery(delay: number): void {
    if (this.discoverTimer !== null) clearTimeout(this.discoverTimer)
    this.discoverTimer = setTimeout(() => {
      this.discoverTimer = null
      void this.discover()
    }, delay)
  }

  private async discover(): Promise<void> {
    const node = this.node
    if (this.closed || node === null || !this.online()) return
    const min = this.transport.options.minPeers ?? 4
    // Only as many dials as are missing: peers that dial more than they need collect connections from
    // everyone (the inbound side is capped by the gater, but every refused dial costs both sides).
    // Peers dialled for this topic in the last seconds count as linked: members appear only once
    // their subscription arrives, and a round that ran before that would dial again.
    const now = Date.now()
    for (const [peer, at] of this.dialled)
      if (this.members.has(peer) || now - at > DIALLED_MS) this.dialled.delete(peer)
    let room = Math.min(
      min - this.members.size - this.dialled.size,
      this.transport.maxPeers - this.transport.peerSlotsUsed(),
    )
    if (room > 0) {
      const self = node.peerId.toString()
      for (const relay of this.transport.connectedRelays()) {
        if (room <= 0) break
        const found = await this.transport.askPeers(relay, this.access.topic.id)
        if (this.closed) return
        const candidates = found.filter(
          (p) => p.id !== self && !this.members.has(p.id) && !this.transport.isRelay(p.id),
        )
        for (const p of candidates.slice(0, room)) {
          room--
          this.dialled.set(p.id, now)
          void this.transport.dialPeer(p.id, p.direct)
        }
      }
    }
    // Quickly at first (peers that joined at the same moment miss each other once), then rarely —
    // but every few seconds while short of peers (those it found may all have been full).
    const delay = Math.min(this.members.size < min ? 5_000 : 30_000, 250 * 2 ** this.discoverRound++)
    this.scheduleDiscovery(delay)
  }

  /** A frame goes out once it can reach someone (see the top of the file). */
  private canPublish(item: Queued): boolean {
    const node = this.node
    if (node === null) return false
    if (this.members.size > 0) return true
    if (!this.online()) return false
    const anyone = node.services.pubsub.getSubscribers(this.access.topic.id).length > 0
    const waitMs = this.transport.options.meshWaitMs ?? 2000
    return anyone && Date.now() - Math.max(item.since, this.onlineSince) >= waitMs
  }

  private pump(): void {
    if (this.pumping) {
      this.pumpAgain = true
      return
    }
    this.pumping = true
    void this.pumpLoop().finally(() => {
      this.pumping = false
      if (this.pumpAgain) {
        this.pumpAgain = false
        this.pump()
      }
    })
  }

  private async pumpLoop(): Promise<void> {
    while (!this.closed && this.queue.length > 0) {
      const item = this.queue[0]!
      if (!this.canPublish(item)) {
        const waitMs = this.transport.options.meshWaitMs ?? 2000
        const at = Math.max(item.since, this.onlineSince) + waitMs - Date.now()
        this.later(Math.max(50, at), () => this.pump())
        return
      }
      // Direct frames handed over before this broadcast go first (the replica answers, then sends).
      if (this.sending.size > 0) await Promise.all([...this.sending])
      let data: Uint8Array
      try {
        data = await item.data
      } catch (e) {
        this.queue.shift()
        item.reject(e instanceof Error ? e : new Error(String(e)))
        continue
      }
      if (this.closed || this.node === null) return
      let recipients: number
      try {
        recipients = (await this.node.services.pubsub.publish(this.access.topic.id, data)).recipients.length
      } catch (e) {
        if (this.closed) return
        this.queue.shift()
        item.reject(e instanceof Error ? e : new Error(String(e)))
        continue
      }
      if (recipients === 0) {
        // The peers went away in between: wait for the next one.
        this.later(250, () => this.pump())
        return
      }
      this.queue.shift()
      item.resolve()
    }
  }

  private later(ms: number, run: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t)
      run()
    }, ms)
    this.timers.add(t)
  }
}
