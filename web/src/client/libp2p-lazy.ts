// The libp2p transport for groups in libp2p mode (core's transport-mode.ts), loaded only when one
// needs it: this module imports no libp2p code. The first link opened fetches the relay's /healthz
// (its libp2p multiaddrs) and `import()`s '@tailmesh/core/sync/libp2p', which the build puts in chunks
// of their own; a page whose groups all use the WebRTC mesh never downloads them.
//
// `open` returns at once with a link that is offline until the real one is there (no relay, no
// libp2p node on it, or the chunk not reachable: tried again with backoff), so a group in libp2p
// mode opens from IndexedDB like any other. Meanwhile broadcasts wait (in order) for the real link;
// peers the real link reports while it is being opened are passed on once the replica can answer them.
import type { ComponentLogger, Link, LinkHandlers, TopicAccess, Transport } from '@tailmesh/core'
import type { Libp2pTransport } from '@tailmesh/core/sync/libp2p'

export interface LazyLibp2pOptions {
  /** The relay's /healthz (its `libp2p.multiaddrs` are the bootstrap). */
  healthz: string
  /** ICE servers for WebRTC between browsers (config.ts). */
  iceServers: unknown[]
  /** Retry delays while the relay or the chunk cannot be reached (ms). */
  retryMs?: number[]
  /** Handed to the libp2p transport (Settings → Diagnostics). */
  logger?: ComponentLogger
}

interface Health {
  libp2p?: { multiaddrs?: unknown } | null
}

/** The relay's libp2p addresses a browser can dial: WebSockets, ending in the relay's peer id. */
export function browserMultiaddrs(health: Health, secure: boolean): string[] {
  const all = health.libp2p?.multiaddrs
  if (!Array.isArray(all)) return []
  return all
    .filter((a): a is string => typeof a === 'string' && /\/p2p\/[^/]+$/.test(a))
    .filter((a) => (secure ? /\/(wss|tls\/ws)\//.test(a) : /\/(ws|wss|tls\/ws)\//.test(a)))
}

const DEFAULT_RETRY_MS = [1000, 2000, 5000, 10_000, 30_000]

/** The libp2p transport this page loaded, if any (for the test hooks' status). */
let loaded: Libp2pTransport | null = null
export const loadedLibp2p = (): Libp2pTransport | null => loaded

export class LazyLibp2pTransport implements Transport {
  readonly id = 'libp2p'
  readonly kind = 'libp2p'
  readonly durable = false
  readonly sameUser = false
  private transport: Promise<Libp2pTransport> | null = null
  private closed = false
  private readonly links = new Set<LazyLink>()

  constructor(private readonly options: LazyLibp2pOptions) {}

  /** One libp2p node for every group of the page; a failed load is forgotten, to be tried again. */
  load(): Promise<Libp2pTransport> {
    this.transport ??= (async () => {
      const response = await fetch(this.options.healthz, { cache: 'no-store' })
      if (!response.ok) throw new Error(`/healthz answered ${response.status}`)
      const relays = browserMultiaddrs((await response.json()) as Health, location.protocol === 'https:')
      if (relays.length === 0) throw new Error('the relay runs no libp2p node a browser can reach')
      const { Libp2pTransport } = await import('@tailmesh/core/sync/libp2p')
      const transport = new Libp2pTransport({
        relays,
        iceServers: this.options.iceServers,
        ...(this.options.logger && { logger: this.options.logger }),
      })
      loaded = transport
      return transport
    })()
    this.transport.catch(() => {
      this.transport = null
    })
    return this.transport
  }

  open(access: TopicAccess, handlers: LinkHandlers): Promise<Link> {
    if (this.closed) return Promise.reject(new Error('This transport is closed.'))
    const link = new LazyLink(this, access, handlers, this.options.retryMs ?? DEFAULT_RETRY_MS)
    this.links.add(link)
    link.connect()
    return Promise.resolve(link)
  }

  forget(link: LazyLink): void {
    this.links.delete(link)
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await Promise.all([...this.links].map((l) => l.close()))
    const transport = await this.transport?.catch(() => null)
    await transport?.close()
  }
}

class LazyLink implements Link {
  private real: Link | null = null
  private closed = false
  private attempt = 0
  private timer: ReturnType<typeof setTimeout> | null = null
  private readonly ready: Promise<Link>
  private resolveReady!: (link: Link) => void
  private rejectReady!: (e: Error) => void

  constructor(
    private readonly owner: LazyLibp2pTransport,
    private readonly access: TopicAccess,
    private readonly handlers: LinkHandlers,
    private readonly retryMs: number[],
  ) {
    this.ready = new Promise<Link>((resolve, reject) => {
      this.resolveReady = resolve
      this.rejectReady = reject
    })
    this.ready.catch(() => undefined)
  }

  connect(): void {
    void this.attemptOpen()
  }

  private async attemptOpen(): Promise<void> {
    const joined: string[] = []
    let opening = true
    try {
      const transport = await this.owner.load()
      if (this.closed) return
      const real = await transport.open(this.access, {
        frame: (sealed, from, cursor) => this.handlers.frame(sealed, from, cursor),
        // The replica greets a peer through this link: hold the ones reported before it is ready.
        peerJoined: (peer) => (opening ? joined.push(peer) : this.handlers.peerJoined?.(peer)),
        peerLeft: (peer) => {
          const i = joined.indexOf(peer)
          if (opening && i >= 0) joined.splice(i, 1)
          else if (!opening) this.handlers.peerLeft?.(peer)
        },
        status: (online) => this.handlers.status?.(online),
        ...(this.handlers.validate ? { validate: this.handlers.validate } : {}),
      })
      if (this.closed) {
        await real.close()
        return
      }
      this.real = real
      opening = false
      this.resolveReady(real)
      for (const peer of joined) this.handlers.peerJoined?.(peer)
      this.handlers.status?.(real.online())
    } catch {
      opening = false
      if (this.closed) return
      const delay = this.retryMs[Math.min(this.attempt++, this.retryMs.length - 1)] ?? 30_000
      this.timer = setTimeout(() => {
        this.timer = null
        this.connect()
      }, delay)
    }
  }

  broadcast(sealed: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(new Error('This link is closed.'))
    if (this.real) return this.real.broadcast(sealed)
    const copy = sealed.slice()
    return this.ready.then((l) => l.broadcast(copy))
  }

  sendTo(peer: string, sealed: Uint8Array): void {
    this.real?.sendTo?.(peer, sealed)
  }

  /** Live peers only: nothing is held for a link still opening. */
  ephemeral(sealed: Uint8Array): void {
    this.real?.ephemeral?.(sealed)
  }

  peers(): string[] {
    return this.real?.peers() ?? []
  }

  online(): boolean {
    return this.real?.online() ?? false
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    if (this.timer !== null) clearTimeout(this.timer)
    this.owner.forget(this)
    this.rejectReady(new Error('This link is closed.'))
    await this.real?.close()
  }
}
