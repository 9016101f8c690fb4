// A group kept on this device: its gate and documents, their storage, and the transports that carry
// its envelopes. The one place where the network meets the gate, and the one owner of delivery:
//
//   start     restore what storage holds (no network needed to show history), take the session's
//             envelopes, then open every transport: the mailbox catches up from the last cursor this
//             device processed, peers exchange summaries and send each other what the other lacks
//             (catch-up.ts), then everything is live
//   deliver   one of this device's own envelopes: stored, sealed, handed to every link; it stays
//             pending (outbox.ts, sent again after a restart) until a durable transport acknowledged
//             it or a peer received it. The messages it carries show as pending meanwhile
//   inbound   sealed frames are opened (key-ring.ts) and decoded, and envelopes go to the gate —
//             never to a document; what the gate accepts from others is handed on to relays their
//             author does not use (relay-bridge.ts)
//   add/removeTransport   transports come and go while the group is open (a relay added to or removed
//             from the person's list): links open on every key's topic, or close
//
// Beside it: the key ring follows rotations, the owner channel reaches members who missed one
// (owner-channel.ts), and mailbox upkeep keeps cursors, seeds new relays and compacts (mailbox-upkeep.ts).

import { decodeEnvelope, envelopeId, type Envelope } from '../envelope/envelope'
import { GROUP_DOC_ID } from '../group/documents'
import { isMember } from '../group/authority-state'
import { rotationsInOrder } from '../group/keyring'
import type { Identity } from '../identity/identity'
import type { GroupKey } from '../keys/group-key'
import type { Gate } from '../gate/gate'
import { errorFields, noLogger, type Logger } from '../log/logger'
import { BlobStore } from '../blobs/blob-store'
import { BlobTransfer, type BlobLink } from '../blobs/transfer'
import { decodeSyncFrame, encodeSyncFrame, type SyncFrame } from './frames'
import { TimelineStore } from './timeline-store'
import type { Link, TopicAccess, Transport } from './transport'
import type { TransportMode } from './transport-mode'
import { answerSummary, greet, sendMissing } from './replica/catch-up'
import { KeyRing } from './replica/key-ring'
import { MailboxUpkeep, isMailbox } from './replica/mailbox-upkeep'
import { Outbox, type DeliveryResult } from './replica/outbox'
import { OwnerChannel, rotateAsOwner } from './replica/owner-channel'
import { RelayBridge, type RelayLink } from './replica/relay-bridge'
import { LinkTable, type LinkMode, type ReplicaStatus } from './replica/link-table'
import { forwardingVerdict, type ForwardingVerdict } from './replica/forwarding'
import { Delivery } from './replica/delivery'
import { ModeSwitch } from './replica/mode-switch'
import type { ReplicaEvents, ReplicaOptions } from './replica/options'

export type { DeliveryResult }
export type { ReplicaEvents, ReplicaOptions } from './replica/options'
export type { LinkMode, ReplicaStatus, TransportStatus } from './replica/link-table'

/** Frames no key of ours opens yet (sealed with a key from a rotation we have not seen): kept to retry. */
const MAX_UNOPENED = 1000
/** Arrival links kept for envelopes the gate holds aside (for the relay bridge once accepted). */
const MAX_ARRIVALS = 10_000

export class Replica {
  readonly groupId: string
  /** This group's files: kept here by content address, sent to peers and through the mailbox. */
  readonly blobs: BlobTransfer

  private readonly log: Logger
  private readonly timelineStore: TimelineStore
  private readonly outbox: Outbox
  private readonly delivery: Delivery
  private readonly modes: ModeSwitch
  private readonly upkeep: MailboxUpkeep
  private readonly bridge: RelayBridge
  private keys!: KeyRing
  private channel: OwnerChannel | null = null

  /** The transports in use (the options' at start, then as added and removed) and their links. */
  private readonly links: LinkTable

  /** Inbound frames are handled one at a time, in arrival order (cursors advance in order). */
  private inbound: Promise<void> = Promise.resolve()
  private readonly unopened: { sealed: Uint8Array; from: string | null; link: Link | null }[] = []
  /** The link each envelope the gate has not accepted yet arrived on (envelope id → link). */
  private readonly arrivals = new Map<string, Link | null>()
  /** Rotations, mode switches and the owner channel are followed one after another, in this chain. */
  private following: Promise<void> = Promise.resolve()
  private rotating = false
  private readonly offs: (() => void)[] = []
  private closed = false

