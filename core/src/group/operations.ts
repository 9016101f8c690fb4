// The typed operations a member performs on a group. Each checks the member's permissions first and
// throws a typed error (PermissionDeniedError naming the missing point, InvalidOperationError), then
// makes its change as one signed envelope. Other peers do not trust these checks: their gates apply
// the same rules to the envelope (gate/rules.ts).

import type * as Y from 'yjs'
import { randomBytes, toBase64Url } from '../bytes'
import type { Envelope } from '../envelope/envelope'
import { hlcWallMs } from '../envelope/hlc'
import { InvalidOperationError, PermissionDeniedError, ValidationError } from '../errors'
import type { Identity } from '../identity/identity'
import type { SignedProfile } from '../identity/profile'
import type { UserId } from '../identity/user-id'
import { createInviteSecret, inviteIdOf, inviteKeyPair } from '../keys/invite-key'
import { isMember, memberIds, type AuthorityState } from './authority-state'
import {
  EVERYONE_ROLE,
  GROUP_DOC_ID,
  GroupRoot,
  PanelRoot,
  assignmentKey,
  bucketOfWallMs,
  deviceKey,
  hlcOfMessageId,
  messageIdFor,
  panelDocId,
  reactionKey,
  sanctionKey,
} from './documents'
import { makeJoinProof } from './join-proof'
import { rotateGroupKey } from './keyring'
import type { GroupKey } from '../keys/group-key'
import { resolvePermissions } from './permissions'
import type { Point } from './points'
import {
  LIMITS,
  RecordError,
  isTombstone,
  needsUnlimitedInvite,
  validateCallEnd,
  validateInvite,
  validateMember,
  validateMessage,
  validatePanel,
  validateRole,
  type InviteRecord,
  type MemberRecord,
  type MessageRecord,
  type PanelRecord,
  type PanelType,
  type RoleRecord,
} from './records'
import type { GroupSession } from './session'

export const newId = (): string => toBase64Url(randomBytes(9))

export interface InviteOptions {
  /** Milliseconds until it expires; null never expires (needs unlimitedInvite). Default 7 days. */
  expiresInMs?: number | null
  /** null: unlimited (needs unlimitedInvite). Default unlimited within 7 days, as Tailchat does. */
  maxUses?: number | null
}

export interface CreatedInvite {
  inviteId: string
  /** The secret the invite link carries; never stored in the group. */
  secret: Uint8Array
}

export interface SendOptions {
  mentions?: { users?: UserId[]; panels?: string[] }
  replyTo?: string
  /** A plugin's card drawn with the message (validated and size-capped like the rest). */
  card?: MessageRecord['card']
  /** Files (their blobs published first: BlobTransfer.publish), validated and capped like the rest. */
  attachments?: MessageRecord['attachments']
  /** Where a forwarded message comes from (validated and capped like the rest). */
  forwarded?: MessageRecord['forwarded']
  /** A call started here (the row that says so; `endCall` adds how long it lasted). */
  call?: MessageRecord['call']
}

/** A message just sent: its id, and the signed envelope that carries it (the Replica delivers it). */
export interface SentMessage {
  id: string
  envelope: Envelope
}

export interface ActionOptions {
  /**
   * Test hook: skip this client's own permission checks, as a modified client would. Everyone
   * else's gate still applies the rules, which is what the tests that use it show.
   */
  skipLocalChecks?: boolean
}

function checked<T>(validate: (v: unknown) => T, value: unknown): T {
  try {
    return validate(value)
  } catch (e) {
    if (e instanceof RecordError) throw new ValidationError(e.message)
    throw e
  }
}

const dropUndefined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T

export class GroupActions {
  constructor(
    readonly session: GroupSession,
    private readonly options: ActionOptions = {},
  ) {}

  get me(): UserId {
    return this.session.userId
  }

  private state(): AuthorityState {
    return this.session.authority()
  }

