// Who is here and who is typing, per group: ephemeral state exchanged between live peers (the
// `presence` sync frame, presence-wire.ts), never stored and never put through the gate.
//
//   send      this client states itself now and then (a heartbeat), at once when typing starts,
//             changes panel or stops, and when it leaves; typing is re-stated at most every
//             `typingResendMs` while it lasts, and ends by itself after `typingIdleMs` without input
//   receive   a statement counts only if its signature verifies, its author is a member now (and the
//             device signing for them is not revoked), its group is this one, its clock is near ours
//             and it is newer than the last one of its session; anything else is dropped silently
//   expire    a session not heard from for `expiryMs` is offline; typing not re-stated within
//             `typingTtlMs` ends (both measured on the receiver's own clock, so skew does not matter)
//
// A newcomer learns who is here without waiting for heartbeats: a session heard for the first time
// makes this client state itself again soon (once per newcomer, so two clients never ping-pong).
//
// A plugin may add one small JSON slot to this client's statements while its panel is open (a
// whiteboard's cursor): `plugin(key, data)`, stated at most every `pluginResendMs`. Receivers keep the
// latest per session like typing and tell `onPluginChange` listeners, not the member list's.
import { randomBytes, toBase64Url } from '../bytes'
import { deviceIdOf } from '../identity/device-cert'
import type { UserId } from '../identity/user-id'
import { errorFields, noLogger, type ComponentLogger, type Logger } from '../log/logger'
import { isDeviceRevoked, isMember, type AuthorityState } from '../group/authority-state'
import {
  PRESENCE_SESSION_BYTES,
  decodePresence,
  encodePresence,
  MAX_PLUGIN_PRESENCE_DATA,
  signPresence,
  verifyPresence,
  type PluginPresence,
  type PresenceSigner,
} from './presence-wire'

export interface PresenceOptions {
  groupId: string
  /** Signs this client's statements (core's Identity). */
  identity: PresenceSigner
  /** The group's current authority state (gate.authority()): who is a member now. */
  authority: () => AuthorityState
  /** Hands an encoded statement to live peers (Replica.sendPresence). Best effort. */
  send: (bytes: Uint8Array) => void | Promise<void>
  /** Wall clock (ms); tests pass their own. */
  now?: () => number
  heartbeatMs?: number
  /** Silence after which a session is offline (default 30 s: three heartbeats missed). */
  expiryMs?: number
  /** How long a typing statement holds on the receiver unless re-stated. */
  typingTtlMs?: number
  /** Typing is re-stated at most this often while it lasts. */
  typingResendMs?: number
  /** Typing ends by itself after this long without input. */
  typingIdleMs?: number
  /** Statements further than this from our clock are refused (limits replays). */
  maxSkewMs?: number
  /** A plugin's presence (a cursor) is stated at most this often; the latest wins. */
  pluginResendMs?: number
  /** Whether to run timers (heartbeat, expiry, typing idle); tests drive `tick()` themselves. */
  timers?: boolean
  /** Says at debug what failed quietly (a statement not sent, one refused), as `presence`. */
  logger?: ComponentLogger
}

/** What the UI shows about one member. */
export interface MemberPresence {
  userId: UserId
  online: boolean
  /** The panel they are typing in, or null. */
  typing: string | null
  /** Their last input (their wall clock, ms), or null if unknown. */
  lastActive: number | null
}

interface Entry {
  author: UserId
  seq: number
  online: boolean
  typing: string | null
  lastActive: number
  /** Receiver's clock: when this session was last heard. */
  heardAt: number
  /** Receiver's clock: when the typing statement ends unless re-stated. */
  typingUntil: number
  plugin: PluginPresence | null
}

const DEFAULTS = {
  heartbeatMs: 10_000,
  expiryMs: 30_000,
  typingTtlMs: 7_000,
  typingResendMs: 3_000,
  typingIdleMs: 5_000,
  maxSkewMs: 120_000,
  pluginResendMs: 50,
}

/** Why `receive` dropped a statement (tests and diagnostics; never shown to anyone). */
export type PresenceRefusal =
  | 'malformed'
  | 'other group'
  | 'bad signature'
  | 'not a member'
  | 'device revoked'
  | 'clock skew'
  | 'stale'
  | 'own session'

/** Refusals every healthy group sees (a statement heard twice, or our own echoed back): not logged. */
const ROUTINE: ReadonlySet<PresenceRefusal> = new Set(['stale', 'own session'])

