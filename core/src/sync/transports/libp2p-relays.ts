// The peers a libp2p node dials by address and keeps connected: the relays (bootstrap, gossipsub peer
// and circuit relay) and members given by address (a bot that listens). Nothing else is dialled by
// itself: every other member is found through the relays.
import { ValidationError } from '../../errors'
import type { Logger } from '../../log/logger'
import { errorFields } from '../../log/logger'
import type * as Libp2pNodeModule from './libp2p-node'
import type { ClientNode } from './libp2p-node'
import { backoffDelay, type Backoff } from './socket'

type Lib = typeof Libp2pNodeModule
type Connection = ReturnType<ClientNode['getConnections']>[number]

/** A relay, or a member peer given by address: redialled with backoff while not connected. */
export interface Relay {
  address: string
  id: string
  attempt: number
  timer: ReturnType<typeof setTimeout> | null
}

/** A relay or peer address must name the peer (`…/p2p/<peer id>`): connections are told apart by it. */
export function parseRelay(address: string): Relay {
  const id = /\/p2p\/([^/]+)$/.exec(address)?.[1]
  if (id === undefined)
    throw new ValidationError(`A relay or peer address must end in /p2p/<peer id>: ${address}`)
  return { address, id, attempt: 0, timer: null }
}

/** A peer's address through a relay's circuit: WebRTC set up through it, or the relayed path itself. */
export function throughRelay(relay: Relay, peer: string, webrtc: boolean): string {
  return `${relay.address}/p2p-circuit${webrtc ? '/webrtc' : ''}/p2p/${peer}`
}

/** Through a circuit relay, not upgraded (a WebRTC connection set up through one names it too). */
export function relayed(connection: Connection): boolean {
  const address = connection.remoteAddr.toString()
  return address.includes('/p2p-circuit') && !address.includes('/webrtc')
}

/** What the dialler needs of the transport: the node once started, and whether it closed. */
export interface RelayDialerHost {
  started(): { node: ClientNode; lib: Lib } | null
  closed(): boolean
  connectedTo(peer: string): boolean
}

export class RelayDialer {
  readonly relays: Relay[]
  /** Member peers given by address (options.peers): members, unlike relays. */
  readonly direct: Relay[]

  constructor(
    relays: string[],
    direct: string[],
    private readonly backoff: Backoff,
    private readonly host: RelayDialerHost,
    private readonly log: Logger,
  ) {
    this.relays = relays.map(parseRelay)
    this.direct = direct.map(parseRelay)
  }

  isRelay(peer: string): boolean {
    return this.relays.some((r) => r.id === peer)
  }

  relayNamed(peer: string): Relay | undefined {
    return this.relays.find((r) => r.id === peer)
  }

  directNamed(peer: string): Relay | undefined {
    return this.direct.find((r) => r.id === peer)
  }

  connected(): Relay[] {
    return this.relays.filter((r) => this.host.connectedTo(r.id))
  }

  dialAll(): void {
    for (const relay of [...this.relays, ...this.direct]) this.dial(relay)
  }

  /** Dials a relay or a direct peer, again and again with backoff until connected. */
  dial(relay: Relay): void {
    const started = this.host.started()
    if (started === null || this.host.closed() || relay.timer !== null) return
    if (this.host.connectedTo(relay.id)) return
    started.node.dial(started.lib.multiaddr(relay.address), { signal: AbortSignal.timeout(10_000) }).then(
      () => {
        relay.attempt = 0
      },
      (err: unknown) => {
        if (this.host.closed()) return
        const delayMs = backoffDelay(this.backoff, relay.attempt++)
        this.log.debug('dial failed, retrying', {
          peer: relay.id,
          attempt: relay.attempt,
          delayMs,
          ...errorFields(err),
        })
        relay.timer = setTimeout(() => {
          relay.timer = null
          this.dial(relay)
        }, delayMs)
      },
    )
  }

  stop(): void {
    for (const r of [...this.relays, ...this.direct]) if (r.timer !== null) clearTimeout(r.timer)
  }
}