  private require(point: Point, action: string, panelId?: string): void {
    if (this.options.skipLocalChecks) return
    const perms = resolvePermissions(this.state(), this.me, panelId, Date.now())
    if (!perms.isMember) throw new InvalidOperationError('You are not a member of this group.')
    if (!perms.has(point)) throw new PermissionDeniedError(point, action)
  }

  /** A direct message keeps the one panel and the roles it was created with. */
  private requireNotDirectMessage(action: string): void {
    if (this.options.skipLocalChecks) return
    if (this.state().info?.dm) throw new InvalidOperationError(`A direct message does not allow ${action}.`)
  }

  private requireOwner(action: string): void {
    if (this.options.skipLocalChecks) return
    if (this.state().info?.owner !== this.me) throw new PermissionDeniedError('owner', action)
  }

  private requireGrantable(points: readonly Point[]): void {
    if (this.options.skipLocalChecks || this.state().info?.owner === this.me) return
    const perms = resolvePermissions(this.state(), this.me, undefined, Date.now())
    const missing = points.find((p) => !perms.has(p))
    if (missing) throw new PermissionDeniedError(missing, 'granting a point you do not hold')
  }

  private editGroup(edit: (doc: Y.Doc, hlc: number) => void, reduces?: readonly UserId[]) {
    return this.session.transact(GROUP_DOC_ID, edit, reduces ? { reduces } : {})
  }

  /** Who holds role `id` now: a change to it reduces them. */
  private holdersOf(id: string): UserId[] {
    return [...this.state().assignments].filter(([, roles]) => roles.has(id)).map(([u]) => u)
  }

  // --- group info -----------------------------------------------------------------------------

  async updateInfo(patch: { name?: string; avatar?: string; description?: string }): Promise<void> {
    this.require('groupBaseInfo', 'editing group info')
    if (patch.name !== undefined && ([...patch.name].length < 1 || [...patch.name].length > LIMITS.groupName))
      throw new ValidationError(`A group name has 1–${LIMITS.groupName} characters.`)
    if (patch.description !== undefined && [...patch.description].length > LIMITS.groupDescription)
      throw new ValidationError(`A group description has at most ${LIMITS.groupDescription} characters.`)
    await this.editGroup((doc) => {
      const info = doc.getMap(GroupRoot.info)
      for (const [k, v] of Object.entries(patch)) if (v !== undefined) info.set(k, v)
    })
  }

  async updateConfig(config: Record<string, unknown>): Promise<void> {
    this.require('groupConfig', 'editing group config')
    await this.editGroup((doc) => doc.getMap(GroupRoot.info).set('config', config))
  }

  async transferOwnership(to: UserId): Promise<void> {
    this.requireOwner('transferring ownership')
    if (!isMember(this.state(), to)) throw new InvalidOperationError('Ownership goes only to a member.')
    await this.editGroup((doc) => doc.getMap(GroupRoot.info).set('owner', to))
  }

  // --- panels ---------------------------------------------------------------------------------

  async createPanel(panel: {
    name: string
    type?: PanelType
    parentId?: string
    meta?: PanelRecord['meta']
    overrides?: PanelRecord['overrides']
  }): Promise<string> {
    this.requireNotDirectMessage('creating a panel')
    this.require('managePanel', 'creating a panel')
    const id = newId()
    const order = Math.max(0, ...[...this.state().panels.values()].map((p) => p.order + 1))
    const record = checked(validatePanel, dropUndefined({ type: 'text', order, ...panel }))
    if (record.parentId !== undefined && this.state().panels.get(record.parentId)?.type !== 'category')
      throw new InvalidOperationError('A panel nests only in a category.')
    await this.editGroup((doc) => doc.getMap(GroupRoot.panels).set(id, record))
    return id
  }

  async updatePanel(id: string, patch: Partial<PanelRecord>): Promise<void> {
    this.requireNotDirectMessage('editing a panel')
    this.require('managePanel', 'editing a panel')
    const current = this.panel(id)
    const record = checked(validatePanel, dropUndefined({ ...current, ...patch }))
    await this.editGroup((doc) => doc.getMap(GroupRoot.panels).set(id, record))
  }

