// A group kept on this device: its gate and documents, their storage, and the transports that carry
// its envelopes. The one place where the network meets the gate:
//
//   start     restore what storage holds (no network needed to show history), then open every
//             transport: the mailbox catches up from the last cursor this device processed, peers
//             exchange summaries and send each other what the other lacks, then everything is live
//   deliver   one of this device's own envelopes: stored, sealed, handed to every transport; it stays
//             pending (and is sent again after a restart) until the mailbox acknowledged it durably or
//             a peer received it
//   inbound   sealed frames are opened and decoded, and envelopes go to the gate — never to a document
//   add/removeTransport   transports come and go while the group is open (a relay added to or removed
//             from the person's list): links open on every key's topic, or close
//
// The mailbox is compacted now and then: a member uploads a sealed bundle of every envelope it holds
// up to a cursor, and the relay drops the entries the bundle stands for.

import { decodeEnvelope, encodeEnvelope, envelopeId, type Envelope } from '../envelope/envelope'
import { openSealedEnvelope, sealEnvelope } from '../envelope/seal'
import { GROUP_DOC_ID } from '../group/documents'
import { isMember, type AuthorityState } from '../group/authority-state'
import { relayKeepers } from '../group/member-relays'
import {
  leftSinceRotation,
  missedRotation,
  openKeyring,
  rotateGroupKey,
  rotationsInOrder,
} from '../group/keyring'
import { newId } from '../group/operations'
import type { Identity } from '../identity/identity'
import type { UserId } from '../identity/user-id'
import { hkdf } from '../crypto/hash'
import { fromBase64Url, utf8, toBase64Url } from '../bytes'
import { ALREADY_SEEN, type Gate } from '../gate/gate'
import type { GroupSession } from '../group/session'
import type { GroupKey } from '../keys/group-key'
import { deriveTopic } from '../keys/topic'
import type { StorageAdapter } from '../storage/storage'
import { decodeSyncFrame, encodeSyncFrame, SHORT_ID_BYTES, type DocSummary, type SyncFrame } from './frames'
import { TimelineStore } from './timeline-store'
import { ownerChannelKey } from './owner-channel'
import type { Link, TopicAccess, Transport } from './transport'
import { transportMode, type TransportMode } from './transport-mode'
import type { MailboxLink } from './transports/mailbox'
import { BlobStore } from '../blobs/blob-store'
import { BlobTransfer, type BlobLink } from '../blobs/transfer'

export interface ReplicaOptions {
  gate: Gate
  /**
   * The member's session: its envelopes are delivered through this replica from now on (unless
   * `takeSend` is false: the caller then hands them to `deliver` itself), and it rotates the group
   * key after a leave when this member is the owner.
   */
  session?: GroupSession
  /** Whether the replica becomes the session's `send` (default true). */
  takeSend?: boolean
  /** Whose keyring this is (default: the session's identity); without one, no key rotation is followed. */
  identity?: Identity
  /** The group key from the invite link (or creation); rotations recorded in the group add newer ones. */
  key: GroupKey
  /**
   * Later keys this device was handed otherwise, oldest first: a newly linked device gets its user's
   * keyring at pairing, since rotations before it was recorded were wrapped for other box keys.
   */
  knownKeys?: GroupKey[]
  storage: StorageAdapter
  /** Always open: the mailbox, tabs of this browser (more come and go: addTransport, removeTransport). */
  transports: Transport[]
  /**
   * Peer-to-peer networks chosen by the group's size or config (transport-mode.ts): only the one in
   * use is open; on a switch both run for `graceMs` (the gate drops what arrives twice).
   */
  modes?: { mesh?: Transport[]; libp2p?: Transport[]; memberLimit?: number; graceMs?: number }
  /** Mailbox entries processed since the last snapshot before this replica offers one (0: never). */
  compactAfter?: number
  /** Largest sealed snapshot uploaded (the relay's frame limit is 256 KiB). */
  maxSnapshotBytes?: number
}

export interface ReplicaEvents {
  /** One of this device's envelopes reached the mailbox or a peer. */
  delivered: (envelopeId: string) => void
  /** Whether any transport is connected. */
  status: (online: boolean) => void
  /** This replica uploaded a mailbox snapshot standing for every entry up to `upTo`. */
  compacted: (upTo: number) => void
  /** A presence statement from a live peer (presence.ts checks it): never stored, never gated. */
  presence: (statement: Uint8Array) => void
}

const OUTBOX_KEY = 'outbox'
const cursorKey = (kind: string) => `cursor/${kind}`

interface OpenLink {
  transport: Transport
  link: Link
  /** The topic (of one group key) this link carries. */
  topicId: string
  /** Opened for a transport mode (closed when the group leaves it), or always. */
  mode: TransportMode | 'always'
}

/** A group key and where its traffic goes: the mailbox topic and the peers' rooms derive from it. */
interface KeyTopic {
  key: GroupKey
  access: TopicAccess
}

