// Which transports a replica uses (always, or for a transport mode) and the links open on them, one
// per transport and topic; what status displays read comes from here.
import type { Link, Transport } from '../transport'
import type { TransportMode } from '../transport-mode'

export type LinkMode = TransportMode | 'always'

export interface OpenLink {
  transport: Transport
  link: Link
  /** The topic (of one group key) this link carries. */
  topicId: string
  /** Opened for a transport mode (closed when the group leaves it), or always. */
  mode: LinkMode
}

/** How the group reaches others through one transport. */
export interface TransportStatus {
  /** Transport.id */
  id: string
  kind: string
  relay?: string
  durable: boolean
  sameUser: boolean
  /** Open always, or for a transport mode (open while the group is in it). */
  mode: LinkMode
  /** Links open on it (one per key's topic). */
  links: number
  /** Any of its links is connected. */
  online: boolean
  /** Peers reachable on its links now. */
  peers: number
  /** Frames received through it since the replica started. */
  frames: number
}

export interface ReplicaStatus {
  /** Any link is connected. */
  online: boolean
  /** A durable transport (a relay's mailbox) is connected: messages reach members who are away. */
  durable: boolean
  /**
   * Peers on the group's peer-to-peer network now (the mode's, with modes; otherwise every transport
   * that reaches others without storing). During a mode switch the network being left is not counted.
   */
  peers: number
  transports: TransportStatus[]
}

export class LinkTable {
  private readonly lists: Record<LinkMode, Transport[]>
  private readonly open: OpenLink[] = []
  /** Topics each transport has a link for or is opening one: never two links for one topic. */
  private readonly carried = new Map<Transport, Set<string>>()
  private readonly framesIn = new Map<Transport, number>()

  constructor(always: readonly Transport[], modes: Partial<Record<TransportMode, readonly Transport[]>>) {
    this.lists = { always: [...always], mesh: [...(modes.mesh ?? [])], libp2p: [...(modes.libp2p ?? [])] }
  }

  transports(mode: LinkMode): readonly Transport[] {
    return this.lists[mode]
  }

  /** Starts using `transport` for `mode`; false if it already is. */
  use(transport: Transport, mode: LinkMode): boolean {
    if (this.lists[mode].includes(transport)) return false
    this.lists[mode].push(transport)
    return true
  }

  /** Whether `transport` is still in use (it may have been removed while a link opened). */
  uses(transport: Transport): boolean {
    return Object.values(this.lists).some((l) => l.includes(transport))
  }

  /** Reserves `topicId` on `transport` for a link about to open; false if it has one or is opening it. */
  claim(transport: Transport, topicId: string): boolean {
    const topics = this.carried.get(transport) ?? new Set<string>()
    if (topics.has(topicId)) return false
    topics.add(topicId)
    this.carried.set(transport, topics)
    return true
  }

  release(transport: Transport, topicId: string): void {
    this.carried.get(transport)?.delete(topicId)
  }

  add(link: OpenLink): void {
    this.open.push(link)
  }

  all(): readonly OpenLink[] {
    return this.open
  }

  find(link: Link | null): OpenLink | undefined {
    return link === null ? undefined : this.open.find((l) => l.link === link)
  }

  /** Stops using `transport`; returns its links, to be closed by the caller. */
  drop(transport: Transport): Link[] {
    for (const list of Object.values(this.lists)) {
      const i = list.indexOf(transport)
      if (i >= 0) list.splice(i, 1)
    }
    this.carried.delete(transport)
    return this.take((l) => l.transport === transport).map((l) => l.link)
  }

  /** Takes out the links `which` selects; returns them, to be closed by the caller. */
  take(which: (l: OpenLink) => boolean): OpenLink[] {
    const taken = this.open.filter(which)
    for (const l of taken) {
      this.open.splice(this.open.indexOf(l), 1)
      this.release(l.transport, l.topicId)
    }
    return taken
  }

  countFrame(transport: Transport): void {
    this.framesIn.set(transport, (this.framesIn.get(transport) ?? 0) + 1)
  }

  /** The status of every transport in use, with the group in transport mode `mode`. */
  status(mode: TransportMode | null): ReplicaStatus {
    const transports: TransportStatus[] = []
    for (const m of ['always', 'mesh', 'libp2p'] as const)
      for (const transport of this.lists[m]) {
        const links = this.open.filter((l) => l.transport === transport)
        transports.push({
          id: transport.id,
          kind: transport.kind,
          ...(transport.relay !== undefined && { relay: transport.relay }),
          durable: transport.durable,
          sameUser: transport.sameUser,
          mode: m,
          links: links.length,
          online: links.some((l) => l.link.online()),
          peers: new Set(links.flatMap((l) => l.link.peers())).size,
          frames: this.framesIn.get(transport) ?? 0,
        })
      }
    const network = this.open.filter((l) =>
      mode === null ? !l.transport.durable && !l.transport.sameUser : l.mode === mode,
    )
    return {
      online: transports.some((t) => t.online),
      durable: transports.some((t) => t.durable && t.online),
      peers: new Set(network.flatMap((l) => l.link.peers())).size,
      transports,
    }
  }
}
