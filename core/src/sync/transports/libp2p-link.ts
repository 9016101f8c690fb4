// One group's link over the libp2p transport: its gossipsub topic (subscription and validator), the
// member peers it sees there, the discovery of more through the relays, and its publish queue.
// Everything the node as a whole owns (connections, the peer cap, direct streams) it asks the
// transport for, through LinkHost.
import { sign, verify } from '../../crypto/ed25519'
import { ValidationError } from '../../errors'
import type { Logger } from '../../log/logger'
import { errorFields } from '../../log/logger'
import type { Link, LinkHandlers, TopicAccess } from '../transport'
import { LinkClosedError } from './errors'
import type * as Libp2pNodeModule from './libp2p-node'
import type { ClientNode } from './libp2p-node'
import { PublishQueue } from './libp2p-publish-queue'
import type { Relay } from './libp2p-relays'
import { decodePublished, encodePublished, publishedSigningBytes, topicIdBytes } from './libp2p-wire'
import { safely } from './safely'

type Lib = typeof Libp2pNodeModule
type PeerId = ReturnType<ClientNode['getPeers']>[number]

export type FrameVerdict = 'accept' | 'reject' | 'ignore'
/** Judges a sealed frame before it is delivered or forwarded (the gate): reject = never forwarded. */
export type FrameValidator = (sealed: Uint8Array) => Promise<FrameVerdict>

/** LinkHandlers plus the gate hook; other transports ignore `validate`. */
export interface Libp2pLinkHandlers extends LinkHandlers {
  validate?: FrameValidator
}

/** What a link asks of the transport it belongs to. */
export interface LinkHost {
  readonly maxFrameBytes: number
  readonly maxPeers: number
  /** Below this many linked peers, keep asking the relays for more. */
  readonly minPeers: number
  /** How long a frame waits for a member peer before it goes to the relay alone. */
  readonly meshWaitMs: number
  /** The transport-wide gate, used when the link's handlers bring none. */
  readonly validate: FrameValidator | undefined
  relayOnline(): boolean
  isRelay(peer: string): boolean
  peerSlotsUsed(): number
  connectedRelays(): Relay[]
  askPeers(relay: Relay, topic: string): Promise<{ id: string; direct: string[] }[]>
  dialPeer(peer: string, direct: string[]): Promise<void>
  sendDirect(peer: string, topic: Uint8Array, sealed: Uint8Array): Promise<void>
  unlink(id: string, link: Libp2pLink): void
}

/** How long a peer a link dialled counts as about to be linked, for that link's next discovery round. */
const DIALLED_MS = 5000

export class Libp2pLink implements Link {
  private node: ClientNode | null = null
  private closed = false
  private reported: boolean | null = null
  private onlineSince = 0
  private readonly members = new Set<string>()
  private readonly queue: PublishQueue
  private discoverTimer: ReturnType<typeof setTimeout> | null = null
  private discoverRound = 0
  /** Peers this link dialled and when, until they are members (see discover()). */
  private readonly dialled = new Map<string, number>()
  private readonly sending = new Set<Promise<void>>()
  private validations: Promise<void> = Promise.resolve()
  private readonly topicBytes: Uint8Array

  constructor(
    private readonly transport: LinkHost,
    private readonly access: TopicAccess,
    private readonly handlers: Libp2pLinkHandlers,
    private readonly log: Logger,
    publishLog: Logger,
  ) {
    this.topicBytes = topicIdBytes(access.topic.id)
    this.queue = new PublishQueue(
      {
        ready: (since) => this.canPublish(since),
        readyIn: (since) => Math.max(since, this.onlineSince) + this.transport.meshWaitMs - Date.now(),
        sendingFirst: () => [...this.sending],
        // Asked only once ready(), which needs the node.
        publish: async (data) =>
          (await this.node!.services.pubsub.publish(this.access.topic.id, data)).recipients.length,
      },
      publishLog,
    )
  }

  start(node: ClientNode, lib: Lib): void {
    this.node = node
    const topic = this.access.topic.id
    node.services.pubsub.topicValidators.set(topic, async (_peer, message) => {
      // One validation at a time, finishing in the order they started: a small frame that arrived
      // after a large one is not delivered before it.
      const verdict = this.validations.then(() => this.validate(message.data))
      // Only the order is chained here: a failed validation reaches gossipsub through `await verdict`.
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
    // Not swallowed: the queue awaits `data` and fails the broadcast with its error. This only keeps
    // the rejection from counting as unhandled while the frame waits its turn.
    data.catch(() => undefined)
    return this.queue.push(data)
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
    if (this.discoverTimer !== null) clearTimeout(this.discoverTimer)
    this.queue.close(new LinkClosedError())
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
    this.queue.pump()
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
    this.queue.pump()
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
    const hook = this.handlers.validate ?? this.transport.validate
    if (hook === undefined) return 'accept'
    try {
      return await hook(published.sealed.slice())
    } catch (err) {
      // A hook that fails cannot vouch for the frame, nor blame its sender.
      this.log.debug('the frame validator threw; frame ignored', errorFields(err))
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
    const min = this.transport.minPeers
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

  /** A frame goes out once it can reach someone (see the top of libp2p.ts). */
  private canPublish(since: number): boolean {
    const node = this.node
    if (node === null) return false
    if (this.members.size > 0) return true
    if (!this.online()) return false
    const anyone = node.services.pubsub.getSubscribers(this.access.topic.id).length > 0
    return anyone && Date.now() - Math.max(since, this.onlineSince) >= this.transport.meshWaitMs
  }
}