async function keyTopic(groupId: string, key: GroupKey): Promise<KeyTopic> {
  return {
    key,
    access: {
      topic: await deriveTopic(groupId, key),
      secret: await hkdf(key.raw, utf8(groupId), 'tailmesh/transport-secret/v1', 32),
    },
  }
}

/** Frames no key of ours opens yet (sealed with a key from a rotation we have not seen): kept to retry. */
const MAX_UNOPENED = 1000

export class Replica {
  readonly groupId: string
  private readonly timelineStore: TimelineStore
  private readonly links: OpenLink[] = []
  private readonly outbox = new Map<string, Envelope>()
  private readonly listeners: { [K in keyof ReplicaEvents]: Set<ReplicaEvents[K]> } = {
    delivered: new Set(),
    status: new Set(),
    compacted: new Set(),
    presence: new Set(),
  }
  /** Inbound frames are handled one at a time, in arrival order (cursors advance in order). */
  private inbound: Promise<void> = Promise.resolve()
  private readonly cursors = new Map<string, number>()
  private sinceSnapshot = 0
  private compacting = false
  private unwatch: () => void = () => {}
  private closed = false

  /** Oldest first: the key from the invite link, then every rotation this member can open. */
  private readonly keys: KeyTopic[] = []
  private readonly unopened: { sealed: Uint8Array; from: string | null; link: Link | null }[] = []
  private keyringRefresh: Promise<void> = Promise.resolve()

  /** This group's files: kept here by content address, sent to peers and through the mailbox. */
  readonly blobs: BlobTransfer

  /** The transports in use now: the options' at start, then as added and removed. */
  private readonly always: Transport[]
  private readonly byMode: Record<TransportMode, Transport[]>
  /** Topics each transport has a link for or is opening one: never two links for one topic. */
  private readonly carried = new Map<Transport, Set<string>>()

  private constructor(private readonly options: ReplicaOptions) {
    this.groupId = options.gate.groupId
    this.always = [...options.transports]
    this.byMode = { mesh: [...(options.modes?.mesh ?? [])], libp2p: [...(options.modes?.libp2p ?? [])] }
    this.timelineStore = new TimelineStore(options.storage, this.groupId)
    this.blobs = new BlobTransfer(
      new BlobStore(options.storage, this.groupId),
      { seal: (frame) => this.seal(encodeSyncFrame(frame)), links: () => this.blobLinks() },
      options.storage,
      this.groupId,
    )
  }

  /** The links files travel on: peers' and the mailbox's (new entries only on the newest key's topic). */
  private blobLinks(): BlobLink[] {
    return this.links.map((l) => ({
      link: l.link,
      mailbox: isMailbox(l.link),
      current: l.topicId === this.current.access.topic.id,
    }))
  }

  static async start(options: ReplicaOptions): Promise<Replica> {
    const replica = new Replica(options)
    replica.keys.push(await keyTopic(replica.groupId, options.key))
    for (const key of options.knownKeys ?? []) replica.keys.push(await keyTopic(replica.groupId, key))
    await replica.restore()
    await replica.refreshKeyring(false)
    await replica.followOwnerChannel()
    if (options.session && options.takeSend !== false) options.session.send = (e) => void replica.deliver(e)
    for (const { access } of replica.keys) for (const t of replica.always) await replica.openLink(t, access)
    await replica.followMode()
    options.gate.on('accepted', (e) => replica.bridge(e))
    options.gate.on('accepted', (e) => {
      if (e.docId !== GROUP_DOC_ID) return
      replica.keyringRefresh = replica.keyringRefresh.then(() => replica.refreshKeyring(true))
      replica.keyringRefresh = replica.keyringRefresh.then(() => replica.followMode())
      replica.keyringRefresh = replica.keyringRefresh.then(() => replica.followOwnerChannel())
      void replica.keyringRefresh.then(() => replica.rotateAfterLeave())
    })
    await replica.resendOutbox()
    void replica.blobs.resume()
    return replica
  }

  /** Every group key this member holds, oldest first (the first is the invite's). */
  keyring(): GroupKey[] {
    return this.keys.map((k) => k.key)
  }

  /** The key new frames are sealed with: the newest this member holds. */
  private get current(): KeyTopic {
    return this.keys[this.keys.length - 1]!
  }

  /** Seals with the current key, once any rotation already accepted has been followed. */
  private async seal(bytes: Uint8Array): Promise<Uint8Array> {
    await this.keyringRefresh
    return sealEnvelope(this.current.key, bytes)
  }

  /** Opens with the newest key that fits (a removed member's old keys open nothing sent later). */
  private async open(sealed: Uint8Array): Promise<Uint8Array | null> {
    for (const { key } of [...this.keys].reverse().concat(this.channel ? [this.channel.topic] : [])) {
      try {
        return await openSealedEnvelope(key, sealed)
      } catch {
        // Not this key.
      }
    }
    return null
  }

  /** Whose keyring and relays these are: the options' identity, else the session's. */
  private get identity(): Identity | undefined {
    return this.options.identity ?? this.options.session?.identity
  }

