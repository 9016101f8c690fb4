// One group as the app sees it: core's OpenGroup (gate, session, actions) plus this device's outbox.
// Views read the gate's documents through the accessors here and re-read on `onChange`; nothing is
// copied out of the documents and kept.
import {
  envelopeId,
  inviteIdOf,
  inviteKeyPair,
  isMember,
  listMessages,
  memberIds,
  olderBucketIds,
  openPluginState,
  parseDocId,
  resolvePermissions,
  validateProfile,
  type Envelope,
  type GroupInfo,
  type GroupKey,
  type HistoryMessage,
  type OpenGroup,
  type PanelRecord,
  type PluginState,
  type Point,
  type Presence,
  type SendOptions,
  type SignedProfile,
  type UserId,
} from '@tailmesh/core'
import type { BlobTransfer } from '@tailmesh/core'
import { encodeInvitePayload, inviteLink } from './invite-link'
import { groupInviteRelays } from './relays'
import { bucketOfMessage } from './reads'
import type { GroupLink, LinkStatus } from './sync'

export type DeliveryStatus = 'pending' | 'delivered'

/**
 * A message as the message list shows it: core's history entry, marked 'pending' while it has not
 * left this device (no status: delivered, or someone else's). Delivered messages are core's very
 * objects, not copies: a panel paged back through 100k messages holds one object per message, not
 * two (every major GC marks them all).
 */
export interface ChatMessage extends HistoryMessage {
  status?: 'pending'
}

/** One week (core's bucket) of a panel's history, in order. */
export interface HistoryWeek {
  bucket: number
  messages: readonly ChatMessage[]
}

/** A window of a panel's history as the message list shows it. */
export interface HistoryView {
  messages: ChatMessage[]
  /** The same messages by week, oldest first (weeks with none left out). */
  weeks: HistoryWeek[]
  oldestBucket: number
  /** The next older bucket this device holds (to page back to), or null at the start. */
  olderBucket: number | null
}

export interface PanelView extends PanelRecord {
  id: string
}

export interface MemberView {
  userId: UserId
  nickname: string
}

/**
 * What changed: the group document (info, panels, members, ...), a panel's history, a delivery, or
 * how this device reaches the others (relay, peers).
 */
export type Change =
  { kind: 'group' } | { kind: 'panel'; panelId: string } | { kind: 'delivery' } | { kind: 'connection' }
export type ChangeListener = (change: Change) => void

/** How many weekly buckets a panel shows (this week and the last). */
const HISTORY_BUCKETS = 2

export class GroupHandle {
  readonly groupId: string
  private link: GroupLink | null = null
  private unlink: () => void = () => {}
  /** Own envelopes not yet handed to the link, or handed and not delivered, by envelope id. */
  private readonly outbox = new Map<string, Envelope>()
  /** Envelope id → the message it carries, for this device's own sends. */
  private readonly sentMessages = new Map<string, string>()
  private readonly listeners = new Set<ChangeListener>()
  /** Set while `send` runs, to learn which envelope carried the message. */
  private capturing: Envelope[] | null = null
  private sending: Promise<unknown> = Promise.resolve()

  constructor(
    readonly group: OpenGroup,
    readonly key: GroupKey,
  ) {
    this.groupId = group.groupId
    group.gate.on('accepted', (e) => this.documentChanged(e.docId))
    group.gate.on('docReplaced', (docId) => this.documentChanged(docId))
  }

  /**
   * The newest key this device holds: what invite links carry, so a newcomer reads what is sent now
   * (the member who rotated handed the history to the new key's topic).
   */
  currentKey(): GroupKey {
    return this.keyring().at(-1)!
  }

  /** Every key of this group this device holds, oldest first (handed to a device being linked). */
  keyring(): GroupKey[] {
    const held = this.link?.keyring() ?? []
    return held.length > 0 ? held : [this.key]
  }

  /** Core's `send` hook for this group's session (installed before the group's first edit). */
  readonly take = (envelope: Envelope): void => {
    this.capturing?.push(envelope)
    this.outbox.set(envelopeId(envelope), envelope)
    if (this.link) this.hand(envelope)
  }

