// A person's friend channel on this device: reads their friend topic on every transport (mailbox
// first: requests wait there while they are offline), opens and judges what arrives (FriendBook),
// and posts requests, answers and DM invites to other people's topics. State and the topic's mailbox
// cursor are kept in the device's storage (scope 'friends'), so a restart neither loses a request nor
// shows one twice. Forged, malformed, oversized and over-the-cap frames are dropped and counted.
import { fromBase64Url, randomBytes, toBase64Url, fromUtf8, utf8 } from '../bytes'
import type { BoxKeyPair } from '../crypto/x25519'
import { ValidationError } from '../errors'
import { decodeInvitePayload } from '../group/invite-link'
import type { Identity } from '../identity/identity'
import type { SignedProfile } from '../identity/profile'
import type { UserId } from '../identity/user-id'
import { errorFields, noLogger, type ComponentLogger, type Logger } from '../log/logger'
import type { StorageAdapter } from '../storage/storage'
import type { Link, Transport } from '../sync/transport'
import { decodeFriendCard, encodeFriendCard, FRIEND_SECRET_BYTES, type FriendCard } from './friend-card'
import {
  DEFAULT_FRIEND_LIMITS,
  emptyFriendBook,
  FriendBook,
  parseFriendBook,
  type DropReason,
  type Friend,
  type FriendLimits,
  type IncomingRequest,
  type OutgoingRequest,
  type PendingInvite,
  type Received,
} from './friend-book'
import { openFriendMessage, sealFriendMessage, type FriendMessageDraft } from './friend-message'
import { friendTopic, type FriendTopic } from './friend-topic'

export interface FriendChannelOptions {
  identity: Identity
  /** Sent with requests and answers, so the other side sees my nickname. */
  profile?: SignedProfile
  storage: StorageAdapter
  /** Store-and-forward transports (the relay's mailbox): my topic is read, others' are posted to. */
  transports: Transport[]
  /** Relay mailbox URLs put in my card (default none: the app's own relay). */
  relays?: string[]
  limits?: Partial<FriendLimits>
  now?: () => number
  /** Says at debug what failed quietly (a post, a link, an unreadable frame), as `friends`. */
  logger?: ComponentLogger
}

export interface FriendsView {
  friends: readonly Friend[]
  incoming: readonly IncomingRequest[]
  outgoing: readonly OutgoingRequest[]
  invites: readonly PendingInvite[]
}

export type FriendEvent =
  | Exclude<Received, { kind: 'dropped' }>
  | { kind: 'dropped'; reason: DropReason | 'unreadable' }
  | { kind: 'local' }

const SCOPE = 'friends'
const BOOK = 'book'
const cursorKey = (topicId: string) => `cursor/${topicId}`

export class FriendChannel {
  private readonly listeners = new Set<(e: FriendEvent) => void>()
  private links: Link[] = []
  private topic!: FriendTopic
  private myCard!: FriendCard
  /** Frames of my topic are handled one at a time, in order, each persisted before the next. */
  private inbound: Promise<void> = Promise.resolve()
  /** Posts go one at a time (a transport has one link per topic). */
  private outbound: Promise<unknown> = Promise.resolve()
  private closed = false
  /** How many frames were dropped, by reason (forged and garbage frames are 'unreadable'). */
  readonly drops = new Map<DropReason | 'unreadable', number>()
  private readonly log: Logger

  private constructor(
    private readonly options: FriendChannelOptions,
    private readonly book: FriendBook,
    private readonly box: BoxKeyPair,
  ) {
    this.log = (options.logger ?? noLogger).forComponent('friends')
  }

  static async start(options: FriendChannelOptions): Promise<FriendChannel> {
    const { identity, storage } = options
    if (identity.device)
      throw new ValidationError('Friends are kept on the device that holds your identity key.')
    const stored = await storage.get(SCOPE, BOOK)
    const parsed = stored && parseFriendBook(fromUtf8(stored))
    if (stored && !parsed)
      (options.logger ?? noLogger)
        .forComponent('friends')
        .debug('stored friend book does not parse: starting an empty one', { bytes: stored.length })
    const data = parsed || emptyFriendBook(toBase64Url(randomBytes(FRIEND_SECRET_BYTES)))
    const channel = new FriendChannel(
      options,
      new FriendBook(data, { ...DEFAULT_FRIEND_LIMITS, ...options.limits }),
      await identity.boxKeys(),
    )
    if (!stored) await channel.save()
    await channel.listen()
    return channel
  }