  /** Moves a panel into a category (or to the top level with parentId undefined) at `order`. */
  async movePanel(id: string, to: { parentId?: string; order: number }): Promise<void> {
    const current = this.panel(id)
    const { parentId: _, ...rest } = current
    await this.updatePanel(id, to.parentId === undefined ? { ...rest, order: to.order } : { ...rest, ...to })
  }

  /** Deletes a panel; deleting a category deletes the panels in it, as Tailchat does. */
  async deletePanel(id: string): Promise<void> {
    this.requireNotDirectMessage('deleting a panel')
    this.require('managePanel', 'deleting a panel')
    this.panel(id)
    const children = [...this.state().panels].filter(([, p]) => p.parentId === id).map(([k]) => k)
    await this.editGroup((doc) => {
      const panels = doc.getMap(GroupRoot.panels)
      for (const k of [id, ...children]) panels.delete(k)
    })
  }

  private panel(id: string): PanelRecord {
    const p = this.state().panels.get(id)
    if (!p) throw new InvalidOperationError(`No panel ${id} in this group.`)
    return p
  }

  // --- roles ----------------------------------------------------------------------------------

  async createRole(role: RoleRecord): Promise<string> {
    this.requireNotDirectMessage('creating a role')
    this.require('manageRoles', 'creating a role')
    const record = checked(validateRole, dropUndefined(role))
    this.requireGrantable(record.points)
    const id = newId()
    await this.editGroup((doc) => doc.getMap(GroupRoot.roles).set(id, record))
    return id
  }

  async updateRole(id: string, patch: Partial<RoleRecord>): Promise<void> {
    this.requireNotDirectMessage('editing a role')
    this.require('manageRoles', 'editing a role')
    const current = this.state().roles.get(id)
    if (!current) throw new InvalidOperationError(`No role ${id} in this group.`)
    const record = checked(validateRole, dropUndefined({ ...current, ...patch }))
    this.requireGrantable(record.points)
    await this.editGroup((doc) => doc.getMap(GroupRoot.roles).set(id, record), this.holdersOf(id))
  }

  async deleteRole(id: string): Promise<void> {
    this.requireNotDirectMessage('deleting a role')
    this.require('manageRoles', 'deleting a role')
    if (id === EVERYONE_ROLE) throw new InvalidOperationError('The everyone role cannot be deleted.')
    const holders = this.holdersOf(id)
    await this.editGroup((doc) => {
      doc.getMap(GroupRoot.roles).delete(id)
      for (const u of holders) doc.getMap(GroupRoot.assignments).delete(assignmentKey(u, id))
    }, holders)
  }

  async assignRole(userId: UserId, roleId: string): Promise<void> {
    this.requireNotDirectMessage('assigning a role')
    this.require('manageRoles', 'assigning a role')
    const role = this.state().roles.get(roleId)
    if (!role || roleId === EVERYONE_ROLE) throw new InvalidOperationError(`No assignable role ${roleId}.`)
    if (!isMember(this.state(), userId)) throw new InvalidOperationError('Roles go only to members.')
    this.requireGrantable(role.points)
    await this.editGroup((doc) => doc.getMap(GroupRoot.assignments).set(assignmentKey(userId, roleId), true))
  }

  async unassignRole(userId: UserId, roleId: string): Promise<void> {
    this.requireNotDirectMessage('unassigning a role')
    this.require('manageRoles', 'unassigning a role')
    await this.editGroup(
      (doc) => doc.getMap(GroupRoot.assignments).delete(assignmentKey(userId, roleId)),
      [userId],
    )
  }

  // --- invites --------------------------------------------------------------------------------

