// The cap on member peers one libp2p node holds (`maxPeers`; relays are not counted). In a large group
// everyone finds everyone through the relay: without a cap, popular peers end up with dozens of
// connections. A peer counts from the moment it is dialled or accepted, not only once its connection
// is open, so that a burst of arrivals (a group starting together) cannot all slip under the cap
// before any of them is counted.

/** What the budget needs to see of the node: who it is connected to, and who is a relay. */
export interface PeerBudgetView {
  /** The peers (relays included) with an open connection, one entry per connection; none before start. */
  openPeers(): string[]
  isRelay(peer: string): boolean
}

/**
 * How long a dialled or accepted peer counts against maxPeers at most, if neither its connection nor
 * its failure is seen (a handshake on a busy device can take seconds).
 */
const PENDING_PEER_MS = 20_000

export class PeerBudget {
  /** Peers dialled or accepted whose connection may not be open yet, with since when. */
  private readonly pending = new Map<string, number>()

  constructor(
    readonly maxPeers: number,
    private readonly view: PeerBudgetView,
  ) {}

  /** Open connections to peers that are not relays (one per peer). */
  memberConnections(): number {
    const peers = new Set<string>()
    for (const peer of this.view.openPeers()) if (!this.view.isRelay(peer)) peers.add(peer)
    return peers.size
  }

  /** Open or pending links to peers that are not relays: what maxPeers caps. */
  slotsUsed(): number {
    const now = Date.now()
    const open = new Set(this.view.openPeers())
    for (const [peer, since] of this.pending)
      if (now - since > PENDING_PEER_MS || open.has(peer)) this.pending.delete(peer)
    return this.memberConnections() + this.pending.size
  }

  /**
   * The connection gater's question: may `peer` connect to this node? A peer already connected or
   * pending is always taken: a browser's WebRTC upgrade of a relayed link arrives as a second
   * connection from it.
   */
  admit(peer: string): boolean {
    if (this.view.isRelay(peer) || this.pending.has(peer)) return true
    if (this.view.openPeers().includes(peer)) return true
    if (this.slotsUsed() >= this.maxPeers) return false
    this.pending.set(peer, Date.now())
    return true
  }

  /**
   * Counts a peer this node is about to dial; false when it is connected or being dialled already
   * (nothing to do). Not checked against the cap here: the caller dials only as many as there is room for.
   */
  claim(peer: string): boolean {
    if (this.view.openPeers().includes(peer) || this.pending.has(peer)) return false
    this.pending.set(peer, Date.now())
    return true
  }

  /** The peer's connection opened, closed or could not be made: it counts by its connection alone. */
  release(peer: string): void {
    this.pending.delete(peer)
  }
}
