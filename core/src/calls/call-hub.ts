// A group's calls as one page takes part in them: who is in which call room (from the signed `here`
// heartbeats, never stored: rooms show in the panel list through this), calls ringing in text panels
// and DMs, and this page's own place in at most one room. The connections themselves are the mesh's
// (call-mesh.browser.ts); the hub hands it the verified statements of its room and signs what it sends.
//
//   here        while in a room, every `heartbeatMs` and at once when media change; a session not
//               heard for `expiryMs` has left (a closed tab or lost network shows within 5 s)
//   caps        at most `caps.audio` people in a room and `caps.video` sending video: join and camera
//               refuse past them with a CallFullError the UI says plainly
//   newcomers   a session heard in our room for the first time makes us state ourselves soon, so a
//               joiner learns the room at once instead of after a heartbeat
//   in order    statements are judged one after another in the order they arrive: a session's `here`
//               and the offer right behind it must not swap places while their signatures are checked
//               (the later seq would make the earlier one a replay); an offer, answer or candidate
//               says all a `here` says, so it places its sender in the room too (it may overtake
//               that `here`)
import { randomBytes } from '../bytes'
import { InvalidOperationError, TailmeshError } from '../errors'
import type { UserId } from '../identity/user-id'
import type { AuthorityState } from '../group/authority-state'
import { errorFields, noLogger, type ComponentLogger, type Logger } from '../log/logger'
import { CallJudge, ROUTINE_CALL_REFUSALS, type JudgedCall } from './call-judge'
import { callRights, type CallRights } from './call-rights'
import {
  CALL_SESSION_BYTES,
  encodeCallStatement,
  signCallStatement,
  type CallKind,
  type CallMedia,
  type CallSigner,
} from './call-wire'

export interface CallCaps {
  /** People in one room. */
  audio: number
  /** People sending video (camera or screen) at once in one room. */
  video: number
}

export const DEFAULT_CALL_CAPS: CallCaps = { audio: 8, video: 4 }

export interface CallHubOptions {
  groupId: string
  identity: CallSigner
  authority: () => AuthorityState
  /** Hands an encoded statement to live peers (Replica.sendCall). */
  send: (bytes: Uint8Array) => void | Promise<void>
  now?: () => number
  heartbeatMs?: number
  expiryMs?: number
  /** How long a ringing notice lasts without an answer. */
  ringMs?: number
  caps?: Partial<CallCaps>
  /** Whether to run the timer (heartbeat, expiry); tests call `tick()` themselves. */
  timers?: boolean
  logger?: ComponentLogger
}

export interface CallParticipant {
  user: UserId
  /** base64url of the session. */
  session: string
  sessionBytes: Uint8Array
  media: CallMedia
  fingerprint: string
  rights: CallRights
  /** A moderator muted them in this room: peers do not play their sound. */
  mutedBy: UserId | null
  heardAt: number
}

export interface CallRoomRef {
  panelId: string
  /** '' for a voice panel's standing room. */
  callId: string
}

export interface RingNotice extends CallRoomRef {
  from: UserId
  session: string
  sessionBytes: Uint8Array
  /** The ringer's clock when it rang. */
  startedAt: number
  heardAt: number
}

export class CallFullError extends TailmeshError {
  constructor(
    readonly what: 'audio' | 'video',
    readonly cap: number,
  ) {
    super(
      what === 'audio'
        ? `This call is full: at most ${cap} people can be in it.`
        : `At most ${cap} people can send video at once in this call.`,
    )
  }
}

export const roomKey = (r: CallRoomRef): string => `${r.panelId}\u0000${r.callId}`
const NO_MEDIA: CallMedia = { audio: false, video: false, screen: false }

interface Joined extends CallRoomRef {
  media: CallMedia
  fingerprint: string
}

export class CallHub {
  readonly session = randomBytes(CALL_SESSION_BYTES)
  readonly caps: CallCaps
  private readonly judge: CallJudge
  private readonly rooms = new Map<string, Map<string, CallParticipant>>()
  private readonly rings = new Map<string, RingNotice>()
  private readonly changeListeners = new Set<() => void>()
  private readonly signalListeners = new Set<(j: JudgedCall) => void>()
  private readonly now: () => number
  private readonly heartbeatMs: number
  private readonly expiryMs: number
  private readonly ringMs: number
  private readonly log: Logger
  private joinedRoom: Joined | null = null
  /** A moderator muted me in my room: I may not unmute until I join again. */
  private mutedByModerator: UserId | null = null
  private seq = 0
  private lastHere = 0
  private timer: ReturnType<typeof setInterval> | null = null
  private answerTimer: ReturnType<typeof setTimeout> | null = null
  /** Statements go out one at a time, in order (signing is async; seq must reach peers in order). */
  private sending: Promise<void> = Promise.resolve()
  /** Statements are judged one at a time, in the order they arrived (see "in order" above). */
  private receiving: Promise<void> = Promise.resolve()