  async createInvite(options: InviteOptions = {}): Promise<CreatedInvite> {
    const expiresInMs = options.expiresInMs === undefined ? LIMITS.normalInviteMs : options.expiresInMs
    const maxUses = options.maxUses === undefined ? null : options.maxUses
    this.require('invite', 'creating an invite')
    if (needsUnlimitedInvite(expiresInMs, maxUses))
      this.require('unlimitedInvite', 'creating a permanent or unlimited invite')
    const secret = createInviteSecret()
    const inviteId = inviteIdOf((await inviteKeyPair(secret)).publicKey)
    await this.editGroup((doc, hlc) => {
      const record: InviteRecord = {
        creator: this.me,
        createdAt: hlc,
        expiresAt: expiresInMs === null ? null : hlcWallMs(hlc) + expiresInMs,
        maxUses,
      }
      doc.getMap(GroupRoot.invites).set(inviteId, checked(validateInvite, record))
    })
    return { inviteId, secret }
  }

  async editInvite(
    inviteId: string,
    patch: { expiresAt?: number | null; maxUses?: number | null },
  ): Promise<void> {
    const current = this.invite(inviteId)
    this.require('editInvite', 'editing an invite')
    const record = checked(validateInvite, { ...current, ...patch })
    await this.editGroup((doc) => doc.getMap(GroupRoot.invites).set(inviteId, record))
  }

  async revokeInvite(inviteId: string): Promise<void> {
    const current = this.invite(inviteId)
    if (current.creator !== this.me) this.require('manageInvite', 'revoking an invite')
    await this.editGroup((doc) => doc.getMap(GroupRoot.invites).set(inviteId, { ...current, revoked: true }))
  }

  private invite(id: string): InviteRecord {
    const i = this.state().invites.get(id)
    if (!i) throw new InvalidOperationError('No such invite in this group.')
    return i
  }

  /**
   * Joins with an invite link's secret. The session's gate must already hold the group document
   * (synced from a member) so the invite can be checked before anything is signed. `relays` (as
   * `updateRelays` takes them) are in the member record from the start.
   */
  async join(secret: Uint8Array, profile?: SignedProfile, relays: readonly string[] = []): Promise<void> {
    const pair = await inviteKeyPair(secret)
    const inviteId = inviteIdOf(pair.publicKey)
    const state = this.state()
    if (isMember(state, this.me)) throw new InvalidOperationError('Already a member.')
    if (state.bans.has(this.me) && !this.options.skipLocalChecks)
      throw new InvalidOperationError('You are banned from this group.')
    const invite = state.invites.get(inviteId)
    if (!invite && !this.options.skipLocalChecks)
      throw new InvalidOperationError('This invite is not valid here.')
    if (invite && !this.options.skipLocalChecks) {
      if (invite.revoked) throw new InvalidOperationError('This invite was revoked.')
      if (invite.expiresAt !== null && invite.expiresAt <= Date.now())
        throw new InvalidOperationError('This invite has expired.')
      if (invite.maxUses !== null && (state.inviteUses.get(inviteId) ?? 0) >= invite.maxUses)
        throw new InvalidOperationError('This invite has been used up.')
      if (state.info?.dm && memberIds(state).length >= LIMITS.dmParticipants)
        throw new InvalidOperationError('This direct message is full.')
    }
    const proof = await makeJoinProof(pair, this.session.groupId, this.me)
    const box = await publishedBoxKey(this.session.identity)
    await this.editGroup((doc, hlc) => {
      const record: MemberRecord = dropUndefined({
        joinedAt: hlc,
        invite: { id: inviteId, proof, creator: invite?.creator ?? this.me },
        profile,
        box,
        relays: relays.length ? [...relays] : undefined,
      })
      doc.getMap(GroupRoot.members).set(this.me, checked(validateMember, record))
    })
  }

  async updateProfile(profile: SignedProfile): Promise<void> {
    const current = this.state().members.get(this.me)
    if (!current) throw new InvalidOperationError('Not a member.')
    await this.editGroup((doc) => doc.getMap(GroupRoot.members).set(this.me, { ...current, profile }))
  }