  private now(): number {
    return (this.options.now ?? Date.now)()
  }

  /** My card: share its code or link; whoever holds it can ask me to be friends. */
  card(): FriendCard {
    return { ...this.myCard, relays: [...this.myCard.relays] }
  }

  code(): string {
    return encodeFriendCard(this.myCard)
  }

  view(): FriendsView {
    const d = this.book.data
    return { friends: d.friends, incoming: d.incoming, outgoing: d.outgoing, invites: d.invites }
  }

  on(listener: (e: FriendEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Asks the owner of `code` to be friends (they may be offline: the relay keeps it). */
  async request(code: string): Promise<OutgoingRequest> {
    const card = decodeFriendCard(code)
    if (card.userId === this.options.identity.userId)
      throw new ValidationError('That is your own friend code.')
    const { message } = await this.post(card, {
      type: 'request',
      to: card.userId,
      card: this.code(),
      ...this.profile(),
    })
    const request: OutgoingRequest = {
      id: message.id,
      to: card.userId,
      card: code,
      sentAt: message.sentAt,
      status: 'sent',
    }
    this.book.sent(request)
    await this.changed({ kind: 'local' })
    return request
  }

  /**
   * Accepts a waiting request: `openDm` makes our DM (core's createDirectMessage, started on this
   * device's sync) and returns its invite payload, which goes to them sealed on their topic.
   */
  async accept(requestId: string, openDm: (who: IncomingRequest) => Promise<string>): Promise<Friend> {
    const request = this.book.data.incoming.find((r) => r.id === requestId)
    if (!request) throw new ValidationError('That friend request is no longer waiting.')
    const invite = await openDm(request)
    const card = decodeFriendCard(request.card)
    await this.post(card, {
      type: 'accept',
      to: request.from,
      replyTo: request.id,
      card: this.code(),
      invite,
      ...this.profile(),
    })
    const friend = this.book.accepted(request, decodeInvitePayload(invite).groupId, this.now())
    await this.changed({ kind: 'local' })
    return friend
  }

  /** Denies a waiting request: they are told, and their later requests are not shown. */
  async deny(requestId: string): Promise<void> {
    const request = this.book.data.incoming.find((r) => r.id === requestId)
    if (!request) return
    this.book.denied(request)
    await this.changed({ kind: 'local' })
    // Telling them is a courtesy: a relay that cannot be reached now does not undo the refusal.
    await this.post(decodeFriendCard(request.card), {
      type: 'deny',
      to: request.from,
      replyTo: request.id,
    }).catch((e: unknown) => this.log.debug('deny not delivered', errorFields(e)))
  }

  /** Invites friends to a DM (a new two-person one, or a group DM) whose invite payload is `invite`. */
  async inviteToDm(friends: UserId[], invite: string): Promise<void> {
    for (const userId of friends) {
      const friend = this.book.friend(userId)
      if (!friend) throw new ValidationError('Only friends can be invited to a DM.')
      await this.post(decodeFriendCard(friend.card), {
        type: 'dm-invite',
        to: userId,
        invite,
        ...this.profile(),
      })
    }
  }

  /** Records our two-person DM with a friend (when it was made or joined later). */
  async setDm(userId: UserId, groupId: string): Promise<void> {
    this.book.setDm(userId, groupId)
    await this.changed({ kind: 'local' })
  }

  /** This device joined the invite's DM: it leaves the pending list. */
  async inviteHandled(groupId: string): Promise<void> {
    this.book.inviteHandled(groupId)
    await this.changed({ kind: 'local' })
  }

  /**
   * A new secret, so a new code and topic: the old topic is no longer read (a leaked code stops
   * working). Friends are sent the new card so their invites still reach me.
   */
  async regenerate(): Promise<string> {
    await this.closeLinks()
    this.book.data.secret = toBase64Url(randomBytes(FRIEND_SECRET_BYTES))
    await this.save()
    await this.listen()
    this.emit({ kind: 'local' })
    const code = this.code()
    for (const f of this.book.data.friends)
      await this.post(decodeFriendCard(f.card), { type: 'card', to: f.userId, card: code }).catch(
        (e: unknown) => this.log.debug('new card not delivered to a friend', errorFields(e)),
      )
    return code
  }

  async close(): Promise<void> {
    this.closed = true
    await this.closeLinks()
    await this.inbound
  }

  // --- my topic ---------------------------------------------------------------------------------

  private async listen(): Promise<void> {
    const { identity, relays = [] } = this.options
    const secret = fromBase64Url(this.book.data.secret)
    this.myCard = { userId: identity.userId, box: this.box.publicKey, secret, relays }
    this.topic = await friendTopic(this.myCard)
    const topic = this.topic
    const stored = await this.options.storage.get(SCOPE, cursorKey(topic.access.topic.id))
    const resumeAfter = stored ? Number(fromUtf8(stored)) || 0 : 0
    for (const t of this.options.transports) {
      try {
        this.links.push(
          await t.open(
            topic.access,
            {
              frame: (sealed, _from, cursor) => {
                this.inbound = this.inbound.then(() => this.handle(topic, sealed, cursor))
              },
            },
            resumeAfter,
          ),
        )
      } catch (e) {
        // A transport that cannot open stays unused, as for groups.
        this.log.debug('could not open my topic on a transport', { transport: t.kind, ...errorFields(e) })
      }
    }
  }

  private async closeLinks(): Promise<void> {
    const links = this.links.splice(0)
    await Promise.all(
      links.map((l) => l.close().catch((e: unknown) => this.log.debug('link close failed', errorFields(e)))),
    )
  }

  private async handle(topic: FriendTopic, sealed: Uint8Array, cursor?: number): Promise<void> {
    if (this.closed || topic !== this.topic) return
    let event: FriendEvent
    try {
      const message = await openFriendMessage(
        sealed,
        this.options.identity.userId,
        this.box,
        topic,
        this.now(),
      )
      event = this.book.receive(message, this.now())
    } catch (e) {
      // Counted in `drops` too; anyone who knows my card can post garbage, so this is routine.
      this.log.debug('unreadable frame on my topic', errorFields(e))
      event = { kind: 'dropped', reason: 'unreadable' }
    }
    if (event.kind === 'dropped') this.drops.set(event.reason, (this.drops.get(event.reason) ?? 0) + 1)
    if (cursor !== undefined)
      await this.options.storage.set(SCOPE, cursorKey(topic.access.topic.id), utf8(String(cursor)))
    // The book is written even for drops: the message id is remembered.
    await this.changed(event)
  }

  // --- posting ----------------------------------------------------------------------------------

  private profile(): { profile?: SignedProfile } {
    return this.options.profile ? { profile: this.options.profile } : {}
  }

  /** Seals `draft` for the card's owner and posts it on their topic on every transport that takes it. */
  private post(card: FriendCard, draft: FriendMessageDraft) {
    const run = async () => {
      const topic = await friendTopic(card)
      const out = await sealFriendMessage(this.options.identity, draft, card.box, topic, this.now())
      let sent = false
      let failure: unknown
      for (const t of this.options.transports) {
        try {
          const link = await t.open(topic.access, { frame: () => undefined })
          try {
            await link.broadcast(out.sealed)
            sent = true
          } finally {
            await link.close()
          }
        } catch (e) {
          this.log.debug('a transport did not take a friend message', {
            transport: t.kind,
            ...errorFields(e),
          })
          failure = e
        }
      }
      if (!sent) throw failure instanceof Error ? failure : new Error('No transport took the friend message.')
      return out
    }
    const result = this.outbound.then(run, run)
    // Only keeps the queue going: the caller gets `result`, failure included.
    this.outbound = result.catch(() => undefined)
    return result
  }

  private async save(): Promise<void> {
    await this.options.storage.set(SCOPE, BOOK, utf8(JSON.stringify(this.book.data)))
  }

  private async changed(event: FriendEvent): Promise<void> {
    await this.save()
    this.emit(event)
  }

  private emit(event: FriendEvent): void {
    for (const l of this.listeners) {
      try {
        l(event)
      } catch (e) {
        // A listener's failure is its own.
        this.log.debug('a listener threw', errorFields(e))
      }
    }
  }
}