  private readonly listeners: { [K in keyof ReplicaEvents]: Set<ReplicaEvents[K]> } = {
    queued: new Set(),
    delivered: new Set(),
    status: new Set(),
    compacted: new Set(),
    presence: new Set(),
    call: new Set(),
  }

  private constructor(private readonly options: ReplicaOptions) {
    const logger = options.logger ?? noLogger
    this.groupId = options.gate.groupId
    this.log = logger.forComponent('replica')
    this.links = new LinkTable(options.transports, options.modes ?? {})
    this.timelineStore = new TimelineStore(options.storage, this.groupId, logger)
    this.outbox = new Outbox(options.storage, this.groupId, logger.forComponent('replica:outbox'))
    this.delivery = new Delivery({
      outbox: this.outbox,
      links: () => this.links.all(),
      seal: (bytes) => this.seal(bytes),
      settled: async () => {
        await this.gate.idle()
        await this.timelineStore.durable()
      },
      heldAside: () => this.ownHeldAside(),
      queued: (id, carries) => this.emit('queued', id, carries),
      delivered: (id, carries) => this.emit('delivered', id, carries),
      log: logger.forComponent('replica:delivery'),
    })
    this.modes = new ModeSwitch({
      ...(options.modes?.memberLimit !== undefined && { memberLimit: options.modes.memberLimit }),
      ...(options.modes?.graceMs !== undefined && { graceMs: options.modes.graceMs }),
      open: async (mode) => {
        for (const { access } of this.keys.all())
          for (const t of this.links.transports(mode)) await this.openLink(t, access, mode)
        this.emitStatus()
      },
      leave: (mode) => {
        for (const l of this.links.take((l) => l.mode === mode)) void this.closeLink(l.link)
        this.emitStatus()
      },
    })
    this.upkeep = new MailboxUpkeep({
      groupId: this.groupId,
      storage: options.storage,
      gate: options.gate,
      durable: () => this.timelineStore.durable(),
      sealNow: (bytes) => this.keys.seal(bytes),
      compactAfter: options.compactAfter ?? 500,
      snapshotChunkBytes: options.snapshotChunkBytes ?? 200 * 1024,
      compacted: (upTo) => this.emit('compacted', upTo),
      log: logger.forComponent('replica:mailbox'),
    })
    this.bridge = new RelayBridge({
      me: () => (this.closed ? undefined : this.identity?.userId),
      authority: () => this.gate.authority(),
      mailboxes: () => this.currentMailboxes(),
      relayOf: (link) => this.links.find(link)?.transport.relay,
      seal: (bytes) => this.seal(bytes),
      log: logger.forComponent('replica:bridge'),
    })
    this.blobs = new BlobTransfer(
      new BlobStore(options.storage, this.groupId),
      { seal: (frame) => this.seal(encodeSyncFrame(frame)), links: () => this.blobLinks() },
      options.storage,
      this.groupId,
      logger,
    )
  }

  static async start(options: ReplicaOptions): Promise<Replica> {
    const replica = new Replica(options)
    replica.keys = await KeyRing.open(
      replica.groupId,
      options.key,
      options.knownKeys ?? [],
      (options.logger ?? noLogger).forComponent('replica:keys'),
    )
    await replica.restore()
    await replica.followRotations(false)
    await replica.followOwnerChannel()
    options.session?.sendTo((envelope, carries) => replica.take(envelope, carries))
    for (const { access } of replica.keys.all())
      for (const t of replica.links.transports('always')) await replica.openLink(t, access)
    await replica.followMode()
    replica.offs.push(
      options.gate.on('accepted', (e) => replica.accepted(e)),
      options.gate.on('accepted', (e) => {
        if (e.docId !== GROUP_DOC_ID) return
        replica.follow(() => replica.followRotations(true))
        replica.follow(() => replica.followMode())
        replica.follow(() => replica.followOwnerChannel())
        // After the chain, not in it: sealing waits for the chain, and the rotation's own envelope
        // must not wait for the group document handed to members who missed it.
        void replica.following.then(() => replica.rotateAfterLeave())
      }),
    )
    replica.delivery.resend()
    void replica.blobs.resume()
    return replica
  }

  get gate(): Gate {
    return this.options.gate
  }

  /** Every group key this member holds, oldest first (the first is the invite's). */
  keyring(): GroupKey[] {
    return this.keys.keys()
  }