  constructor(private readonly options: CallHubOptions) {
    this.now = options.now ?? Date.now
    this.heartbeatMs = options.heartbeatMs ?? 1_500
    this.expiryMs = options.expiryMs ?? 4_500
    this.ringMs = options.ringMs ?? 45_000
    this.caps = { ...DEFAULT_CALL_CAPS, ...options.caps }
    this.log = (options.logger ?? noLogger).forComponent('calls')
    this.judge = new CallJudge({
      groupId: options.groupId,
      session: this.session,
      authority: options.authority,
      now: this.now,
    })
  }

  get userId(): UserId {
    return this.options.identity.userId
  }

  start(): void {
    if (this.timer !== null || this.options.timers === false) return
    this.timer = setInterval(() => this.tick(), 500)
  }

  /** Leaves the room (best effort) and stops the timer. */
  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer)
    if (this.answerTimer !== null) clearTimeout(this.answerTimer)
    this.timer = this.answerTimer = null
    await this.leave()
  }

  /** My rights in a panel now. */
  rights(panelId: string): CallRights {
    return callRights(this.options.authority(), this.userId, panelId, this.now())
  }

  /** The room this page is in, or null. */
  joined(): (CallRoomRef & { media: CallMedia; mutedBy: UserId | null }) | null {
    const j = this.joinedRoom
    return (
      j && { panelId: j.panelId, callId: j.callId, media: { ...j.media }, mutedBy: this.mutedByModerator }
    )
  }

  /** The others in a room now (heard within the expiry, still allowed to be there). */
  participants(room: CallRoomRef): CallParticipant[] {
    const now = this.now()
    const state = this.options.authority()
    return [...(this.rooms.get(roomKey(room))?.values() ?? [])].filter(
      (p) => now - p.heardAt < this.expiryMs && callRights(state, p.user, room.panelId, now).join,
    )
  }

  /** Every room someone is in now (others; add `joined()` for this page), for the panel list. */
  activeRooms(): (CallRoomRef & { participants: CallParticipant[] })[] {
    const out: (CallRoomRef & { participants: CallParticipant[] })[] = []
    for (const key of this.rooms.keys()) {
      const [panelId, callId] = key.split('\u0000') as [string, string]
      const participants = this.participants({ panelId, callId })
      if (participants.length > 0) out.push({ panelId, callId, participants })
    }
    return out
  }

  /**
   * Calls ringing for me now: rung by someone else within `ringMs`, not declined, someone still in
   * them, not the one I am in.
   */
  ringing(): RingNotice[] {
    const now = this.now()
    return [...this.rings.values()].filter(
      (r) =>
        now - r.heardAt < this.ringMs &&
        (this.joinedRoom === null || roomKey(this.joinedRoom) !== roomKey(r)) &&
        this.participants(r).length > 0,
    )
  }

  /** How many in the room send video now, and whether I may start to. */
  videoSenders(room: CallRoomRef): number {
    return this.participants(room).filter((p) => p.media.video || p.media.screen).length
  }

  /**
   * Enters a room: states `here` at once and every heartbeat. Media I may not send (no `callSpeak`,
   * or video past the cap) are dropped; the media stated are returned. Throws when I may not join or
   * the room is full.
   */
  async join(room: CallRoomRef, media: CallMedia, fingerprint: string): Promise<CallMedia> {
    const rights = this.rights(room.panelId)
    if (!rights.join) throw new InvalidOperationError('You may not join calls here.')
    if (this.participants(room).length + 1 > this.caps.audio)
      throw new CallFullError('audio', this.caps.audio)
    if (this.joinedRoom && roomKey(this.joinedRoom) !== roomKey(room)) await this.leave()
    this.mutedByModerator = null
    const allowed = this.allowedMedia(room, media, rights)
    this.joinedRoom = { ...room, media: allowed, fingerprint }
    this.rings.delete(roomKey(room))
    await this.here()
    this.emitChange()
    return allowed
  }

  /** Changes what I send; throws CallFullError when video would pass the cap. */
  async setMedia(media: CallMedia): Promise<CallMedia> {
    const j = this.joinedRoom
    if (!j) throw new InvalidOperationError('Not in a call.')
    const rights = this.rights(j.panelId)
    const wantsVideo = media.video || media.screen
    if (wantsVideo && !(j.media.video || j.media.screen) && this.videoSenders(j) >= this.caps.video)
      throw new CallFullError('video', this.caps.video)
    j.media = this.allowedMedia(j, media, rights)
    if (this.mutedByModerator !== null) j.media.audio = false
    await this.here()
    this.emitChange()
    return { ...j.media }
  }

  async leave(): Promise<void> {
    const j = this.joinedRoom
    if (!j) return
    this.joinedRoom = null
    this.emitChange()
    await this.state('leave', j, { to: null, body: '', fingerprint: '', media: NO_MEDIA })
  }

  /**
   * An offer, answer or ICE candidates to one session of my room (the mesh's). Sent in the order
   * asked for: the candidates of a connection never overtake its offer or answer.
   */
  async signal(kind: 'offer' | 'answer' | 'candidate', to: Uint8Array, body: string): Promise<void> {
    const j = this.joinedRoom
    if (!j) throw new InvalidOperationError('Not in a call.')
    await this.state(kind, j, { to, body, fingerprint: j.fingerprint, media: j.media })
  }

  /** A moderator mutes someone in my room, or removes them from it. */
  async moderate(kind: 'mute' | 'remove', user: UserId): Promise<void> {
    const j = this.joinedRoom
    if (!j) throw new InvalidOperationError('Not in a call.')
    if (!this.rights(j.panelId).moderate) throw new InvalidOperationError('You may not moderate this call.')
    this.applyModeration(j, kind, user, this.userId)
    await this.state(kind, j, { to: null, body: user, fingerprint: '', media: j.media })
  }

  /**
   * Signs and sends a statement as is, with none of this hub's own checks: what a modified client
   * does. Only the web app's test hooks call it; every other peer's judge decides what it is worth.
   */
  async sendUnchecked(
    kind: CallKind,
    room: CallRoomRef,
    rest: { to: Uint8Array | null; body: string; fingerprint: string; media: CallMedia },
  ): Promise<void> {
    await this.state(kind, room, rest)
  }

  /** Rings the others for a call I started in a text panel or DM (join it first). */
  async ring(): Promise<void> {
    const j = this.joinedRoom
    if (!j || j.callId === '') throw new InvalidOperationError('Only a started call rings.')
    await this.state('ring', j, { to: null, body: '', fingerprint: '', media: j.media })
  }

  /** I will not take this call: the notice goes, and the ringer hears so. */
  async decline(ring: RingNotice): Promise<void> {
    this.rings.delete(roomKey(ring))
    this.emitChange()
    await this.state('decline', ring, { to: ring.sessionBytes, body: '', fingerprint: '', media: NO_MEDIA })
  }

  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener)
    return () => this.changeListeners.delete(listener)
  }

  /** Verified statements for the mesh and the UI (offers, answers, candidates, here, leave, …). */
  onSignal(listener: (judged: JudgedCall) => void): () => void {
    this.signalListeners.add(listener)
    return () => this.signalListeners.delete(listener)
  }

  /** A statement from a peer: applied if the judge accepts it, after those that arrived before it. */
  receive(bytes: Uint8Array): Promise<void> {
    this.receiving = this.receiving
      .then(() => this.apply(bytes))
      .catch((e: unknown) => this.log.debug('call statement not applied', errorFields(e)))
    return this.receiving
  }

  private async apply(bytes: Uint8Array): Promise<void> {
    const judged = await this.judge.judge(bytes)
    if (typeof judged === 'string') {
      if (!ROUTINE_CALL_REFUSALS.has(judged)) this.log.debug('call statement refused', { reason: judged })
      return
    }
    const s = judged.statement
    const key = roomKey(s)
    const now = this.now()
    switch (s.kind) {
      case 'here':
      case 'offer':
      case 'answer':
      case 'candidate':
        this.heard(judged, key, now)
        break
      case 'leave':
        this.rooms.get(key)?.delete(judged.session)
        break
      case 'mute':
      case 'remove':
        this.applyModeration(s, s.kind, s.body as UserId, s.author)
        break
      case 'ring':
        // A person does not ring themselves: their other tabs and devices see the call, not a notice.
        if (s.author !== this.userId && (!this.joinedRoom || roomKey(this.joinedRoom) !== key))
          this.rings.set(key, {
            panelId: s.panelId,
            callId: s.callId,
            from: s.author,
            session: judged.session,
            sessionBytes: s.session,
            startedAt: s.sentAt,
            heardAt: now,
          })
        break
      case 'decline':
        break
    }
    this.emitSignal(judged)
    this.emitChange()
  }

  /** The author's session is in the room `key` now, with what it stated. */
  private heard(judged: JudgedCall, key: string, now: number): void {
    const s = judged.statement
    for (const [k, room] of this.rooms) if (k !== key) room.delete(judged.session)
    let room = this.rooms.get(key)
    if (!room) this.rooms.set(key, (room = new Map()))
    const known = room.get(judged.session)
    room.set(judged.session, {
      user: s.author,
      session: judged.session,
      sessionBytes: s.session,
      media: judged.rights.speak ? s.media : NO_MEDIA,
      fingerprint: s.fingerprint,
      rights: judged.rights,
      mutedBy: known?.mutedBy ?? null,
      heardAt: now,
    })
    if (!known && this.joinedRoom && roomKey(this.joinedRoom) === key) this.answerNewcomer()
  }

  /**
   * The mesh still receives packets from this session of the room over their connection: it counts
   * as heard now. Only a session already in the room (not one that left or was removed), and rights
   * are still checked by `participants`.
   */
  heardDirectly(room: CallRoomRef, session: string): void {
    const p = this.rooms.get(roomKey(room))?.get(session)
    if (p) p.heardAt = Math.max(p.heardAt, this.now())
  }

  /** Heartbeat, expiry. Called by the timer (every 500 ms) or by tests. */
  tick(): void {
    const now = this.now()
    if (this.joinedRoom && now - this.lastHere >= this.heartbeatMs) void this.here()
    let changed = false
    for (const room of this.rooms.values())
      for (const [session, p] of room)
        if (now - p.heardAt >= this.expiryMs) {
          room.delete(session)
          changed = true
        }
    for (const [key, r] of this.rings)
      if (now - r.heardAt >= this.ringMs) {
        this.rings.delete(key)
        changed = true
      }
    if (changed) this.emitChange()
  }

  private allowedMedia(room: CallRoomRef, media: CallMedia, rights: CallRights): CallMedia {
    if (!rights.speak) return { ...NO_MEDIA }
    const video = media.video || media.screen
    const current = this.joinedRoom?.media
    const alreadySending = current !== undefined && (current.video || current.screen)
    if (video && !alreadySending && this.videoSenders(room) >= this.caps.video)
      return { audio: media.audio, video: false, screen: false }
    return { ...media }
  }

  private applyModeration(room: CallRoomRef, kind: 'mute' | 'remove', user: UserId, by: UserId): void {
    const key = roomKey(room)
    const members = this.rooms.get(key)
    for (const [session, p] of members ?? [])
      if (p.user === user) {
        if (kind === 'remove') members!.delete(session)
        else p.mutedBy = by
      }
    // I am the one: I stop sending sound, or I leave. My own statements say so to everyone.
    const j = this.joinedRoom
    if (user !== this.userId || !j || roomKey(j) !== key) return
    if (kind === 'remove') {
      void this.leave()
    } else {
      this.mutedByModerator = by
      void this.setMedia({ ...j.media, audio: false })
    }
  }

  private answerNewcomer(): void {
    if (this.answerTimer !== null) return
    if (this.options.timers === false) {
      void this.here()
      return
    }
    this.answerTimer = setTimeout(() => {
      this.answerTimer = null
      void this.here()
    }, 50)
  }

  private here(): Promise<void> {
    const j = this.joinedRoom
    if (!j) return Promise.resolve()
    this.lastHere = this.now()
    return this.state('here', j, { to: null, body: '', fingerprint: j.fingerprint, media: j.media })
  }

  private state(
    kind: CallKind,
    room: CallRoomRef,
    rest: { to: Uint8Array | null; body: string; fingerprint: string; media: CallMedia },
  ): Promise<void> {
    const statement = {
      groupId: this.options.groupId,
      session: this.session,
      seq: ++this.seq,
      sentAt: this.now(),
      kind,
      panelId: room.panelId,
      callId: room.callId,
      ...rest,
    }
    this.sending = this.sending.then(async () => {
      try {
        const signed = await signCallStatement(this.options.identity, statement)
        await this.options.send(encodeCallStatement(signed))
      } catch (e) {
        // Best effort: heartbeats state it again; a lost offer is retried by the mesh.
        this.log.debug('call statement not sent', { kind, ...errorFields(e) })
      }
    })
    return this.sending
  }

  private emitChange(): void {
    for (const l of this.changeListeners) this.safely(() => l())
  }

  private emitSignal(judged: JudgedCall): void {
    for (const l of this.signalListeners) this.safely(() => l(judged))
  }

  private safely(f: () => void): void {
    try {
      f()
    } catch (e) {
      // A listener's failure is its own.
      this.log.debug('a listener threw', errorFields(e))
    }
  }
}