  /** This member's pairwise channel with the owner (owner-channel.ts), once it is open. */
  private channel: { topic: KeyTopic; links: { transport: Transport; link: Link }[] } | null = null

  /** A member (not the owner) listens on their channel with the owner, from their box key and the owner's. */
  private async followOwnerChannel(): Promise<void> {
    const identity = this.identity
    if (!identity || identity.device || this.channel || this.closed) return
    const state = this.gate.authority()
    const owner = state.info?.owner
    const ownerBox = owner === undefined ? undefined : state.members.get(owner)?.box
    if (!ownerBox || owner === identity.userId || !isMember(state, identity.userId)) return
    let box
    try {
      box = await identity.boxKeys()
    } catch {
      return
    }
    const key = await ownerChannelKey(this.groupId, identity.userId, box, fromBase64Url(ownerBox))
    this.channel = { topic: await keyTopic(this.groupId, key), links: [] }
    for (const t of this.always) await this.openChannelLink(t)
  }

  private async openChannelLink(t: Transport): Promise<void> {
    const channel = this.channel
    if (!channel) return
    const cursorId = `${t.kind}/channel`
    const resumeAfter = await this.storedCursor(cursorId)
    let link: Link | null = null
    try {
      link = await t.open(
        channel.topic.access,
        { frame: (sealed, from, cursor) => this.receive(sealed, from, cursor, link, cursorId) },
        resumeAfter,
      )
    } catch {
      // As for any topic: a transport that cannot open stays unused.
      return
    }
    // Removed (or the replica closed) while it opened.
    if (this.closed || !this.always.includes(t)) await link.close().catch(() => undefined)
    else channel.links.push({ transport: t, link })
  }

  /**
   * The owner sends the group document to members who joined with a link older than the newest key,
   * on each one's channel: with it comes the rotation that wraps the newest key for them.
   */
  private async reachMissedMembers(members: UserId[]): Promise<void> {
    const identity = this.options.session?.identity
    if (!identity || members.length === 0) return
    const box = await identity.boxKeys()
    await this.gate.idle()
    const groupDoc = [...this.gate.accepted()].filter((e) => e.docId === GROUP_DOC_ID).map(encodeEnvelope)
    const state = this.gate.authority()
    for (const member of members) {
      const theirs = state.members.get(member)?.box
      if (!theirs) continue
      const key = await ownerChannelKey(this.groupId, member, box, fromBase64Url(theirs))
      const { access } = await keyTopic(this.groupId, key)
      const sealed = await sealEnvelope(key, encodeSyncFrame({ type: 'bundle', envelopes: groupDoc }))
      for (const t of this.always) {
        try {
          const link = await t.open(access, { frame: () => undefined })
          await link.broadcast(sealed).catch(() => undefined)
          await link.close()
        } catch {
          // This transport cannot reach the relay now: the member waits for the next rotation.
        }
      }
    }
  }

  /**
   * Follows the group's key rotations: each new key this member can open gets its own topic on
   * every transport, and becomes the key new frames are sealed with. Frames that no key opened are
   * tried again. The rotator also hands the whole history, sealed with the new key, to the new
   * mailbox topic: someone invited from now on holds only the new key.
   */
  private async refreshKeyring(openLinks: boolean): Promise<void> {
    const identity = this.identity
    if (!identity || this.closed) return
    const state = this.gate.authority()
    if (state.rotations.size === 0) return
    let box
    try {
      box = await identity.boxKeys()
    } catch {
      return
    }
    const ring = await openKeyring(
      state,
      this.groupId,
      identity.userId,
      box,
      this.options.key,
      identity.deviceId,
    )
    const known = new Set(this.keys.map((k) => toBase64Url(k.key.raw)))
    const added: KeyTopic[] = []
    for (const entry of ring.keys) {
      if (known.has(toBase64Url(entry.key.raw))) continue
      const kt = await keyTopic(this.groupId, entry.key)
      this.keys.push(kt)
      added.push(kt)
    }
    if (!added.length) return
    if (openLinks)
      for (const kt of added) {
        for (const t of this.always) await this.openLink(t, kt.access)
        if (this.mode)
          for (const t of this.modeTransports(this.mode)) await this.openLink(t, kt.access, this.mode)
      }
    for (const u of this.unopened.splice(0)) this.receive(u.sealed, u.from, undefined, u.link, '')
    const newest = rotationsInOrder(state).pop()
    if (openLinks && newest?.[1].by === identity.userId)
      await this.handHistoryOn(this.currentMailboxes().map((l) => l.link))
  }

  private mode: TransportMode | null = null

  /** The transport mode the group is in now (null: no peer-to-peer networks configured). */
  transportMode(): TransportMode | null {
    return this.mode
  }

  /** Kinds of the transports with an open link, for status displays and tests. */
  openTransports(): string[] {
    return [...new Set(this.links.map((l) => l.transport.kind))]
  }

  private modeTransports(mode: TransportMode): Transport[] {
    return this.byMode[mode]
  }