  /**
   * Records the relays this member uses (http(s) base URLs, at most an invite link's worth) in their
   * member record, where invite links made by any member find them. Writes nothing when unchanged.
   */
  async updateRelays(relays: readonly string[]): Promise<void> {
    const current = this.state().members.get(this.me)
    if (!current || !isMember(this.state(), this.me)) throw new InvalidOperationError('Not a member.')
    if (JSON.stringify(current.relays ?? []) === JSON.stringify(relays)) return
    const { relays: _previous, ...rest } = current
    const record: MemberRecord = relays.length ? { ...rest, relays: [...relays] } : rest
    await this.editGroup((doc) => doc.getMap(GroupRoot.members).set(this.me, checked(validateMember, record)))
  }

  async leave(): Promise<void> {
    const current = this.state().members.get(this.me)
    if (!current || !isMember(this.state(), this.me)) throw new InvalidOperationError('Not a member.')
    if (this.state().info?.owner === this.me)
      throw new InvalidOperationError('Transfer ownership before leaving the group.')
    await this.editGroup((doc) => doc.getMap(GroupRoot.members).set(this.me, { ...current, left: true }))
  }

  // --- moderation -----------------------------------------------------------------------------

  private requireTarget(userId: UserId, action: string): void {
    this.require('manageUser', action)
    if (this.options.skipLocalChecks) return
    if (userId === this.state().info?.owner)
      throw new InvalidOperationError('The owner cannot be sanctioned.')
    if (userId === this.me) throw new InvalidOperationError('You cannot sanction yourself.')
  }

  async mute(userId: UserId, durationMs: number): Promise<void> {
    this.requireTarget(userId, 'muting a member')
    await this.editGroup(
      (doc, hlc) =>
        doc
          .getMap(GroupRoot.sanctions)
          .set(sanctionKey('mute', userId), { until: hlcWallMs(hlc) + durationMs, by: this.me, at: hlc }),
      [userId],
    )
  }

  async unmute(userId: UserId): Promise<void> {
    this.requireTarget(userId, 'unmuting a member')
    await this.editGroup((doc) => doc.getMap(GroupRoot.sanctions).delete(sanctionKey('mute', userId)))
  }

  /** Removes a member; then rotates the group key so they read nothing sent afterwards. */
  async kick(userId: UserId): Promise<void> {
    this.requireTarget(userId, 'kicking a member')
    await this.editGroup(
      (doc, hlc) =>
        doc.getMap(GroupRoot.sanctions).set(sanctionKey('kick', userId), { at: hlc, by: this.me }),
      [userId],
    )
    await this.rotateKeyIfPossible()
  }

  /** Bans a member (no invite lets them back); then rotates the group key. */
  async ban(userId: UserId): Promise<void> {
    this.requireTarget(userId, 'banning a member')
    await this.editGroup(
      (doc, hlc) => doc.getMap(GroupRoot.sanctions).set(sanctionKey('ban', userId), { at: hlc, by: this.me }),
      [userId],
    )
    await this.rotateKeyIfPossible()
  }

  /**
   * A new group key, wrapped for every current member with a box key (X25519), recorded in the group
   * document. Returns the new key; the caller's replica seals new content with it from now on.
   */
  async rotateKey(): Promise<GroupKey> {
    return rotateGroupKey(this.session, newId)
  }

  private async rotateKeyIfPossible(): Promise<void> {
    // A member whose identity key cannot be exported has no box key (and a linked device not recorded
    // here has none the others know): someone else has to rotate.
    const deviceId = this.session.identity.deviceId
    const state = this.state()
    const sealer =
      deviceId === undefined
        ? state.members.get(this.me)?.box
        : state.devices.get(deviceKey(this.me, deviceId))?.record
    if (sealer !== undefined) await this.rotateKey()
  }

