// A person's friends, requests and refusals on this device, and the rules for what arrives on their
// friend topic. Plain data (kept as JSON in the device's storage by FriendChannel); no network here.
//
// Rules: a request from someone I denied is dropped without a trace on screen; a second request from
// someone who already has one waiting only refreshes it; new requests are capped per hour and in
// total (a leaked card cannot flood the screen); answers count only for a request I sent them, and
// invites and card updates only from friends. Every message id is handled once.
import type { SignedProfile } from '../identity/profile'
import type { UserId } from '../identity/user-id'
import { decodeInvitePayload } from '../group/invite-link'
import type { FriendMessage } from './friend-message'

export interface Friend {
  userId: UserId
  nickname: string
  /** Their friend card code: where DM invites and my card updates go. */
  card: string
  since: number
  /** Our two-person DM (group id), once there is one. */
  dm?: string
}

export interface IncomingRequest {
  id: string
  from: UserId
  nickname: string
  card: string
  sentAt: number
  receivedAt: number
}

export interface OutgoingRequest {
  id: string
  to: UserId
  /** Their card: the request went to its topic. */
  card: string
  sentAt: number
  /** 'denied' once they said no. */
  status: 'sent' | 'denied'
}

/** A DM invite from a friend (with an acceptance, or later), until this device has joined it. */
export interface PendingInvite {
  from: UserId
  /** The invite payload (group id, key, secret): only on this device. */
  invite: string
  groupId: string
  kind: 'accept' | 'dm'
  receivedAt: number
}

export interface FriendLimits {
  /** New incoming requests taken per rolling hour. */
  perHour: number
  /** Incoming requests waiting at most. */
  maxIncoming: number
  /** Message ids remembered for deduplication. */
  maxSeen: number
}

export const DEFAULT_FRIEND_LIMITS: FriendLimits = { perHour: 20, maxIncoming: 100, maxSeen: 2000 }

export interface FriendBookData {
  v: 1
  /** base64url of my current friend secret. */
  secret: string
  friends: Friend[]
  incoming: IncomingRequest[]
  outgoing: OutgoingRequest[]
  denied: UserId[]
  invites: PendingInvite[]
  /** When recent new requests arrived (for the hourly cap). */
  recent: number[]
  seen: string[]
}

/** Why an arriving message changed nothing visible. */
export type DropReason = 'seen' | 'denied' | 'repeat' | 'rate' | 'unexpected'

export type Received =
  | { kind: 'request'; request: IncomingRequest }
  | { kind: 'friend'; friend: Friend; invite: PendingInvite }
  | { kind: 'denied'; request: OutgoingRequest }
  | { kind: 'invite'; invite: PendingInvite }
  | { kind: 'card'; friend: Friend }
  | { kind: 'dropped'; reason: DropReason }

const HOUR_MS = 60 * 60 * 1000

export function nicknameOf(profile: SignedProfile | undefined, userId: UserId): string {
  return profile?.profile.nickname ?? `${userId.slice(0, 8)}…`
}

export function emptyFriendBook(secret: string): FriendBookData {
  return {
    v: 1,
    secret,
    friends: [],
    incoming: [],
    outgoing: [],
    denied: [],
    invites: [],
    recent: [],
    seen: [],
  }
}

export class FriendBook {
  constructor(
    readonly data: FriendBookData,
    private readonly limits: FriendLimits = DEFAULT_FRIEND_LIMITS,
  ) {}

  friend(userId: UserId): Friend | undefined {
    return this.data.friends.find((f) => f.userId === userId)
  }

  isDenied(userId: UserId): boolean {
    return this.data.denied.includes(userId)
  }