  /**
   * Holds one more group key from now on (an invite link's, newer than any this device could open):
   * links open on its topic, and frames kept because no key opened them are tried again.
   */
  async addKey(key: GroupKey): Promise<void> {
    if (this.closed) return
    const kt = await this.keys.add(key)
    if (!kt) return
    for (const t of this.links.transports('always')) await this.openLink(t, kt.access)
    const mode = this.modes.mode
    if (mode) for (const t of this.links.transports(mode)) await this.openLink(t, kt.access, mode)
    for (const u of this.unopened.splice(0)) this.receive(u.sealed, u.from, undefined, u.link, '')
  }

  /** The transport mode the group is in now (null: no peer-to-peer networks configured). */
  transportMode(): TransportMode | null {
    return this.modes.mode
  }

  on<K extends keyof ReplicaEvents>(event: K, listener: ReplicaEvents[K]): () => void {
    this.listeners[event].add(listener)
    return () => this.listeners[event].delete(listener)
  }

  online(): boolean {
    return this.links.all().some((l) => l.link.online())
  }

  status(): ReplicaStatus {
    return this.links.status(this.modes.mode)
  }

  /** This device's envelopes not yet delivered to a durable transport or a peer. */
  pending(): Envelope[] {
    return this.outbox.pending()
  }

  isPending(id: string): boolean {
    return this.outbox.isPending(id)
  }

  /** Ids of this device's messages in `panelId` not delivered yet (pending, or held aside here). */
  pendingMessages(panelId: string): Set<string> {
    return this.delivery.pendingMessages(panelId)
  }

  /** Resolves once every verdict so far is on disk. */
  durable(): Promise<void> {
    return this.timelineStore.durable()
  }

  /**
   * Hands one of this device's envelopes (already in the gate) to every link; `carries` names the
   * messages it creates. Settles 'delivered' once it is stored here and acknowledged by a durable
   * transport or sent to a connected peer, or 'closed' if the replica closes first (it stays pending
   * on disk and goes out after the next start).
   */
  deliver(envelope: Envelope, carries: readonly string[] = []): Promise<DeliveryResult> {
    if (this.closed) return Promise.resolve('closed')
    this.take(envelope, carries)
    return this.outbox.whenDelivered(envelopeId(envelope))
  }

  /** Settles when one of this device's envelopes is delivered, or 'closed' if the replica closes first. */
  whenDelivered(envelopeId: string): Promise<DeliveryResult> {
    return this.closed ? Promise.resolve('closed') : this.outbox.whenDelivered(envelopeId)
  }

  /**
   * Sends a presence statement to the peers live now, on links that can carry a frame without
   * keeping it (Link.ephemeral: WebRTC mesh and its signaling room, tabs, libp2p direct streams);
   * never to the mailbox, never through the gate. Best effort: nothing is retried.
   */
  async sendPresence(statement: Uint8Array): Promise<void> {
    await this.sendEphemeral({ type: 'presence', bytes: statement })
  }

  /** Sends a call statement (calls/call-wire.ts) to the peers live now, the way presence goes. */
  async sendCall(statement: Uint8Array): Promise<void> {
    await this.sendEphemeral({ type: 'call', bytes: statement })
  }

  private async sendEphemeral(frame: { type: 'presence' | 'call'; bytes: Uint8Array }): Promise<void> {
    if (this.closed) return
    const sealed = await this.seal(encodeSyncFrame(frame))
    for (const { transport, link } of this.links.all()) {
      try {
        link.ephemeral?.(sealed)
      } catch (e) {
        // One link's failure does not keep the statement from the others.
        this.log.debug(`${frame.type} not sent`, { transport: transport.id, ...errorFields(e) })
      }
    }
  }

  /**
   * Starts carrying the group on one more transport: always (a relay's mailbox), or while the group
   * is in `mode` (a peer-to-peer network; only with `modes` configured). Links open on the topic of
   * every key held, and what is still pending is sent again so it reaches the new transport too.
   */
  async addTransport(transport: Transport, mode: LinkMode = 'always'): Promise<void> {
    if (this.closed || !this.links.use(transport, mode)) return
    this.emitStatus()
    if (mode !== 'always' && mode !== this.modes.mode) return
    for (const { access } of this.keys.all()) await this.openLink(transport, access, mode)
    if (mode === 'always') await this.openChannelLink(transport)
    this.delivery.resend()
  }