  /**
   * Starts carrying the group on one more transport: always (a relay's mailbox), or while the group
   * is in `mode` (a peer-to-peer network; only with `modes` configured). Links open on the topic of
   * every key held, and what is still pending is sent again so it reaches the new transport too.
   */
  async addTransport(transport: Transport, mode: TransportMode | 'always' = 'always'): Promise<void> {
    const list = mode === 'always' ? this.always : this.byMode[mode]
    if (this.closed || list.includes(transport)) return
    list.push(transport)
    if (mode !== 'always' && mode !== this.mode) return
    for (const { access } of this.keys) await this.openLink(transport, access, mode)
    if (mode === 'always') await this.openChannelLink(transport)
    if (this.outbox.size) await this.resendOutbox()
  }

  /** Stops carrying the group on `transport`: its links close (the transport itself stays the caller's). */
  async removeTransport(transport: Transport): Promise<void> {
    for (const list of this.transportLists()) {
      const i = list.indexOf(transport)
      if (i >= 0) list.splice(i, 1)
    }
    this.carried.delete(transport)
    const closing: Link[] = []
    for (let i = this.links.length - 1; i >= 0; i--)
      if (this.links[i]!.transport === transport) closing.push(...this.links.splice(i, 1).map((l) => l.link))
    if (this.channel) {
      const kept = this.channel.links.filter((l) => l.transport !== transport)
      closing.push(...this.channel.links.filter((l) => l.transport === transport).map((l) => l.link))
      this.channel.links = kept
    }
    await Promise.all(closing.map((link) => link.close().catch(() => undefined)))
    this.emit('status', this.online())
  }

  /** Whether `transport` is still one this replica uses (it may have been removed while a link opened). */
  private uses(transport: Transport): boolean {
    return this.transportLists().some((l) => l.includes(transport))
  }

  private transportLists(): Transport[][] {
    return [this.always, this.byMode.mesh, this.byMode.libp2p]
  }