export class Presence {
  readonly session = randomBytes(PRESENCE_SESSION_BYTES)
  private readonly sessionId = toBase64Url(this.session)
  private readonly entries = new Map<string, Entry>()
  private readonly listeners = new Set<() => void>()
  private readonly pluginListeners = new Set<() => void>()
  private pluginSlot: PluginPresence | null = null
  private pluginSentAt = 0
  private pluginTimer: ReturnType<typeof setTimeout> | null = null
  private readonly now: () => number
  private readonly cfg: typeof DEFAULTS
  private seq = 0
  private typingPanel: string | null = null
  private typingSentAt = 0
  private lastInput: number
  private running = false
  private timer: ReturnType<typeof setInterval> | null = null
  private answerTimer: ReturnType<typeof setTimeout> | null = null
  private lastHeartbeat = 0
  /** Statements go out one at a time, in order (signing is async; seq must reach peers in order). */
  private sending: Promise<void> = Promise.resolve()
  private readonly log: Logger

  constructor(private readonly options: PresenceOptions) {
    this.log = (options.logger ?? noLogger).forComponent('presence')
    this.now = options.now ?? Date.now
    this.cfg = { ...DEFAULTS }
    for (const k of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[])
      if (options[k] !== undefined) this.cfg[k] = options[k]
    this.lastInput = this.now()
  }

  /** States this client online and keeps doing so every heartbeat until `stop`. */
  start(): void {
    if (this.running) return
    this.running = true
    if (this.options.timers !== false) this.timer = setInterval(() => this.tick(), 1_000)
    void this.state()
  }

  /** States this client gone (best effort) and stops its timers. */
  async stop(): Promise<void> {
    if (!this.running) return
    this.running = false
    if (this.timer !== null) clearInterval(this.timer)
    if (this.answerTimer !== null) clearTimeout(this.answerTimer)
    if (this.pluginTimer !== null) clearTimeout(this.pluginTimer)
    this.timer = this.answerTimer = this.pluginTimer = null
    this.typingPanel = null
    await this.state(false)
  }

  /** Periodic work: heartbeat, typing idle, expiry. Called every second by the timer. */
  tick(): void {
    const now = this.now()
    if (this.running) {
      if (this.typingPanel !== null && now - this.lastInput >= this.cfg.typingIdleMs) this.typing(null)
      else if (now - this.lastHeartbeat >= this.cfg.heartbeatMs) void this.state()
    }
    let changed = false
    let pluginChanged = false
    for (const [key, e] of this.entries) {
      if (now - e.heardAt >= this.cfg.expiryMs) {
        this.entries.delete(key)
        changed = true
        pluginChanged ||= e.plugin !== null
      } else if (e.typing !== null && now >= e.typingUntil) {
        e.typing = null
        changed = true
      }
    }
    if (changed) this.emit()
    if (pluginChanged) this.emitPlugin()
  }

  /**
   * What a plugin shows others from this client (`key` = `<pluginId>/<scope>`, `data` its JSON), or
   * null to show nothing any more (only clears if `key` is the one shown). Stated at once, then at most
   * every `pluginResendMs` with the latest data.
   */
  plugin(key: string, data: string | null): void {
    if (data !== null && data.length > MAX_PLUGIN_PRESENCE_DATA)
      throw new Error(`A plugin's presence is at most ${MAX_PLUGIN_PRESENCE_DATA} characters of JSON.`)
    if (data === null) {
      if (this.pluginSlot?.key !== key) return
      this.pluginSlot = null
    } else this.pluginSlot = { key, data }
    if (!this.running || this.pluginTimer !== null) return
    const wait = this.pluginSentAt + this.cfg.pluginResendMs - this.now()
    if (wait <= 0 || this.options.timers === false) void this.state()
    else
      this.pluginTimer = setTimeout(() => {
        this.pluginTimer = null
        if (this.running) void this.state()
      }, wait)
  }

  /** The data each member (not this client) shows under a plugin presence `key`, by user. */
  pluginPeers(key: string): Map<UserId, string> {
    const state = this.options.authority()
    const now = this.now()
    const out = new Map<UserId, string>()
    for (const e of this.entries.values())
      if (e.plugin?.key === key && now - e.heardAt < this.cfg.expiryMs && isMember(state, e.author))
        out.set(e.author, e.plugin.data)
    return out
  }

  /** Called when any member's plugin presence changes (not on heartbeats or typing). */
  onPluginChange(listener: () => void): () => void {
    this.pluginListeners.add(listener)
    return () => this.pluginListeners.delete(listener)
  }

  /**
   * The member typed in `panelId` (call on every input), or stopped (null: sent, cleared, left the
   * composer). States it at once on a change, and at most every `typingResendMs` while it lasts.
   */
  typing(panelId: string | null): void {
    const now = this.now()
    if (panelId !== null) this.lastInput = now
    const changed = panelId !== this.typingPanel
    this.typingPanel = panelId
    if (!this.running) return
    if (changed || (panelId !== null && now - this.typingSentAt >= this.cfg.typingResendMs)) void this.state()
  }

  /** Marks the member active (any input), without stating anything yet. */
  active(): void {
    this.lastInput = this.now()
  }