  /**
   * Lifts a ban: an invite lets them back from now on. It does not make them a member again: the ban
   * took them out and the key rotated past them, so a removal at this time (a kick, which a join
   * after it overrides) keeps them out until they join, for every peer as for their own device.
   */
  async unban(userId: UserId): Promise<void> {
    this.requireTarget(userId, 'unbanning a member')
    await this.editGroup(
      (doc, hlc) => {
        const sanctions = doc.getMap(GroupRoot.sanctions)
        sanctions.delete(sanctionKey('ban', userId))
        sanctions.set(sanctionKey('kick', userId), { at: hlc, by: this.me })
      },
      [userId],
    )
  }

  // --- messages -------------------------------------------------------------------------------

  private textPanel(panelId: string): PanelRecord {
    const panel = this.panel(panelId)
    if (panel.type === 'category' || panel.type === 'web' || panel.type === 'voice')
      throw new InvalidOperationError('This panel has no messages.')
    return panel
  }

  /** The history document a message lives in, from the time in its id. */
  docOf(panelId: string, messageId: string): string {
    const hlc = hlcOfMessageId(messageId)
    if (hlc === null) throw new ValidationError(`Not a message id: ${messageId}`)
    return panelDocId(panelId, bucketOfWallMs(hlcWallMs(hlc)))
  }

  message(panelId: string, messageId: string): MessageRecord | undefined {
    const doc = this.session.gate.doc(this.docOf(panelId, messageId))
    return doc.getMap<MessageRecord>(PanelRoot.messages).get(messageId)
  }

  /** Sends a message: resolves with its id and the envelope that carries it. */
  async send(panelId: string, body: string, options: SendOptions = {}): Promise<SentMessage> {
    this.textPanel(panelId)
    this.require('message', 'sending a message', panelId)
    let replyTo: MessageRecord['replyTo']
    if (options.replyTo !== undefined) {
      const original = this.message(panelId, options.replyTo)
      if (!original || isTombstone(original))
        throw new InvalidOperationError('The message replied to is gone.')
      replyTo = {
        id: options.replyTo,
        author: original.author,
        excerpt: [...original.body].slice(0, LIMITS.replyExcerpt).join(''),
      }
    }
    // The HLC the session assigns is only known inside the transaction, and the message id and
    // bucket derive from it: take it from the clock first and file the message under it.
    const hlc = this.session.clock.now()
    const id = messageIdFor(hlc, newId())
    const record = checked(
      validateMessage,
      dropUndefined({
        author: this.me,
        hlc,
        body,
        mentions: options.mentions,
        replyTo,
        card: options.card,
        attachments: options.attachments,
        forwarded: options.forwarded,
        call: options.call,
      }),
    )
    const envelope = await this.session.transact(
      this.docOf(panelId, id),
      (doc) => doc.getMap(PanelRoot.messages).set(id, record),
      { carries: id },
    )
    // A new message always changes its document: the transaction is never empty.
    return { id, envelope: envelope! }
  }

  reply(
    panelId: string,
    messageId: string,
    body: string,
    options: Omit<SendOptions, 'replyTo'> = {},
  ): Promise<SentMessage> {
    return this.send(panelId, body, { ...options, replyTo: messageId })
  }

  async edit(panelId: string, messageId: string, body: string): Promise<void> {
    const current = this.ownMessage(panelId, messageId)
    this.require('message', 'editing a message', panelId)
    await this.session.transact(this.docOf(panelId, messageId), (doc, hlc) =>
      doc
        .getMap(PanelRoot.messages)
        .set(messageId, checked(validateMessage, { ...current, body, editedAt: hlc })),
    )
  }

