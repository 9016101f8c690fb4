// Moving members off the relay. Browsers reach each other first through a relay's circuit, then
// upgrade to a direct WebRTC connection; a peer that listens is dialled directly. Both ends then hold
// two connections, and the relayed one must go, or the relay keeps carrying their traffic: gossipsub
// keeps the streams of the first connection it was told of.
import type { Logger } from '../../log/logger'
import { errorFields } from '../../log/logger'
import type * as Libp2pNodeModule from './libp2p-node'
import type { ClientNode } from './libp2p-node'
import { relayed, throughRelay, type Relay } from './libp2p-relays'

type Lib = typeof Libp2pNodeModule
type Connection = ReturnType<ClientNode['getConnections']>[number]

/** How often members reached only through a relay are looked at, and the first wait before retrying. */
const UPGRADE_CHECK_MS = 2000
const UPGRADE_RETRY_MS = 4000

/** How long a direct connection runs beside the relayed one it replaces before that one is closed. */
const UPGRADE_SETTLE_MS = 3000

/** What the upgrade needs of the transport. */
export interface UpgradeHost {
  closed(): boolean
  isRelay(peer: string): boolean
  /** The relay to set WebRTC up through, if one is connected. */
  relayToUpgradeThrough(): Relay | undefined
}

export class WebRtcUpgrade {
  /** Members reached only through a relay: since when, and the upgrade attempts made (see `retry`). */
  private readonly relayedOnly = new Map<string, { since: number; tries: number }>()
  private timer: ReturnType<typeof setInterval> | null = null

  constructor(
    private readonly node: ClientNode,
    private readonly lib: Lib,
    private readonly host: UpgradeHost,
    private readonly log: Logger,
  ) {}

  /** Keeps retrying the WebRTC upgrade (only where this node has WebRTC). */
  start(): void {
    this.timer = setInterval(() => this.retry(), UPGRADE_CHECK_MS)
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer)
  }

  /**
   * A direct connection (WebRTC, or dialled at the peer's own address) to a member that was reached
   * through a relay, now identified: the relayed one is closed.
   */
  identified(connection: Connection): void {
    const peer = connection.remotePeer.toString()
    if (this.host.closed() || this.host.isRelay(peer) || relayed(connection)) return
    // Not at once: closing the relayed connection while the WebRTC one is still settling (its
    // signaling ran over the relayed one) was seen to take the WebRTC connection down with it.
    setTimeout(() => {
      if (this.host.closed() || connection.status !== 'open') return
      for (const c of this.node.getConnections(connection.remotePeer))
        if (c !== connection && c.status === 'open' && relayed(c))
          void c.close().catch((err: unknown) => {
            this.log.debug('closing the relayed connection failed', { peer, ...errorFields(err) })
          })
    }, UPGRADE_SETTLE_MS)
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
  private retry(): void {
    if (this.host.closed()) return
    const node = this.node
    const self = node.peerId.toString()
    const now = Date.now()
    const byPeer = new Map<string, Connection[]>()
    for (const c of node.getConnections()) {
      const peer = c.remotePeer.toString()
      if (c.status !== 'open' || this.host.isRelay(peer)) continue
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
      const via = this.host.relayToUpgradeThrough()
      if (via === undefined) continue
      const address = this.lib.multiaddr(throughRelay(via, peer, true))
      const tries = state.tries
      node.dial(address, { signal: AbortSignal.timeout(10_000) }).catch((err: unknown) => {
        this.log.debug('WebRTC upgrade failed', { peer, relay: via.id, tries, ...errorFields(err) })
      })
    }
  }
}