  /** Applies a verified message addressed to me. */
  receive(m: FriendMessage, now: number): Received {
    const d = this.data
    if (d.seen.includes(m.id)) return { kind: 'dropped', reason: 'seen' }
    d.seen.push(m.id)
    if (d.seen.length > this.limits.maxSeen) d.seen.splice(0, d.seen.length - this.limits.maxSeen)
    switch (m.type) {
      case 'request': {
        if (this.isDenied(m.from)) return { kind: 'dropped', reason: 'denied' }
        const waiting = d.incoming.find((r) => r.from === m.from)
        if (waiting) {
          // The latest card is where they read now; the screen shows them once.
          Object.assign(waiting, { card: m.card, nickname: nicknameOf(m.profile, m.from) })
          return { kind: 'dropped', reason: 'repeat' }
        }
        d.recent = d.recent.filter((t) => t > now - HOUR_MS && t <= now)
        if (d.recent.length >= this.limits.perHour || d.incoming.length >= this.limits.maxIncoming)
          return { kind: 'dropped', reason: 'rate' }
        d.recent.push(now)
        const request: IncomingRequest = {
          id: m.id,
          from: m.from,
          nickname: nicknameOf(m.profile, m.from),
          card: m.card,
          sentAt: m.sentAt,
          receivedAt: now,
        }
        d.incoming.push(request)
        return { kind: 'request', request }
      }
      case 'accept': {
        const sent = d.outgoing.find((r) => r.id === m.replyTo && r.to === m.from && r.status === 'sent')
        if (!sent) return { kind: 'dropped', reason: 'unexpected' }
        d.outgoing.splice(d.outgoing.indexOf(sent), 1)
        const invite = this.addInvite(m.from, m.invite, 'accept', now)
        const friend = this.befriend(m.from, nicknameOf(m.profile, m.from), m.card, now, invite.groupId)
        return { kind: 'friend', friend, invite }
      }
      case 'deny': {
        const sent = d.outgoing.find((r) => r.id === m.replyTo && r.to === m.from && r.status === 'sent')
        if (!sent) return { kind: 'dropped', reason: 'unexpected' }
        sent.status = 'denied'
        return { kind: 'denied', request: sent }
      }
      case 'dm-invite': {
        const friend = this.friend(m.from)
        if (!friend) return { kind: 'dropped', reason: 'unexpected' }
        if (m.profile) friend.nickname = nicknameOf(m.profile, m.from)
        return { kind: 'invite', invite: this.addInvite(m.from, m.invite, 'dm', now) }
      }
      case 'card': {
        const friend = this.friend(m.from)
        if (!friend) return { kind: 'dropped', reason: 'unexpected' }
        friend.card = m.card
        return { kind: 'card', friend }
      }
    }
  }

  /** I sent a request to the owner of `card`. A new one replaces an earlier one to the same person. */
  sent(request: OutgoingRequest): void {
    this.data.outgoing = this.data.outgoing.filter((r) => r.to !== request.to)
    this.data.outgoing.push(request)
  }

  /** I accepted `request`: they are a friend, with our DM. */
  accepted(request: IncomingRequest, dm: string, now: number): Friend {
    this.data.incoming = this.data.incoming.filter((r) => r.id !== request.id)
    // Had I asked them too, that request is answered by this.
    this.data.outgoing = this.data.outgoing.filter((r) => r.to !== request.from)
    return this.befriend(request.from, request.nickname, request.card, now, dm)
  }

  /** I denied `request`: it goes, and their requests are not shown again. */
  denied(request: IncomingRequest): void {
    this.data.incoming = this.data.incoming.filter((r) => r.from !== request.from)
    if (!this.isDenied(request.from)) this.data.denied.push(request.from)
  }

  setDm(userId: UserId, groupId: string): void {
    const f = this.friend(userId)
    if (f) f.dm = groupId
  }

  /** This device joined (or gave up on) the invite's DM. */
  inviteHandled(groupId: string): void {
    this.data.invites = this.data.invites.filter((i) => i.groupId !== groupId)
  }

  private befriend(userId: UserId, nickname: string, card: string, now: number, dm?: string): Friend {
    let f = this.friend(userId)
    if (!f) {
      f = { userId, nickname, card, since: now }
      this.data.friends.push(f)
    }
    Object.assign(f, { nickname, card }, dm ? { dm } : {})
    return f
  }

  private addInvite(from: UserId, invite: string, kind: PendingInvite['kind'], now: number): PendingInvite {
    const groupId = decodeInvitePayload(invite).groupId
    const pending: PendingInvite = { from, invite, groupId, kind, receivedAt: now }
    this.data.invites = this.data.invites.filter((i) => i.groupId !== groupId)
    this.data.invites.push(pending)
    return pending
  }
}

/** Reads stored book data, or null when it is not something this version wrote. */
export function parseFriendBook(json: string): FriendBookData | null {
  try {
    const d = JSON.parse(json) as Partial<FriendBookData>
    if (d.v !== 1 || typeof d.secret !== 'string') return null
    for (const k of ['friends', 'incoming', 'outgoing', 'denied', 'invites', 'recent', 'seen'] as const)
      if (!Array.isArray(d[k])) return null
    return d as FriendBookData
  } catch {
    // Not JSON: not a friend book, which the caller handles (and logs) as such.
    return null
  }
}
