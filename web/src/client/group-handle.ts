// One group as the app sees it: core's OpenGroup (gate, session, actions) plus this device's outbox.
// Views read the gate's documents through the accessors here and re-read on `onChange`; nothing is
// copied out of the documents and kept.
import {
  envelopeId,
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
import type { GroupLink } from './sync'

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

/** What changed: the group document (info, panels, members, ...), a panel's history, or a delivery. */
export type Change = { kind: 'group' } | { kind: 'panel'; panelId: string } | { kind: 'delivery' }
export type ChangeListener = (change: Change) => void

/** How many weekly buckets a panel shows (this week and the last). */
const HISTORY_BUCKETS = 2

export class GroupHandle {
  readonly groupId: string
  private link: GroupLink | null = null
  /** Own envelopes not yet delivered, by envelope id. */
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

  /** Connects the group to the sync layer and hands over what waited in the outbox. */
  attach(link: GroupLink): void {
    this.link = link
    for (const e of this.outbox.values()) this.hand(e)
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
    const pending = this.pendingMessages()
    return listMessages(this.group.gate, panelId, { buckets: HISTORY_BUCKETS }).messages.map((m) => ({
      ...m,
      status: pending.has(m.id) ? 'pending' : 'delivered',
    }))
  }

  /**
   * Own messages not delivered: still in the outbox, or held aside by this peer's own gate
   * (core's `undelivered`: other peers would refuse them now).
   */
  private pendingMessages(): Set<string> {
    const ids = new Set<string>()
    const add = (envelope: Envelope) => {
      const m = this.sentMessages.get(envelopeId(envelope))
      if (m) ids.add(m)
    }
    this.outbox.forEach(add)
    for (const u of this.group.session.undelivered()) add(u.envelope)
    return ids
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

  /** Joins with an invite secret. Needs the group document (see `info()`). */
  async join(secret: Uint8Array, profile: SignedProfile): Promise<void> {
    await this.group.actions.join(secret, profile)
    this.emit({ kind: 'group' })
  }

  async close(): Promise<void> {
    await this.link?.close()
    this.listeners.clear()
  }
}