  /** Stops carrying the group on `transport`: its links close (the transport itself stays the caller's). */
  async removeTransport(transport: Transport): Promise<void> {
    const closing = [...this.links.drop(transport), ...(this.channel?.remove(transport) ?? [])]
    await Promise.all(closing.map((link) => this.closeLink(link)))
    this.emitStatus()
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.blobs.close()
    this.offs.forEach((off) => off())
    this.modes.close()
    for (const { link } of this.links.take(() => true)) await this.closeLink(link)
    for (const link of this.channel?.removeAll() ?? []) await this.closeLink(link)
    await this.inbound.catch((e: unknown) => this.log.debug('inbound frame failed at close', errorFields(e)))
    await this.outbox.close()
    await this.timelineStore.close()
  }

  // --- outgoing ----------------------------------------------------------------------------------

  private take(envelope: Envelope, carries: readonly string[]): void {
    if (!this.closed) this.delivery.take(envelope, carries)
  }

  /** Ids of this device's envelopes the gate holds aside. */
  private ownHeldAside(): Set<string> {
    const me = this.identity?.userId
    return new Set(
      this.gate
        .deferred()
        .filter((d) => d.envelope.author === me)
        .map((d) => envelopeId(d.envelope)),
    )
  }

  /** Seals with the current key, once any rotation already accepted has been followed. */
  private async seal(bytes: Uint8Array): Promise<Uint8Array> {
    await this.following
    return this.keys.seal(bytes)
  }

  private async sendTo(link: Link, peer: string, frame: SyncFrame): Promise<void> {
    link.sendTo?.(peer, await this.seal(encodeSyncFrame(frame)))
  }

  // --- incoming ----------------------------------------------------------------------------------

  private receive(
    sealed: Uint8Array,
    from: string | null,
    cursor: number | undefined,
    link: Link | null,
    cursorId: string,
  ): void {
    this.inbound = this.inbound.then(async () => {
      if (this.closed) return
      const opened = await this.keys.open(sealed, this.channel?.topic.key)
      if (opened === null) {
        // Maybe sealed with a key from a rotation still on its way: tried again when the keyring grows.
        this.unopened.push({ sealed, from, link })
        if (this.unopened.length > MAX_UNOPENED) this.unopened.shift()
      } else {
        try {
          await this.handle(decodeSyncFrame(opened), from, link)
        } catch (e) {
          // Damaged or hostile: a frame the gate never sees.
          this.log.debug('frame dropped', errorFields(e))
        }
      }
      if (cursor !== undefined) await this.upkeep.advance(cursorId, cursor, link, this.isCurrentTopic(link))
    })
  }

  private async handle(frame: SyncFrame, from: string | null, link: Link | null): Promise<void> {
    switch (frame.type) {
      case 'envelope':
        await this.toGate([frame.bytes], link)
        break
      case 'bundle':
        await this.toGate(frame.envelopes, link)
        break
      case 'summary':
        if (from !== null && link?.sendTo) {
          const sent = await answerSummary(this.gate, frame.docs, (f) => this.sendTo(link, from, f))
          this.sentToPeer(link, sent)
        }
        break
      case 'have':
        if (from !== null && link?.sendTo) {
          const sent = await sendMissing(this.gate, frame.docId, frame.ids, (f) => this.sendTo(link, from, f))
          this.sentToPeer(link, sent)
        }
        break
      case 'presence':
        this.emit('presence', frame.bytes)
        break
      case 'call':
        this.emit('call', frame.bytes)
        break
      case 'want':
      case 'blob':
        await this.blobs.receive(frame, from, link)
        break
    }
  }

  /**
   * Gives envelopes to the gate, remembering the link they came on: what the gate accepts from someone
   * else (now or, held aside, later) is handed on to relays its author does not use, never back there.
   */
  private async toGate(encoded: Uint8Array[], link: Link | null): Promise<void> {
    const inputs = encoded.map((bytes) => {
      try {
        const envelope = decodeEnvelope(bytes)
        this.arrivals.set(envelopeId(envelope), link)
        return envelope
      } catch {
        // The gate refuses it with the reason.
        return bytes
      }
    })
    const verdicts = await this.gate.receiveMany(inputs)
    verdicts.forEach((verdict, i) => {
      const input = inputs[i]!
      if (verdict.kind !== 'defer' && !(input instanceof Uint8Array)) this.arrivals.delete(envelopeId(input))
    })
    while (this.arrivals.size > MAX_ARRIVALS) this.arrivals.delete(this.arrivals.keys().next().value!)
  }