  /**
   * Opens the peer-to-peer network the group's size or config calls for; the one it leaves keeps
   * running for a grace period, so nothing sent during the switch is lost.
   */
  private async followMode(): Promise<void> {
    const modes = this.options.modes
    if (!modes || this.closed) return
    const next = transportMode(this.gate.authority(), modes.memberLimit)
    if (next === this.mode) return
    const previous = this.mode
    this.mode = next
    for (const { access } of this.keys)
      for (const t of this.modeTransports(next)) await this.openLink(t, access, next)
    if (previous === null) return
    const leaving = this.links.filter((l) => l.mode === previous)
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      if (this.mode === previous) return
      for (const l of leaving) {
        const i = this.links.indexOf(l)
        if (i >= 0) this.links.splice(i, 1)
        this.carried.get(l.transport)?.delete(l.topicId)
        void l.link.close().catch(() => undefined)
      }
    }, modes.graceMs ?? 30_000)
    this.timers.add(timer)
  }

  private readonly timers = new Set<ReturnType<typeof setTimeout>>()

  /**
   * Someone who held the newest key left (a kick or ban is followed by the moderator's own rotation;
   * a leaver cannot rotate), or a member joined with a link older than the newest key (keyring.ts,
   * missedRotation): the owner's client rotates, so that one member does it rather than every
   * remaining one. While the owner is offline the group keeps the old key.
   */
  private async rotateAfterLeave(): Promise<void> {
    const session = this.options.session
    if (!session || this.rotating || this.closed) return
    const state = this.gate.authority()
    const missed = missedRotation(state)
    if (state.info?.owner !== session.userId || !(leftSinceRotation(state) || missed.length > 0)) return
    this.rotating = true
    try {
      await rotateGroupKey(session, newId)
      await this.reachMissedMembers(missed)
    } catch {
      // No box key published, or not a member any more: nothing this client can do.
    } finally {
      this.rotating = false
    }
  }

  private rotating = false

  /** The mailbox links on the current key's topic. */
  private currentMailboxes(): OpenLink[] {
    return this.links.filter((l) => l.topicId === this.current.access.topic.id && isMailbox(l.link))
  }

  /** The whole history, sealed with the current key, appended to mailbox topics (`mailboxes`) of that key. */
  private async handHistoryOn(mailboxes: Link[]): Promise<void> {
    const envelopes = [...this.gate.accepted(), ...this.gate.deferred().map((d) => d.envelope)].map(
      encodeEnvelope,
    )
    let chunk: Uint8Array[] = []
    let size = 0
    const flush = async () => {
      if (!chunk.length) return
      // Inside the keyring refresh itself: seal directly (seal() would wait for this very refresh).
      const sealed = await sealEnvelope(
        this.current.key,
        encodeSyncFrame({ type: 'bundle', envelopes: chunk }),
      )
      for (const link of mailboxes) await link.broadcast(sealed).catch(() => undefined)
      chunk = []
      size = 0
    }
    for (const bytes of envelopes) {
      if (size + bytes.length > 150 * 1024) await flush()
      chunk.push(bytes)
      size += bytes.length
    }
    await flush()
  }

  get gate(): Gate {
    return this.options.gate
  }

  on<K extends keyof ReplicaEvents>(event: K, listener: ReplicaEvents[K]): () => void {
    this.listeners[event].add(listener)
    return () => this.listeners[event].delete(listener)
  }

  online(): boolean {
    return this.links.some((l) => l.link.online())
  }

  /** This device's envelopes not yet delivered to the mailbox or a peer. */
  pending(): Envelope[] {
    return [...this.outbox.values()]
  }

  isPending(id: string): boolean {
    return this.outbox.has(id)
  }

  /** Resolves once every verdict so far is on disk. */
  durable(): Promise<void> {
    return this.timelineStore.durable()
  }

  /**
   * Hands one of this device's envelopes (already in the gate) to every transport. Resolves when it
   * is delivered: stored here, and acknowledged by the mailbox or sent to a connected peer.
   */
  /**
   * Sends a presence statement to the peers live now, on links that can carry a frame without
   * keeping it (Link.ephemeral: WebRTC mesh and its signaling room, tabs, libp2p direct streams);
   * never to the mailbox, never through the gate. Best effort: nothing is retried.
   */
  async sendPresence(statement: Uint8Array): Promise<void> {
    if (this.closed) return
    const sealed = await this.seal(encodeSyncFrame({ type: 'presence', bytes: statement }))
    for (const { link } of this.links) {
      try {
        link.ephemeral?.(sealed)
      } catch {
        // One link's failure does not keep the statement from the others.
      }
    }
  }

  async deliver(envelope: Envelope): Promise<void> {
    const id = envelopeId(envelope)
    this.outbox.set(id, envelope)
    const kept = this.saveOutbox()
    const sealed = await this.seal(encodeSyncFrame({ type: 'envelope', bytes: encodeEnvelope(envelope) }))
    await new Promise<void>((resolve) => {
      let done = false
      const delivered = () => {
        if (done) return
        done = true
        resolve()
      }
      for (const { transport, link } of this.links) {
        const direct = reachesOthers(transport) && link.peers().length > 0 && link.sendTo !== undefined
        link.broadcast(sealed).then(
          () => {
            if (direct || isMailbox(link)) delivered()
          },
          () => undefined,
        )
      }
      // With no transport at all there is nobody to deliver to: it stays pending.
    })
    await kept
    // Its verdict (made after it was sent) must be on disk before it counts as delivered here.
    await this.gate.idle()
    await this.timelineStore.durable()
    this.markDelivered(id)
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.blobs.close()
    this.unwatch()
    for (const t of this.timers) clearTimeout(t)
    for (const { link } of this.links) await link.close().catch(() => undefined)
    for (const { link } of this.channel?.links ?? []) await link.close().catch(() => undefined)
    await this.inbound.catch(() => undefined)
    await this.timelineStore.close()
  }

  // --- start --------------------------------------------------------------------------------

  private async restore(): Promise<void> {
    const stored = await this.timelineStore.load()
    await this.gate.restore(stored)
    this.unwatch = this.timelineStore.watch(this.gate)
    // What the gate decided before this replica existed (a new group's genesis) is kept too.
    const storedIds = new Set(stored.map((s) => envelopeId(s.envelope)))
    for (const e of this.gate.accepted()) if (!storedIds.has(envelopeId(e))) this.timelineStore.keep(e, true)
    for (const { envelope } of this.gate.deferred())
      if (!storedIds.has(envelopeId(envelope))) this.timelineStore.keep(envelope, false)
    const outbox = await this.options.storage.get(this.groupId, OUTBOX_KEY)
    if (outbox) {
      const ids = new Set(new TextDecoder().decode(outbox).split('\n').filter(Boolean))
      for (const { envelope } of stored)
        if (ids.has(envelopeId(envelope))) this.outbox.set(envelopeId(envelope), envelope)
    }
    const snapshotCount = await this.options.storage.get(this.groupId, 'since-snapshot')
    this.sinceSnapshot = snapshotCount ? Number(new TextDecoder().decode(snapshotCount)) || 0 : 0
  }

  private async openLink(
    transport: Transport,
    access: TopicAccess,
    mode: TransportMode | 'always' = 'always',
  ): Promise<void> {
    const topicId = access.topic.id
    const topics = this.carried.get(transport) ?? new Set<string>()
    if (topics.has(topicId)) return
    topics.add(topicId)
    this.carried.set(transport, topics)
    // The first key's cursor kept its old name: devices that synced before rotations resume as is.
    const cursorId =
      topicId === this.keys[0]!.access.topic.id ? transport.kind : `${transport.kind}/${topicId}`
    const resumeAfter = await this.storedCursor(cursorId)
    this.cursors.set(cursorId, resumeAfter)
    let link: Link | null = null
    const pendingPeers: string[] = []
    try {
      link = await transport.open(
        access,
        {
          frame: (sealed, from, cursor) => this.receive(sealed, from, cursor, link, cursorId),
          peerJoined: (peer) => {
            if (link) void this.greet(link, peer)
            else pendingPeers.push(peer)
          },
          status: (online) => {
            this.emit('status', this.online())
            if (online && link) void this.seed(link, topicId)
          },
          validate: (sealed) => this.validate(sealed),
        },
        resumeAfter,
      )
    } catch {
      // One transport that cannot start (no WebSocket here, a broken adapter) must not keep the group
      // from opening over the others; it stays unused for this topic.
      topics.delete(topicId)
      return
    }
    if (this.closed || !this.uses(transport)) {
      // Removed (or the replica closed) while the link opened.
      await link.close().catch(() => undefined)
      return
    }
    this.links.push({ transport, link, topicId, mode })
    for (const peer of pendingPeers) void this.greet(link, peer)
  }

  private readonly seeded = new WeakSet<Link>()

  /**
   * A relay that has never held this group's current topic (someone just added it, or it is new)
   * gets the history this member holds, once: whoever reaches the group only through that relay finds
   * it there, with no other member online.
   */
  private async seed(link: Link, topicId: string): Promise<void> {
    if (!isMailbox(link) || link.headAtSubscribe() !== 0 || this.seeded.has(link) || this.closed) return
    const identity = this.identity
    if (!identity || !isMember(this.gate.authority(), identity.userId)) return
    this.seeded.add(link)
    await this.keyringRefresh
    if (topicId === this.current.access.topic.id) await this.handHistoryOn([link])
  }

  private async resendOutbox(): Promise<void> {
    for (const envelope of [...this.outbox.values()]) void this.deliver(envelope)
  }

  // --- inbound ------------------------------------------------------------------------------

  private receive(
    sealed: Uint8Array,
    from: string | null,
    cursor: number | undefined,
    link: Link | null,
    cursorId: string,
  ): void {
    this.inbound = this.inbound.then(async () => {
      if (this.closed) return
      const opened = await this.open(sealed)
      if (opened === null) {
        // Maybe sealed with a key from a rotation still on its way: tried again when the keyring grows.
        this.unopened.push({ sealed, from, link })
        if (this.unopened.length > MAX_UNOPENED) this.unopened.shift()
      } else {
        try {
          await this.handle(decodeSyncFrame(opened), from, link)
        } catch {
          // Damaged or hostile: a frame the gate never sees. Nothing else to do.
        }
      }
      if (cursor !== undefined) await this.advance(cursorId, cursor, link)
    })
  }

  private async handle(frame: SyncFrame, from: string | null, link: Link | null): Promise<void> {
    switch (frame.type) {
      case 'envelope':
      case 'bundle':
        // Frames are handled one at a time (the inbound chain): what the gate accepts meanwhile
        // arrived on `link`, which `bridge` does not hand it back to.
        this.arrivedOn = link
        try {
          if (frame.type === 'envelope') await this.gate.receive(frame.bytes)
          else await this.gate.receiveMany(frame.envelopes)
        } finally {
          this.arrivedOn = null
        }
        break
      case 'summary':
        if (from !== null && link?.sendTo) await this.answerSummary(link, from, frame.docs)
        break
      case 'presence':
        this.emit('presence', frame.bytes)
        break
      case 'have':
        if (from !== null && link?.sendTo) await this.sendMissing(link, from, frame.docId, frame.ids)
        break
      case 'want':
      case 'blob':
        await this.blobs.receive(frame, from, link)
        break
    }
  }

  /**
   * For transports that forward (gossipsub): an envelope the gate refuses for good is not passed on.
   * One the gate defers is: another peer may hold what makes it valid. The frame is judged here, so
   * its later delivery is a cheap "already seen".
   */
  private async validate(sealed: Uint8Array): Promise<'accept' | 'reject' | 'ignore'> {
    let frame: SyncFrame
    try {
      const opened = await this.open(sealed)
      // A frame under a key this member does not hold yet may be fine: let it travel on.
      if (opened === null) return 'accept'
      frame = decodeSyncFrame(opened)
    } catch {
      return 'reject'
    }
    // Presence is never published on gossip (the relay would keep it in the mailbox): not passed on.
    if (frame.type === 'presence') return 'reject'
    if (frame.type !== 'envelope') return 'accept'
    const verdict = await this.gate.receive(frame.bytes)
    if (verdict.kind === 'reject') return verdict.reason === ALREADY_SEEN ? 'accept' : 'reject'
    if (verdict.kind === 'defer' && !this.mayTravelWhileHeld(frame.bytes)) return 'ignore'
    return 'accept'
  }

  /**
   * A held envelope travels on only if its author is a member now or it concerns the group document
   * (a join whose invite is still on its way): otherwise anyone holding the key (a removed member) could
   * have every peer forward a flood of envelopes that no gate will ever take. Kept here either way.
   */
  private mayTravelWhileHeld(bytes: Uint8Array): boolean {
    try {
      const envelope = decodeEnvelope(bytes)
      return envelope.docId === GROUP_DOC_ID || isMember(this.gate.authority(), envelope.author)
    } catch {
      return false
    }
  }

  /** The mailbox cursor last saved for `cursorId` (0: from the start). */
  private async storedCursor(cursorId: string): Promise<number> {
    const stored = await this.options.storage.get(this.groupId, cursorKey(cursorId))
    return stored ? Number(new TextDecoder().decode(stored)) || 0 : 0
  }

  /** A mailbox cursor is saved only after what it covers is on disk: a crash re-reads, never skips. */
  private async advance(cursorId: string, cursor: number, link: Link | null): Promise<void> {
    if (cursor <= (this.cursors.get(cursorId) ?? 0)) return
    this.cursors.set(cursorId, cursor)
    this.sinceSnapshot++
    await this.timelineStore.durable()
    await this.options.storage.set(this.groupId, cursorKey(cursorId), utf8(String(cursor)))
    await this.options.storage.set(this.groupId, 'since-snapshot', utf8(String(this.sinceSnapshot)))
    const compactAfter = this.options.compactAfter ?? 500
    // Only the current key's topic: a snapshot of an older topic would have to be sealed with its old
    // key, and would then show everything since to whoever was removed.
    const current = this.links.some((l) => l.link === link && l.topicId === this.current.access.topic.id)
    if (link && isMailbox(link) && current && compactAfter > 0 && this.sinceSnapshot >= compactAfter)
      void this.compact(link, cursor)
  }

  // --- relays members do not share --------------------------------------------------------------

  /** The link the frame being handled came through (null outside `handle`). */
  private arrivedOn: Link | null = null

  /**
   * Hands an envelope from someone else on to the relays this member uses and its author does not
   * (the author posts only to its own): without it, members who share no relay (one whose app knows
   * only relay C, everyone else on A) would hear each other only while a member on both is connected
   * to both at once, and someone joining through C with that member away would find only what that
   * member had handed over when it added C. One member per relay does it (`relayKeepers`); one who is
   * away does it when it catches up.
   */
  private bridge(envelope: Envelope): void {
    const identity = this.identity
    if (!identity || envelope.author === identity.userId || this.closed) return
    const mine = this.currentMailboxes().filter((l) => l.transport.relay !== undefined)
    if (!mine.length) return
    const came = this.links.find((l) => l.link === this.arrivedOn)?.transport.relay
    const state = this.gate.authority()
    // An author with no relays on record (an older client's join) whose envelope came peer to peer:
    // where it is cannot be told, so this member posts it to its relays (only its direct peers are
    // in this case; who got it through a relay works out one keeper per relay from there).
    const unknown = !state.members.get(envelope.author)?.relays?.length && came === undefined
    const keepers = unknown ? null : this.keepersOf(state, envelope.author, came)
    const targets = mine.filter(
      (l) =>
        l.link !== this.arrivedOn &&
        (keepers === null || keepers.get(l.transport.relay ?? '') === identity.userId),
    )
    if (!targets.length) return
    void this.seal(encodeSyncFrame({ type: 'envelope', bytes: encodeEnvelope(envelope) })).then((sealed) => {
      for (const { link } of targets) link.broadcast(sealed).catch(() => undefined)
    })
  }

  /** relayKeepers, kept while the authority state stays the same object (a catch-up of thousands). */
  private keepers: { state: AuthorityState | null; of: Map<string, Map<string, string>> } = {
    state: null,
    of: new Map(),
  }

  private keepersOf(state: AuthorityState, author: string, came: string | undefined): Map<string, string> {
    if (this.keepers.state !== state) this.keepers = { state, of: new Map() }
    const key = `${author} ${came ?? ''}`
    let found = this.keepers.of.get(key)
    if (found === undefined) {
      found = relayKeepers(state, author, came === undefined ? [] : [came])
      this.keepers.of.set(key, found)
    }
    return found
  }

  // --- peers catching each other up -----------------------------------------------------------

  /** What this replica holds, per document: envelope counts and id digests. */
  private summary(): Map<string, { ids: Uint8Array[]; envelopes: Map<string, Envelope> }> {
    const docs = new Map<string, { ids: Uint8Array[]; envelopes: Map<string, Envelope> }>()
    const add = (e: Envelope) => {
      let d = docs.get(e.docId)
      if (!d) docs.set(e.docId, (d = { ids: [], envelopes: new Map() }))
      const short = e.signature.subarray(0, SHORT_ID_BYTES)
      d.ids.push(short)
      d.envelopes.set(toBase64Url(short), e)
    }
    for (const e of this.gate.accepted()) add(e)
    for (const { envelope } of this.gate.deferred()) add(envelope)
    return docs
  }

  private async greet(link: Link, peer: string): Promise<void> {
    const docs: DocSummary[] = [...this.summary()].map(([docId, d]) => ({
      docId,
      count: d.ids.length,
      digest: xorDigest(d.ids),
    }))
    await this.sendTo(link, peer, { type: 'summary', docs })
    await this.blobs.peerJoined(link, peer)
  }

  /** For every document where the peer's set differs from ours, tell it what we have. */
  private async answerSummary(link: Link, peer: string, theirs: DocSummary[]): Promise<void> {
    const ours = this.summary()
    const theirDocs = new Map(theirs.map((d) => [d.docId, d]))
    for (const d of theirs) {
      const mine = ours.get(d.docId)
      const digest = mine ? xorDigest(mine.ids) : new Uint8Array(SHORT_ID_BYTES)
      if (mine && mine.ids.length === d.count && equalBytes(digest, d.digest)) continue
      await this.sendTo(link, peer, { type: 'have', docId: d.docId, ids: concat(mine?.ids ?? []) })
    }
    // Documents the peer does not know at all: send them whole.
    const missing = [...ours]
      .filter(([docId]) => !theirDocs.has(docId))
      .flatMap(([, d]) => [...d.envelopes.values()])
    if (missing.length) await this.sendBundle(link, peer, missing)
  }

  private async sendMissing(link: Link, peer: string, docId: string, ids: Uint8Array): Promise<void> {
    const mine = this.summary().get(docId)
    if (!mine) return
    const theirs = new Set<string>()
    for (let i = 0; i < ids.length; i += SHORT_ID_BYTES)
      theirs.add(toBase64Url(ids.subarray(i, i + SHORT_ID_BYTES)))
    const missing = [...mine.envelopes].filter(([short]) => !theirs.has(short)).map(([, e]) => e)
    if (missing.length) await this.sendBundle(link, peer, missing)
  }

  private async sendBundle(link: Link, peer: string, envelopes: Envelope[]): Promise<void> {
    // Authority first, then in timeline order: the receiver's gate defers less.
    const ordered = [...envelopes].sort(
      (a, b) => (a.docId === 'g' ? 0 : 1) - (b.docId === 'g' ? 0 : 1) || a.hlc - b.hlc,
    )
    const BATCH = 200
    for (let i = 0; i < ordered.length; i += BATCH) {
      const slice = ordered.slice(i, i + BATCH)
      await this.sendTo(link, peer, { type: 'bundle', envelopes: slice.map(encodeEnvelope) })
      if (this.links.some((l) => l.link === link && reachesOthers(l.transport)))
        for (const e of slice) this.markDelivered(envelopeId(e))
    }
  }

  private async sendTo(link: Link, peer: string, frame: SyncFrame): Promise<void> {
    link.sendTo?.(peer, await this.seal(encodeSyncFrame(frame)))
  }

  // --- mailbox compaction ------------------------------------------------------------------------

  private async compact(link: MailboxLink, upTo: number): Promise<void> {
    if (this.compacting) return
    this.compacting = true
    try {
      const envelopes = [...this.gate.accepted(), ...this.gate.deferred().map((d) => d.envelope)]
      const sealed = await this.seal(
        encodeSyncFrame({ type: 'bundle', envelopes: envelopes.map(encodeEnvelope) }),
      )
      // A group whose whole history no longer fits one snapshot keeps its entries (see README).
      if (sealed.length > (this.options.maxSnapshotBytes ?? 200 * 1024)) return
      await link.compact(upTo, sealed)
      this.emit('compacted', upTo)
      this.sinceSnapshot = 0
      await this.options.storage.set(this.groupId, 'since-snapshot', utf8('0'))
    } catch {
      // Another member compacted first (409) or the relay is away: the next threshold tries again.
    } finally {
      this.compacting = false
    }
  }

  // --- outbox -----------------------------------------------------------------------------------

  private markDelivered(id: string): void {
    if (!this.outbox.delete(id)) return
    void this.saveOutbox()
    this.emit('delivered', id)
  }

  private saveOutbox(): Promise<void> {
    return this.options.storage
      .set(this.groupId, OUTBOX_KEY, utf8([...this.outbox.keys()].join('\n')))
      .catch(() => undefined)
  }

  private emit<K extends keyof ReplicaEvents>(event: K, ...args: Parameters<ReplicaEvents[K]>): void {
    for (const l of this.listeners[event]) {
      try {
        ;(l as (...a: Parameters<ReplicaEvents[K]>) => void)(...args)
      } catch {
        // A listener's failure is its own.
      }
    }
  }
}

/** Tabs of this browser are this same person: a message they got is not delivered to anyone else. */
function reachesOthers(transport: Transport): boolean {
  return transport.kind !== 'broadcastchannel'
}

function isMailbox(link: Link): link is MailboxLink {
  return typeof (link as Partial<MailboxLink>).compact === 'function'
}

function xorDigest(ids: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(SHORT_ID_BYTES)
  for (const id of ids) for (let i = 0; i < SHORT_ID_BYTES; i++) out[i]! ^= id[i]!
  return out
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.length * SHORT_ID_BYTES)
  parts.forEach((p, i) => out.set(p, i * SHORT_ID_BYTES))
  return out
}