  /**
   * The call `callId` started in this panel has ended: its row says how long it lasted. Anyone who
   * may join calls here may record it (whoever was last in the call; its starter may be long gone),
   * once: false when it is recorded already, or no message of the last two weeks started that call.
   */
  async endCall(panelId: string, callId: string, endedAt: number): Promise<boolean> {
    this.textPanel(panelId)
    this.require('callJoin', 'recording the end of a call', panelId)
    const newest = bucketOfWallMs(Date.now())
    for (const bucket of [newest, newest - 1]) {
      const docId = panelDocId(panelId, bucket)
      if (!this.session.gate.hasDoc(docId)) continue
      const doc = this.session.gate.doc(docId)
      let messageId: string | undefined
      doc.getMap<MessageRecord>(PanelRoot.messages).forEach((m, id) => {
        if (m.call?.id === callId && !isTombstone(m)) messageId = id
      })
      if (messageId === undefined) continue
      const ends = doc.getMap(PanelRoot.callEnds)
      if (ends.has(messageId)) return false
      const id = messageId
      const started = hlcWallMs(hlcOfMessageId(id)!)
      await this.session.transact(docId, (d) =>
        d
          .getMap(PanelRoot.callEnds)
          .set(id, checked(validateCallEnd, { endedAt: Math.max(started, Math.min(endedAt, Date.now())) })),
      )
      return true
    }
    return false
  }

  /** Recall: the author within 15 minutes, or a member with deleteMessage. Shown as "recalled". */
  async recall(panelId: string, messageId: string): Promise<void> {
    const current = this.existing(panelId, messageId)
    const own = current.author === this.me
    if (!own || Date.now() - hlcWallMs(current.hlc) > LIMITS.recallWindowMs)
      this.require(
        'deleteMessage',
        own ? 'recalling after 15 minutes' : "recalling others' messages",
        panelId,
      )
    await this.tombstone(panelId, messageId, current, 'recalled')
  }

  /** Delete: the author, or a member with deleteMessage. */
  async deleteMessage(panelId: string, messageId: string): Promise<void> {
    const current = this.existing(panelId, messageId)
    if (current.author !== this.me) this.require('deleteMessage', "deleting others' messages", panelId)
    await this.tombstone(panelId, messageId, current, 'deleted')
  }

  private async tombstone(panelId: string, id: string, m: MessageRecord, kind: 'recalled' | 'deleted') {
    await this.session.transact(this.docOf(panelId, id), (doc, hlc) =>
      doc
        .getMap(PanelRoot.messages)
        .set(id, { author: m.author, hlc: m.hlc, body: '', [kind]: { by: this.me, at: hlc } }),
    )
  }

  async react(panelId: string, messageId: string, emoji: string): Promise<void> {
    this.existing(panelId, messageId)
    this.require('message', 'reacting', panelId)
    if ([...emoji].length < 1 || [...emoji].length > LIMITS.emoji || emoji.includes('|'))
      throw new ValidationError('Not an emoji.')
    await this.session.transact(this.docOf(panelId, messageId), (doc) =>
      doc.getMap(PanelRoot.reactions).set(reactionKey(messageId, emoji, this.me), 1),
    )
  }

  async unreact(panelId: string, messageId: string, emoji: string): Promise<void> {
    await this.session.transact(this.docOf(panelId, messageId), (doc) =>
      doc.getMap(PanelRoot.reactions).delete(reactionKey(messageId, emoji, this.me)),
    )
  }

  private existing(panelId: string, messageId: string): MessageRecord {
    this.textPanel(panelId)
    const m = this.message(panelId, messageId)
    if (!m || isTombstone(m)) throw new InvalidOperationError('No such message.')
    return m
  }

  private ownMessage(panelId: string, messageId: string): MessageRecord {
    const m = this.existing(panelId, messageId)
    if (m.author !== this.me && !this.options.skipLocalChecks)
      throw new PermissionDeniedError('author', "editing another member's message")
    return m
  }
}

/**
 * The box key a member publishes: their identity's (a linked device publishes its user's, never its
 * own), or undefined when the identity key cannot be exported.
 */
export async function publishedBoxKey(identity: Identity): Promise<string | undefined> {
  if (identity.userBox) return toBase64Url(identity.userBox)
  try {
    return toBase64Url((await identity.boxKeys()).publicKey)
  } catch {
    return undefined
  }
}
