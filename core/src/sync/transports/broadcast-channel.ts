// Tabs (and workers) of one browser profile, over BroadcastChannel: one channel per topic, each link a
// peer with a random id. A small hello / here / bye exchange tells links about each other so that the
// replica can offer a newly opened tab what it holds; frames go to all, or to one peer with `to`.
// Same origin only, so it never leaves the device; frames are sealed anyway.
import { toBase64Url, randomBytes } from '../../bytes'
import { errorFields, noLogger, type ComponentLogger, type Logger } from '../../log/logger'
import type { Link, LinkHandlers, TopicAccess, Transport } from '../transport'
import { LinkClosedError } from './errors'
import { safely } from './safely'

/** The part of BroadcastChannel used here (the DOM's and Node's both have it). */
export interface BroadcastChannelLike {
  postMessage(message: unknown): void
  close(): void
  onmessage: ((ev: never) => void) | null
}

export type BroadcastChannelConstructor = new (name: string) => BroadcastChannelLike

export interface BroadcastChannelTransportOptions {
  /** Default `globalThis.BroadcastChannel` (browsers, Node 18+). */
  BroadcastChannel?: BroadcastChannelConstructor
  /** Prefix of channel names, so that two apps (or test runs) on one origin stay apart. */
  namespace?: string
  /** Transport.id (default 'tabs'). */
  id?: string
  /** Says at debug what failed quietly, as `transport:tabs`; default none. */
  logger?: ComponentLogger
}

type Message =
  | { t: 'hello' | 'here' | 'bye'; from: string; to?: string }
  | { t: 'frame'; from: string; to?: string; data: Uint8Array }

function isMessage(m: unknown): m is Message {
  if (typeof m !== 'object' || m === null) return false
  const { t, from, to, data } = m as Record<string, unknown>
  if (typeof from !== 'string' || (to !== undefined && typeof to !== 'string')) return false
  if (t === 'frame') return data instanceof Uint8Array
  return t === 'hello' || t === 'here' || t === 'bye'
}

export class BroadcastChannelTransport implements Transport {
  readonly id: string
  readonly kind = 'broadcastchannel'
  readonly durable = false
  /** Tabs of one browser are one person: what they get is not delivered to anyone else. */
  readonly sameUser = true
  private readonly links = new Set<BroadcastChannelLink>()
  private readonly ctor: BroadcastChannelConstructor
  private readonly namespace: string
  private readonly log: Logger

  constructor(options: BroadcastChannelTransportOptions = {}) {
    this.log = (options.logger ?? noLogger).forComponent('transport:tabs')
    const ctor =
      options.BroadcastChannel ??
      (globalThis as { BroadcastChannel?: BroadcastChannelConstructor }).BroadcastChannel
    if (ctor === undefined) throw new TypeError('No BroadcastChannel in this environment.')
    this.ctor = ctor
    this.namespace = options.namespace ?? 'tailmesh'
    this.id = options.id ?? 'tabs'
  }

  async open(access: TopicAccess, handlers: LinkHandlers): Promise<Link> {
    const channel = new this.ctor(`${this.namespace}/${access.topic.id}`)
    const link = new BroadcastChannelLink(channel, handlers, () => this.links.delete(link), this.log)
    this.links.add(link)
    return link
  }

  async close(): Promise<void> {
    await Promise.all([...this.links].map((l) => l.close()))
  }
}

class BroadcastChannelLink implements Link {
  private readonly id = toBase64Url(randomBytes(12))
  private readonly known = new Set<string>()
  private closed = false

  constructor(
    private readonly channel: BroadcastChannelLike,
    private readonly handlers: LinkHandlers,
    private readonly closing: () => void,
    private readonly log: Logger,
  ) {
    channel.onmessage = (ev: { data: unknown }) => this.receive(ev.data)
    this.post({ t: 'hello', from: this.id })
    // Queued so that the caller has the link in hand before its first handler call.
    queueMicrotask(() => {
      if (!this.closed) safely(() => handlers.status?.(true), log)
    })
  }

  async broadcast(sealed: Uint8Array): Promise<void> {
    if (this.closed) throw new LinkClosedError()
    this.post({ t: 'frame', from: this.id, data: sealed })
  }

  /** Other tabs are live by nature, and a channel keeps nothing: the same as a broadcast. */
  ephemeral(sealed: Uint8Array): void {
    if (!this.closed) this.post({ t: 'frame', from: this.id, data: sealed })
  }

  sendTo(peer: string, sealed: Uint8Array): void {
    if (!this.closed && this.known.has(peer)) this.post({ t: 'frame', from: this.id, to: peer, data: sealed })
  }

  peers(): string[] {
    return [...this.known]
  }

  online(): boolean {
    return !this.closed
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.post({ t: 'bye', from: this.id })
    this.closed = true
    this.known.clear()
    this.channel.onmessage = null
    this.channel.close()
    this.closing()
  }

  private post(m: Message): void {
    try {
      this.channel.postMessage(m)
    } catch (e) {
      // Only a closed channel or an uncloneable value throws; neither may escape to the caller's loop.
      console.error('tailmesh: BroadcastChannel post failed', e)
      this.log.debug('post failed', errorFields(e))
    }
  }

  private receive(m: unknown): void {
    if (this.closed || !isMessage(m) || m.from === this.id) return
    if (m.to !== undefined && m.to !== this.id) return
    switch (m.t) {
      case 'hello':
        this.post({ t: 'here', from: this.id, to: m.from })
        this.joined(m.from)
        break
      case 'here':
        this.joined(m.from)
        break
      case 'bye':
        if (this.known.delete(m.from)) safely(() => this.handlers.peerLeft?.(m.from), this.log)
        break
      case 'frame':
        // A tab opened before this one may send before its `here` arrived: learn it from the frame too.
        this.joined(m.from)
        safely(() => this.handlers.frame(m.data, m.from), this.log)
        break
    }
  }

  private joined(peer: string): void {
    if (this.known.has(peer)) return
    this.known.add(peer)
    safely(() => this.handlers.peerJoined?.(peer), this.log)
  }
}