  /** What the gate accepted: this device's own envelopes finish their record, others are handed on. */
  private accepted(envelope: Envelope): void {
    const id = envelopeId(envelope)
    const arrivedOn = this.arrivals.get(id) ?? null
    this.arrivals.delete(id)
    if (envelope.author === this.identity?.userId) this.outbox.accepted(id)
    else if (!this.closed) this.bridge.handOn(envelope, arrivedOn)
  }

  private sentToPeer(link: Link, envelopes: Envelope[]): void {
    const transport = this.links.find(link)?.transport
    if (transport) this.delivery.sentToPeer(transport, envelopes)
  }

  /** For transports that forward (gossipsub): whether a frame may be passed on (forwarding.ts). */
  private async validate(sealed: Uint8Array): Promise<ForwardingVerdict> {
    return forwardingVerdict(this.gate, await this.keys.open(sealed, this.channel?.topic.key))
  }

  // --- links -------------------------------------------------------------------------------------

  private async openLink(
    transport: Transport,
    access: TopicAccess,
    mode: LinkMode = 'always',
  ): Promise<void> {
    const topicId = access.topic.id
    if (!this.links.claim(transport, topicId)) return
    const cursorId = `${transport.id}/${topicId}`
    const resumeAfter = await this.upkeep.resumeAfter(cursorId)
    let link: Link | null = null
    const pendingPeers: string[] = []
    try {
      link = await transport.open(
        access,
        {
          frame: (sealed, from, cursor) => {
            this.links.countFrame(transport)
            this.receive(sealed, from, cursor, link, cursorId)
          },
          peerJoined: (peer) => {
            if (link) void this.greet(link, peer)
            else pendingPeers.push(peer)
            this.emitStatus()
          },
          peerLeft: () => this.emitStatus(),
          status: (online) => {
            this.emitStatus()
            if (online && link) void this.seed(link, topicId)
          },
          validate: (sealed) => this.validate(sealed),
        },
        resumeAfter,
      )
    } catch (e) {
      // One transport that cannot start (no WebSocket here, a broken adapter) must not keep the group
      // from opening over the others; it stays unused for this topic.
      this.log.debug('link not opened', { transport: transport.id, ...errorFields(e) })
      this.links.release(transport, topicId)
      return
    }
    if (this.closed || !this.links.uses(transport)) {
      // Removed (or the replica closed) while the link opened.
      await this.closeLink(link)
      return
    }
    this.links.add({ transport, link, topicId, mode })
    this.emitStatus()
    for (const peer of pendingPeers) void this.greet(link, peer)
  }

  private async openChannelLink(transport: Transport): Promise<void> {
    const channel = this.channel
    if (!channel) return
    const cursorId = `${transport.id}/channel`
    const resumeAfter = await this.upkeep.resumeAfter(cursorId)
    let link: Link | null = null
    try {
      link = await transport.open(
        channel.topic.access,
        { frame: (sealed, from, cursor) => this.receive(sealed, from, cursor, link, cursorId) },
        resumeAfter,
      )
    } catch (e) {
      this.log.debug('owner channel not opened', { transport: transport.id, ...errorFields(e) })
      return
    }
    if (this.closed || !this.links.transports('always').includes(transport)) await this.closeLink(link)
    else channel.add(transport, link)
  }

  private closeLink(link: Link): Promise<void> {
    return link.close().catch((e: unknown) => this.log.debug('link did not close cleanly', errorFields(e)))
  }

  private async greet(link: Link, peer: string): Promise<void> {
    try {
      await greet(this.gate, (frame) => this.sendTo(link, peer, frame))
      await this.blobs.peerJoined(link, peer)
    } catch (e) {
      this.log.debug('greeting failed', errorFields(e))
    }
  }

  /** A relay that has never held the current topic gets the history this member holds, once. */
  private async seed(link: Link, topicId: string): Promise<void> {
    const me = this.identity?.userId
    if (this.closed || !me || !isMember(this.gate.authority(), me)) return
    await this.following
    if (this.keys.isCurrent(topicId)) await this.upkeep.seed(link)
  }

  /** The links files travel on: peers' and the mailbox's (new entries only on the newest key's topic). */
  private blobLinks(): BlobLink[] {
    return this.links.all().map((l) => ({
      link: l.link,
      mailbox: isMailbox(l.link),
      current: this.keys.isCurrent(l.topicId),
    }))
  }

