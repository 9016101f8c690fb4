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
  parseDocId,
  validateProfile,
  type Envelope,
  type GroupInfo,
  type GroupKey,
  type HistoryMessage,
  type OpenGroup,
  type PanelRecord,
  type SignedProfile,
  type UserId,
} from '@tailmesh/core'
import { encodeInvitePayload, inviteLink } from './invite-link'
import type { GroupLink, LinkStatus } from './sync'

export type DeliveryStatus = 'pending' | 'delivered'

/** A message as the message list shows it: core's history entry and whether it has left this device. */
export interface ChatMessage extends HistoryMessage {
  status: DeliveryStatus
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
    const { messages } = listMessages(this.group.gate, panelId, { buckets: HISTORY_BUCKETS })
    const pending = this.pendingMessages(panelId, messages)
    return messages.map((m) => ({
      ...m,
      status: pending.has(m.id) ? 'pending' : 'delivered',
    }))
  }

  /**
   * Own messages not delivered: their envelope is in the outbox or pending in the link (the
   * Replica's outbox, which survives a reload), or held aside by this peer's own gate (core's
   * `undelivered`: other peers would refuse them now).
   */
  private pendingMessages(panelId: string, messages: readonly HistoryMessage[]): Set<string> {
    const ids = new Set<string>()
    const envelopes = new Map<string, Envelope>(this.outbox)
    for (const e of this.link?.pending() ?? []) envelopes.set(envelopeId(e), e)
    for (const u of this.group.session.undelivered()) envelopes.set(envelopeId(u.envelope), u.envelope)
    for (const [id, envelope] of envelopes) {
      const m = this.sentMessages.get(id)
      if (m) ids.add(m)
      else if (envelope.author === this.me && parseDocId(envelope.docId)?.kind === 'panel')
        for (const carried of this.carriedBy(envelope, panelId, messages)) ids.add(carried)
    }
    return ids
  }

  /**
   * The messages an own envelope sent before a reload carries (this session did not see it made).
   * A message takes its HLC before its edit, and the envelope carrying the edit is dated at or after
   * it; the session signs a document's envelopes one after another. So the envelope carries my
   * messages of its document dated after my previous envelope of that document, up to its own date.
   */
  private carriedBy(envelope: Envelope, panelId: string, messages: readonly HistoryMessage[]): string[] {
    let previous = -Infinity
    for (const e of this.group.gate.accepted(envelope.docId))
      if (e.author === this.me && e.hlc < envelope.hlc && e.hlc > previous) previous = e.hlc
    for (const { envelope: e } of this.group.session.undelivered())
      if (e.docId === envelope.docId && e.hlc < envelope.hlc && e.hlc > previous) previous = e.hlc
    return messages
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
  send(panelId: string, body: string): Promise<string> {
    const run = this.sending.then(async () => {
      const captured: Envelope[] = (this.capturing = [])
      try {
        const id = await this.group.actions.send(panelId, body)
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

  /** A fresh invite (7 days, as Tailchat's normal invite) as a link under `appUrl`. */
  async createInviteLink(appUrl: string): Promise<string> {
    const { secret } = await this.group.actions.createInvite()
    return inviteLink(appUrl, encodeInvitePayload({ groupId: this.groupId, groupKey: this.key.raw, secret }))
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
  async join(secret: Uint8Array, profile: SignedProfile): Promise<void> {
    await this.group.actions.join(secret, profile)
    this.emit({ kind: 'group' })
  }

  async close(): Promise<void> {
    this.unlink()
    await this.link?.close()
    this.listeners.clear()
  }
}
