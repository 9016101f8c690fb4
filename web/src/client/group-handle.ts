// One group as the app sees it: core's OpenGroup (gate, session, actions) and the sync layer's link
// (delivery, status, presence, files). Views read the gate's documents through the accessors here and
// re-read on `onChange`; nothing is copied out of the documents and kept.
import {
  inviteIdOf,
  inviteKeyPair,
  isMember,
  memberIds,
  openPluginState,
  parseDocId,
  resolvePermissions,
  toBase64Url,
  validateProfile,
  type GroupInfo,
  type GroupKey,
  type OpenGroup,
  type PanelRecord,
  type PluginState,
  type Point,
  type CallHub,
  type Presence,
  type SendOptions,
  type SignedProfile,
  type TransportStatus,
  type UserId,
} from '@tailmesh/core'
import type { BlobTransfer } from '@tailmesh/core'
import { CardPresses } from './card-presses'
import { encodeInvitePayload, inviteLink } from './invite-link'
import { groupInviteRelays } from './relays'
import { HistoryWindows, type ChatMessage, type HistoryView } from './history-window'
import type { GroupLink, LinkStatus } from './sync'

export type { ChatMessage, DeliveryStatus, HistoryView, HistoryWeek } from './history-window'

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

export class GroupHandle {
  readonly groupId: string
  private link: GroupLink | null = null
  private unlink: () => void = () => {}
  private readonly listeners = new Set<ChangeListener>()
  private readonly windows: HistoryWindows
  /** Presses on my cards as they arrive, for plugins that answer them (card-presses.ts). */
  readonly cardPresses: CardPresses

  constructor(
    readonly group: OpenGroup,
    readonly key: GroupKey,
  ) {
    this.groupId = group.groupId
    this.windows = new HistoryWindows(group.gate)
    this.cardPresses = new CardPresses(group.gate, group.session.userId)
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

  /**
   * Holds `key` too when this device does not (an invite link opened by someone the group's key
   * rotated past: removed, then let back in). Without it nothing sent since, the invite included,
   * would ever open here.
   */
  async holdKey(key: GroupKey): Promise<void> {
    const raw = toBase64Url(key.raw)
    if (!this.link || this.keyring().some((k) => toBase64Url(k.raw) === raw)) return
    await this.link.addKey(key)
  }

  /** Every key of this group this device holds, oldest first (handed to a device being linked). */
  keyring(): GroupKey[] {
    const held = this.link?.keyring() ?? []
    return held.length > 0 ? held : [this.key]
  }

  /**
   * Connects the group to the sync layer, which delivers the session's envelopes from now on (a new
   * group's genesis included) and says when one is delivered, also for those kept pending from before
   * a reload.
   */
  attach(link: GroupLink): void {
    this.link = link
    let status = this.connection()
    const statusChanged = () => {
      const now = this.connection()
      if (now.relay !== status.relay || now.peers !== status.peers) this.emit({ kind: 'connection' })
      status = now
    }
    const offLink = link.onChange((change) => {
      if (change === 'delivery') return this.emit({ kind: 'delivery' })
      statusChanged()
    })
    // Who is online bounds the peer count (connection()): it moves with presence too.
    const offPresence = link.presence?.onChange(statusChanged)
    this.unlink = () => {
      offLink()
      offPresence?.()
    }
    // Views waiting for what only an attached group has (presence, status) read it now.
    this.emit({ kind: 'connection' })
  }

  /** Who is online and typing in this group (null until attached, or with nothing carrying it). */
  presence(): Presence | null {
    return this.link?.presence ?? null
  }

  /** This group's calls (null until attached, or with nothing carrying the group). */
  calls(): CallHub | null {
    return this.link?.calls ?? null
  }

  /** This group's files (null until attached, or with nothing carrying the group). */
  blobs(): BlobTransfer | null {
    return this.link?.blobs ?? null
  }

  /**
   * How this device reaches the group's other members (nothing until attached). Peers are people:
   * the transports count links, and one person is on several (a room per group key after a rotation,
   * a tab each), so the count is held to the other members online (presence) when that is known.
   */
  connection(): LinkStatus {
    const status = this.link?.status()
    const links = status?.peers ?? 0
    const presence = this.link?.presence
    if (!presence) return { relay: status?.durable ?? false, peers: links }
    const people = new Set(
      [...presence.members().values()].filter((m) => m.online && m.userId !== this.me).map((m) => m.userId),
    )
    return { relay: status?.durable ?? false, peers: Math.min(links, people.size) }
  }

  /** Each transport carrying the group, with its links, peers and frames received (diagnostics, tests). */
  transports(): TransportStatus[] {
    return this.link?.status().transports ?? []
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
    const record = this.group.gate.authority().members.get(userId)
    if (record === undefined) return userId.slice(0, 8)
    // The authority keeps a member's record object until the record changes: its nickname is read
    // once, not on every re-read of a large group's member list.
    let nickname = nicknames.get(record)
    if (nickname === undefined) nicknames.set(record, (nickname = nicknameIn(record.profile, userId)))
    return nickname
  }

  /** The panel's recent history, in order, each with its delivery status. */
  messages(panelId: string): ChatMessage[] {
    return this.history(panelId).messages
  }

  /**
   * A window of the panel's history: from bucket `fromBucket` (paging back) or the recent weeks up to
   * this one, my undelivered messages marked pending.
   */
  history(panelId: string, fromBucket?: number): HistoryView {
    return this.windows.read(panelId, this.link?.pendingMessages(panelId) ?? new Set(), fromBucket)
  }

  /** Whether I hold `point` in this panel now (to show or hide actions; the gate decides anyway). */
  can(point: Point, panelId?: string): boolean {
    return resolvePermissions(this.group.gate.authority(), this.me, panelId, Date.now()).has(point)
  }

  // --- acting -----------------------------------------------------------------------------------

  /** Sends a markdown message; resolves with its id (it shows as pending until delivered). */
  async send(panelId: string, body: string, options: SendOptions = {}): Promise<string> {
    return (await this.group.actions.send(panelId, body, options)).id
  }

  async edit(panelId: string, messageId: string, body: string): Promise<void> {
    await this.group.actions.edit(panelId, messageId, body)
  }

  /**
   * The call `callId` started in this panel has ended: its row says how long it lasted. False when
   * someone recorded it already (core's GroupActions.endCall).
   */
  async endCall(panelId: string, callId: string, endedAt: number): Promise<boolean> {
    return this.group.actions.endCall(panelId, callId, endedAt)
  }

  async recall(panelId: string, messageId: string): Promise<void> {
    await this.group.actions.recall(panelId, messageId)
  }

  async deleteMessage(panelId: string, messageId: string): Promise<void> {
    await this.group.actions.deleteMessage(panelId, messageId)
  }

  async react(panelId: string, messageId: string, emoji: string): Promise<void> {
    await this.group.actions.react(panelId, messageId, emoji)
  }

  async unreact(panelId: string, messageId: string, emoji: string): Promise<void> {
    await this.group.actions.unreact(panelId, messageId, emoji)
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

/** Nicknames by member record (records are immutable: a change is a new object). */
const nicknames = new WeakMap<object, string>()

function nicknameIn(profile: unknown, userId: UserId): string {
  const sp = profile as SignedProfile | undefined
  try {
    if (sp && sp.userId === userId) return validateProfile(sp.profile).nickname
  } catch {
    // an unreadable profile: fall back to the id
  }
  return userId.slice(0, 8)
}