  /** The relay mailbox links on the current key's topic. */
  private currentMailboxes(): RelayLink[] {
    const out: RelayLink[] = []
    for (const l of this.links.all())
      if (this.keys.isCurrent(l.topicId) && isMailbox(l.link) && l.transport.relay !== undefined)
        out.push({ link: l.link, relay: l.transport.relay })
    return out
  }

  private isCurrentTopic(link: Link | null): boolean {
    const open = this.links.find(link)
    return open !== undefined && this.keys.isCurrent(open.topicId)
  }

  // --- following the group document ----------------------------------------------------------------

  /** Whose keyring and relays these are: the options' identity, else the session's. */
  private get identity(): Identity | undefined {
    return this.options.identity ?? this.options.session?.identity
  }

  private follow(step: () => Promise<void>): void {
    this.following = this.following
      .then(step)
      .catch((e: unknown) => this.log.debug('group change not followed', errorFields(e)))
  }

  /**
   * Follows the group's key rotations: each new key this member can open gets its own topic on every
   * transport and becomes the key new frames are sealed with; frames no key opened are tried again.
   * The rotator also hands the whole history, sealed with the new key, to the new mailbox topic:
   * someone invited from now on holds only the new key.
   */
  private async followRotations(openLinks: boolean): Promise<void> {
    const identity = this.identity
    if (!identity || this.closed) return
    const added = await this.keys.follow(this.gate.authority(), identity)
    if (!added.length) return
    if (openLinks)
      for (const kt of added) {
        for (const t of this.links.transports('always')) await this.openLink(t, kt.access)
        const mode = this.modes.mode
        if (mode) for (const t of this.links.transports(mode)) await this.openLink(t, kt.access, mode)
      }
    for (const u of this.unopened.splice(0)) this.receive(u.sealed, u.from, undefined, u.link, '')
    const newest = rotationsInOrder(this.gate.authority()).pop()
    if (openLinks && newest?.[1].by === identity.userId)
      await this.upkeep.handHistoryOn(this.currentMailboxes().map((l) => l.link))
  }

  /** A member (not the owner) listens on their channel with the owner, from their box key and the owner's. */
  private async followOwnerChannel(): Promise<void> {
    const identity = this.identity
    if (!identity || this.channel || this.closed) return
    this.channel = await OwnerChannel.of(this.groupId, identity, this.gate.authority(), this.log)
    for (const t of this.links.transports('always')) await this.openChannelLink(t)
  }

  /** The peer-to-peer network the group's size or config calls for (only with `modes` configured). */
  private async followMode(): Promise<void> {
    if (this.options.modes && !this.closed) await this.modes.follow(this.gate.authority())
  }

  /** The owner's client rotates the key when someone left or missed a rotation (owner-channel.ts). */
  private async rotateAfterLeave(): Promise<void> {
    const session = this.options.session
    if (!session || this.rotating || this.closed) return
    this.rotating = true
    try {
      await rotateAsOwner(session, this.links.transports('always'), this.log)
    } finally {
      this.rotating = false
    }
  }

  // --- start -------------------------------------------------------------------------------------

  private async restore(): Promise<void> {
    const stored = await this.timelineStore.load()
    await this.gate.restore(stored)
    this.offs.push(this.timelineStore.watch(this.gate))
    // What the gate decided before this replica existed (a new group's genesis) is kept too.
    const storedIds = new Set(stored.map((s) => envelopeId(s.envelope)))
    for (const e of this.gate.accepted()) if (!storedIds.has(envelopeId(e))) this.timelineStore.keep(e, true)
    for (const { envelope } of this.gate.deferred())
      if (!storedIds.has(envelopeId(envelope))) this.timelineStore.keep(envelope, false)
    const byId = new Map(stored.map((s) => [envelopeId(s.envelope), s.envelope]))
    await this.outbox.restore(byId, this.ownHeldAside())
    await this.upkeep.restore()
  }

  private emitStatus(): void {
    if (this.listeners.status.size === 0) return
    this.emit('status', this.status())
  }

  private emit<K extends keyof ReplicaEvents>(event: K, ...args: Parameters<ReplicaEvents[K]>): void {
    for (const l of this.listeners[event]) {
      try {
        ;(l as (...a: Parameters<ReplicaEvents[K]>) => void)(...args)
      } catch (e) {
        // A listener's failure is its own.
        this.log.debug(`a ${event} listener threw`, errorFields(e))
      }
    }
  }
}