  /** Every member heard from (not this client), by user: online, typing, last active. */
  members(): Map<UserId, MemberPresence> {
    const state = this.options.authority()
    const now = this.now()
    const out = new Map<UserId, MemberPresence>()
    for (const e of this.entries.values()) {
      if (!isMember(state, e.author) || now - e.heardAt >= this.cfg.expiryMs) continue
      const prev = out.get(e.author)
      const typing = e.typing !== null && now < e.typingUntil ? e.typing : null
      out.set(e.author, {
        userId: e.author,
        online: (prev?.online ?? false) || e.online,
        typing: prev?.typing ?? typing,
        lastActive: Math.max(prev?.lastActive ?? 0, e.lastActive),
      })
    }
    return out
  }

  /** Who is typing in `panelId` now (not counting this client). */
  typingIn(panelId: string): UserId[] {
    return [...this.members().values()].filter((m) => m.typing === panelId).map((m) => m.userId)
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** A statement from a peer: applied if it passes every check, else dropped (the reason returned). */
  async receive(bytes: Uint8Array): Promise<PresenceRefusal | null> {
    const refusal = await this.judge(bytes)
    if (refusal !== null && !ROUTINE.has(refusal)) this.log.debug('statement dropped', { reason: refusal })
    return refusal
  }

  private async judge(bytes: Uint8Array): Promise<PresenceRefusal | null> {
    let p
    try {
      p = decodePresence(bytes)
    } catch {
      return 'malformed' // logged by receive, with the other refusals
    }
    if (p.groupId !== this.options.groupId) return 'other group'
    const session = toBase64Url(p.session)
    if (session === this.sessionId) return 'own session'
    const now = this.now()
    if (Math.abs(now - p.sentAt) > this.cfg.maxSkewMs) return 'clock skew'
    const key = `${p.author} ${session}`
    const known = this.entries.get(key)
    if (known && p.seq <= known.seq) return 'stale'
    if (!(await verifyPresence(p))) return 'bad signature'
    const state = this.options.authority()
    if (!isMember(state, p.author)) return 'not a member'
    if (p.device && isDeviceRevoked(state, p.author, deviceIdOf(p.device), now)) return 'device revoked'
    // Verification is async: a newer statement of the session may have landed meanwhile.
    const latest = this.entries.get(key)
    if (latest && p.seq <= latest.seq) return 'stale'
    const before = latest?.plugin ?? null
    const after = p.online ? (p.plugin ?? null) : null
    const pluginChanged = before?.key !== after?.key || before?.data !== after?.data
    // A statement that only moved a plugin's cursor says nothing the member list shows.
    const onlyPlugin = latest !== undefined && p.online && latest.typing === p.typing && pluginChanged
    if (!p.online) {
      this.entries.delete(key)
    } else {
      this.entries.set(key, {
        author: p.author,
        seq: p.seq,
        online: true,
        typing: p.typing,
        lastActive: p.lastActive,
        heardAt: now,
        typingUntil: now + this.cfg.typingTtlMs,
        plugin: after,
      })
      if (!latest) this.answerNewcomer()
    }
    if (!onlyPlugin) this.emit()
    if (pluginChanged) this.emitPlugin()
    return null
  }

  /** A session heard for the first time learns of this one soon (batched for several newcomers). */
  private answerNewcomer(): void {
    if (!this.running || this.answerTimer !== null) return
    if (this.options.timers === false) {
      void this.state()
      return
    }
    this.answerTimer = setTimeout(() => {
      this.answerTimer = null
      if (this.running) void this.state()
    }, 300)
  }

  private state(online = true): Promise<void> {
    const now = this.now()
    this.lastHeartbeat = now
    const typing = online ? this.typingPanel : null
    if (typing !== null) this.typingSentAt = now
    const plugin = online ? this.pluginSlot : null
    if (plugin !== null) this.pluginSentAt = now
    const statement = {
      groupId: this.options.groupId,
      session: this.session,
      seq: ++this.seq,
      sentAt: now,
      online,
      typing,
      lastActive: this.lastInput,
      ...(plugin ? { plugin } : {}),
    }
    this.sending = this.sending.then(async () => {
      try {
        const signed = await signPresence(this.options.identity, statement)
        await this.options.send(encodePresence(signed))
      } catch (e) {
        // Best effort: the next heartbeat states it again.
        this.log.debug('statement not sent', { online, ...errorFields(e) })
      }
    })
    return this.sending
  }

  private emitPlugin(): void {
    this.call(this.pluginListeners)
  }

  private emit(): void {
    this.call(this.listeners)
  }

  private call(listeners: Set<() => void>): void {
    for (const l of listeners) {
      try {
        l()
      } catch (e) {
        // A listener's failure is its own.
        this.log.debug('a listener threw', errorFields(e))
      }
    }
  }
}