  /**
   * Connects the group to the sync layer and hands over what waited in the outbox (a new group's
   * genesis). Each envelope is handed over once; the link says when it is delivered, also for
   * envelopes kept pending from before a reload.
   */
  attach(link: GroupLink): void {
    this.link = link
    let status = link.status()
    this.unlink = link.onChange(() => {
      this.emit({ kind: 'delivery' })
      const now = link.status()
      if (now.relay !== status.relay || now.peers !== status.peers) this.emit({ kind: 'connection' })
      status = now
    })
    for (const e of this.outbox.values()) this.hand(e)
    // Views waiting for what only an attached group has (presence, status) read it now.
    this.emit({ kind: 'connection' })
  }

  /** Who is online and typing in this group (null until attached, or with nothing carrying it). */
  presence(): Presence | null {
    return this.link?.presence ?? null
  }

  /** This group's files (null until attached, or with nothing carrying the group). */
  blobs(): BlobTransfer | null {
    return this.link?.blobs ?? null
  }

  /** How this device reaches the group's other members (nothing until attached). */
  connection(): LinkStatus {
    return this.link?.status() ?? { relay: false, peers: 0 }
  }

  private hand(envelope: Envelope): void {
    const id = envelopeId(envelope)
    this.link!.deliver(envelope).then(
      () => {
        this.outbox.delete(id)
        this.emit({ kind: 'delivery' })
      },
      (e: unknown) => console.error('delivering an envelope failed; it stays pending', e),
    )
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private emit(change: Change): void {
    for (const l of this.listeners) l(change)
  }

  private documentChanged(docId: string): void {
    const doc = parseDocId(docId)
    if (doc?.kind === 'group') this.emit({ kind: 'group' })
    else if (doc?.kind === 'panel') this.emit({ kind: 'panel', panelId: doc.panelId })
  }

  // --- reading ----------------------------------------------------------------------------------

  get me(): UserId {
    return this.group.session.userId
  }

  /** Null until the group document has arrived (a group known only from an invite link). */
  info(): GroupInfo | null {
    return this.group.gate.authority().info
  }

  isMember(): boolean {
    return isMember(this.group.gate.authority(), this.me)
  }

  panels(): PanelView[] {
    return [...this.group.gate.authority().panels]
      .map(([id, p]) => ({ id, ...p }))
      .sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : 1))
  }

  members(): MemberView[] {
    const state = this.group.gate.authority()
    return memberIds(state).map((userId) => ({ userId, nickname: this.nickname(userId) }))
  }

  /**
   * A member's nickname from the profile they wrote into their own member record. The gate lets only
   * that member write the record, so the profile is theirs; it must also name them and be valid.
   */
  nickname(userId: UserId): string {
    const sp = this.group.gate.authority().members.get(userId)?.profile as SignedProfile | undefined
    try {
      if (sp && sp.userId === userId) return validateProfile(sp.profile).nickname
    } catch {
      // an unreadable profile: fall back to the id
    }
    return userId.slice(0, 8)
  }

  /** The panel's recent history, in order, each with its delivery status. */
  messages(panelId: string): ChatMessage[] {
    return this.history(panelId).messages
  }

  /** Last result of `history` per panel: nothing changed → the same view. */
  private readonly shown = new Map<string, HistoryView>()
  /** Per panel and week: core's messages of the week, its pending ids, and the week as shown. */
  private readonly shownWeeks = new Map<
    string,
    Map<number, { from: readonly HistoryMessage[]; pending: string; week: HistoryWeek }>
  >()

  /**
   * A window of the panel's history: from bucket `fromBucket` (paging back) or the recent
   * HISTORY_BUCKETS up to this week. Read week by week: a week whose messages and pending set did not
   * change keeps its array, so paging back one week maps that week only (not everything loaded), and
   * the same view comes back while nothing in it changed.
   */
  history(panelId: string, fromBucket?: number): HistoryView {
    const gate = this.group.gate
    const recent = listMessages(gate, panelId, { buckets: HISTORY_BUCKETS })
    const newest = recent.newestBucket
    const oldest = fromBucket === undefined ? recent.oldestBucket : Math.min(fromBucket, newest)
    // The weeks of the window this device holds (newest first from core), read one by one.
    const held = olderBucketIds(gate, panelId, newest + 1, newest - oldest + 1)
      .map((b) => b.bucket)
      .filter((b) => b >= oldest)
      .reverse()
    const byWeek = held.map((b) => listMessages(gate, panelId, { before: b + 1, buckets: 1 }).messages)
    const pendingIds = this.pendingMessages(panelId, byWeek)
    const pendingOf = new Map<number, string[]>()
    for (const id of pendingIds) {
      const b = bucketOfMessage(id)
      if (b !== null) pendingOf.set(b, [...(pendingOf.get(b) ?? []), id])
    }
    let cache = this.shownWeeks.get(panelId)
    if (!cache) this.shownWeeks.set(panelId, (cache = new Map()))
    const next = new Map<number, { from: readonly HistoryMessage[]; pending: string; week: HistoryWeek }>()
    const weeks: HistoryWeek[] = []
    held.forEach((bucket, i) => {
      const from = byWeek[i]!
      if (!from.length) return
      const pending = (pendingOf.get(bucket) ?? []).sort().join(',')
      let entry = cache.get(bucket)
      if (!entry || entry.from !== from || entry.pending !== pending) {
        // A week with nothing pending is core's array itself; otherwise only the pending are copies.
        const messages: readonly ChatMessage[] = pending
          ? from.map((m) => (pendingIds.has(m.id) ? { ...m, status: 'pending' as const } : m))
          : from
        entry = { from, pending, week: { bucket, messages } }
      }
      next.set(bucket, entry)
      weeks.push(entry.week)
    })
    this.shownWeeks.set(panelId, next)
    const olderBucket = olderBucketIds(gate, panelId, oldest, 1)[0]?.bucket ?? null
    const last = this.shown.get(panelId)
    if (
      last &&
      last.oldestBucket === oldest &&
      last.olderBucket === olderBucket &&
      last.weeks.length === weeks.length &&
      last.weeks.every((w, i) => w === weeks[i])
    )
      return last
    const view: HistoryView = {
      messages: ([] as ChatMessage[]).concat(...weeks.map((w) => w.messages)),
      weeks,
      oldestBucket: oldest,
      olderBucket,
    }
    this.shown.set(panelId, view)
    return view
  }

  /** Whether I hold `point` in this panel now (to show or hide actions; the gate decides anyway). */
  can(point: Point, panelId?: string): boolean {
    return resolvePermissions(this.group.gate.authority(), this.me, panelId, Date.now()).has(point)
  }

  /**
   * Own messages not delivered: their envelope is in the outbox or pending in the link (the
   * Replica's outbox, which survives a reload), or held aside by this peer's own gate (core's
   * `undelivered`: other peers would refuse them now).
   */
  private pendingMessages(panelId: string, weeks: readonly (readonly HistoryMessage[])[]): Set<string> {
    const ids = new Set<string>()
    const envelopes = new Map<string, Envelope>(this.outbox)
    for (const e of this.link?.pending() ?? []) envelopes.set(envelopeId(e), e)
    for (const u of this.group.session.undelivered()) envelopes.set(envelopeId(u.envelope), u.envelope)
    for (const [id, envelope] of envelopes) {
      const m = this.sentMessages.get(id)
      if (m) ids.add(m)
      else if (envelope.author === this.me && parseDocId(envelope.docId)?.kind === 'panel')
        for (const carried of this.carriedBy(envelope, panelId, weeks)) ids.add(carried)
    }
    return ids
  }

  /**
   * The messages an own envelope sent before a reload carries (this session did not see it made).
   * A message takes its HLC before its edit, and the envelope carrying the edit is dated at or after
   * it; the session signs a document's envelopes one after another. So the envelope carries my
   * messages of its document dated after my previous envelope of that document, up to its own date.
   */
  private carriedBy(
    envelope: Envelope,
    panelId: string,
    weeks: readonly (readonly HistoryMessage[])[],
  ): string[] {
    let previous = -Infinity
    for (const e of this.group.gate.accepted(envelope.docId))
      if (e.author === this.me && e.hlc < envelope.hlc && e.hlc > previous) previous = e.hlc
    for (const { envelope: e } of this.group.session.undelivered())
      if (e.docId === envelope.docId && e.hlc < envelope.hlc && e.hlc > previous) previous = e.hlc
    // Only the envelope's own week can hold what it carries.
    const ref = parseDocId(envelope.docId)
    const week = ref?.kind === 'panel' ? weeks.find((w) => w[0]?.bucket === ref.bucket) : undefined
    return (week ?? [])
      .filter(
        (m) =>
          m.panelId === panelId &&
          m.author === this.me &&
          this.group.actions.docOf(panelId, m.id) === envelope.docId &&
          m.hlc > previous &&
          m.hlc <= envelope.hlc,
      )
      .map((m) => m.id)
  }

  // --- acting -----------------------------------------------------------------------------------

  /** Sends a markdown message. Sends run one at a time so each envelope maps to its message. */
  send(panelId: string, body: string, options: SendOptions = {}): Promise<string> {
    const run = this.sending.then(async () => {
      const captured: Envelope[] = (this.capturing = [])
      try {
        const id = await this.group.actions.send(panelId, body, options)
        const docId = this.group.actions.docOf(panelId, id)
        for (const e of captured) if (e.docId === docId) this.sentMessages.set(envelopeId(e), id)
        this.emit({ kind: 'delivery' })
        return id
      } finally {
        this.capturing = null
      }
    })
    this.sending = run.catch(() => undefined)
    return run
  }

  /** Runs a message operation in the send queue (one envelope at a time, as `send` needs). */
  private act(op: () => Promise<void>): Promise<void> {
    const run = this.sending.then(op)
    this.sending = run.catch(() => undefined)
    return run
  }

  edit(panelId: string, messageId: string, body: string): Promise<void> {
    return this.act(() => this.group.actions.edit(panelId, messageId, body))
  }

  recall(panelId: string, messageId: string): Promise<void> {
    return this.act(() => this.group.actions.recall(panelId, messageId))
  }

  deleteMessage(panelId: string, messageId: string): Promise<void> {
    return this.act(() => this.group.actions.deleteMessage(panelId, messageId))
  }

  react(panelId: string, messageId: string, emoji: string): Promise<void> {
    return this.act(() => this.group.actions.react(panelId, messageId, emoji))
  }

  unreact(panelId: string, messageId: string, emoji: string): Promise<void> {
    return this.act(() => this.group.actions.unreact(panelId, messageId, emoji))
  }

  /** A plugin's state in this group: core's gate-judged document `x/<pluginId>/<scope>`. */
  pluginState(pluginId: string, scope: string): Promise<PluginState> {
    return openPluginState(this.group.session, pluginId, scope)
  }

  /** A fresh invite (7 days, as Tailchat's normal invite) as a link under `appUrl`. */
  async createInviteLink(appUrl: string): Promise<string> {
    const { secret } = await this.group.actions.createInvite()
    return inviteLink(
      appUrl,
      encodeInvitePayload({
        groupId: this.groupId,
        groupKey: this.currentKey().raw,
        secret,
        relays: groupInviteRelays(this.group.gate.authority()),
      }),
    )
  }

  /**
   * Whether the invite of this secret has arrived here (usable or not: joining says why not). The
   * group's name can arrive before the invite: the invite is a later edit of the group document.
   */
  async knowsInvite(secret: Uint8Array): Promise<boolean> {
    const id = inviteIdOf((await inviteKeyPair(secret)).publicKey)
    return this.group.gate.authority().invites.has(id)
  }

  /** Joins with an invite secret. Needs the group document with the invite (see `knowsInvite`). */
  async join(secret: Uint8Array, profile: SignedProfile, relays: readonly string[] = []): Promise<void> {
    await this.group.actions.join(secret, profile, relays)
    this.emit({ kind: 'group' })
  }

  async close(): Promise<void> {
    this.unlink()
    await this.link?.close()
    this.listeners.clear()
  }
}
