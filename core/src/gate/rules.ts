// Where an author may write: the authorisation half of the gate. Given what an update touches
// (footprint.ts) and the group's authority at the envelope's timestamp, say why it is not allowed,
// or null. Each top-level map has one rule; a rule sees owners of removed structs through the
// clientID bindings, never the order in which things arrived.

import type { UserId } from '../identity/user-id'
import {
  deviceKeyRecipients,
  isMember,
  isMuted,
  keyRecipients,
  memberIds,
  rolesOf,
} from '../group/authority-state'
import {
  actionRecordProblem,
  cardActionRefusal,
  cardKey,
  cardRecordProblem,
  parseActionKey,
  type ActionRecord,
  type CardRecord,
} from '../group/card-record'
import { deviceRule, revokedDeviceRefusal } from './device-rules'
import {
  EVERYONE_ROLE,
  GroupRoot,
  PanelRoot,
  bucketOfWallMs,
  deviceKey,
  hlcOfMessageId,
  parsePinKey,
  parseReactionKey,
} from '../group/documents'
import { groupIdFor } from '../group/group-id'
import { verifyJoinProof } from '../group/join-proof'
import { resolvePermissions, type Permissions } from '../group/permissions'
import type { Point } from '../group/points'
import {
  LIMITS,
  RecordError,
  isTombstone,
  needsUnlimitedInvite,
  validateCallEnd,
  validateInvite,
  validateKeyRotation,
  validateKeyRotationPart,
  parseKeyRotationPartKey,
  validateMember,
  validateMessage,
  validatePanel,
  validatePin,
  validateRole,
  validateSanction,
  type InviteRecord,
  type MessageRecord,
  type PinRecord,
} from '../group/records'
import { isUserId } from '../identity/user-id'
import { hlcWallMs } from '../envelope/hlc'
import type { Touch } from './footprint'
import { pluginDocRules } from './plugin-rules'
import type { RuleContext } from './rule-context'

const wallOf = hlcWallMs

class Judge {
  private readonly permsCache = new Map<string, Permissions>()
  constructor(private readonly ctx: RuleContext) {}

  perms(panelId?: string): Permissions {
    const k = panelId ?? ''
    let p = this.permsCache.get(k)
    if (!p)
      this.permsCache.set(
        k,
        (p = resolvePermissions(this.ctx.state, this.ctx.author, panelId, this.ctx.wallMs)),
      )
    return p
  }

  need(point: Point, action: string, panelId?: string): string | null {
    return this.perms(panelId).has(point) ? null : `permission denied: ${action} needs "${point}"`
  }

  /** Owners, other than the author, of structs the touch deletes. */
  othersRemoved(t: Touch): UserId[] {
    const out: UserId[] = []
    for (const c of t.removedClients) {
      const owner = this.ctx.ownerOfClient(c)
      if (owner !== this.ctx.author) out.push(owner ?? `client ${c}`)
    }
    return out
  }

  isOwner(): boolean {
    return this.ctx.state.info?.owner === this.ctx.author
  }

  /** A non-owner may hand out only points they hold themselves: no escalation through roles. */
  canGrant(points: readonly Point[]): string | null {
    if (this.isOwner()) return null
    const missing = points.filter((p) => !this.perms().has(p))
    return missing.length
      ? `permission denied: cannot grant points the author lacks (${missing.join(', ')})`
      : null
  }
}

const last = (t: Touch): unknown => t.written[t.written.length - 1]
const validated = <T>(fn: (v: unknown) => T, v: unknown): T | string => {
  try {
    return fn(v)
  } catch (e) {
    return e instanceof RecordError ? `invalid record: ${e.message}` : `invalid record`
  }
}

// ---------------------------------------------------------------------------------------------
// group document

async function genesis(touches: Touch[], ctx: RuleContext): Promise<string | null> {
  const info = touches.filter((t) => t.root === GroupRoot.info)
  const owner = info.find((t) => t.key === 'owner')
  const nonce = info.find((t) => t.key === 'nonce')
  if (!owner || last(owner) !== ctx.author)
    return 'the group does not exist at this time (not a genesis by its owner)'
  if (
    !nonce ||
    typeof last(nonce) !== 'string' ||
    (await groupIdFor(ctx.author, last(nonce) as string)) !== ctx.groupId
  )
    return 'genesis does not match the group id (the id is bound to the owner key)'
  const dm = info.find((t) => t.key === 'dm')
  if (dm && last(dm) === true) {
    const panels = touches.filter((t) => t.root === GroupRoot.panels)
    const only = panels.length === 1 ? (last(panels[0]!) as { type?: unknown; parentId?: unknown }) : null
    if (!only || only.type !== 'text' || only.parentId !== undefined)
      return 'invalid direct message: it is created with exactly one text panel'
  }
  for (const t of touches) {
    if (t.nonJson) return `invalid structure: ${t.root}.${t.key} must hold plain values`
    if (t.root === GroupRoot.members && t.key !== ctx.author)
      return 'genesis may add only its owner as member'
    if (
      t.root === GroupRoot.sanctions ||
      t.root === GroupRoot.invites ||
      t.root === GroupRoot.assignments ||
      t.root === GroupRoot.keys ||
      t.root === GroupRoot.pins ||
      t.root === GroupRoot.cards
    )
      return `genesis may not write ${t.root}`
    const reason = validateGroupValue(t)
    if (reason) return reason
  }
  return null
}

function validateGroupValue(t: Touch): string | null {
  for (const v of t.written) {
    if (v === undefined) continue
    let r: unknown
    switch (t.root) {
      case GroupRoot.info:
        r = validateInfoField(t.key, v)
        break
      case GroupRoot.roles:
        r = validated(validateRole, v)
        break
      case GroupRoot.members:
        r = validated(validateMember, v)
        break
      case GroupRoot.panels:
        r = validated(validatePanel, v)
        break
      case GroupRoot.invites:
        r = validated(validateInvite, v)
        break
      case GroupRoot.assignments:
        r = v === true ? null : 'invalid record: an assignment is true'
        break
      case GroupRoot.keys:
        r = t.key.includes('/') ? validated(validateKeyRotationPart, v) : validated(validateKeyRotation, v)
        break
      case GroupRoot.devices:
        r = null // device-rules.ts validates and checks signatures
        break
      case GroupRoot.pins:
        r = validated(validatePin, v)
        break
      case GroupRoot.cards: {
        const problem = cardRecordProblem(v)
        r = problem ? `invalid record: ${problem}` : null
        break
      }
      case GroupRoot.sanctions: {
        const kind = t.key.split('/')[0]
        r =
          kind === 'mute' || kind === 'ban' || kind === 'kick'
            ? validated((x) => validateSanction(kind, x), v)
            : 'invalid record: unknown sanction'
        break
      }
      default:
        return `invalid location: unknown map "${t.root}"`
    }
    if (typeof r === 'string') return r
  }
  return null
}

function validateInfoField(key: string, v: unknown): string | null {
  const str = (max: number, min = 0) =>
    typeof v === 'string' && [...v].length >= min && [...v].length <= max
      ? null
      : `invalid record: info.${key}`
  switch (key) {
    case 'name':
      return str(LIMITS.groupName, 1)
    case 'description':
      return str(LIMITS.groupDescription)
    case 'avatar':
      return str(LIMITS.avatar)
    case 'owner':
      return isUserId(v) ? null : 'invalid record: info.owner'
    case 'nonce':
      return str(32, 16)
    case 'createdAt':
      return Number.isSafeInteger(v) ? null : 'invalid record: info.createdAt'
    case 'dm':
      return typeof v === 'boolean' ? null : 'invalid record: info.dm'
    case 'authority':
      return v === 2 ? null : 'invalid record: info.authority'
    case 'config':
      return typeof v === 'object' && v !== null && !Array.isArray(v) && JSON.stringify(v).length <= 4096
        ? null
        : 'invalid record: info.config'
    default:
      return `invalid record: unknown info field "${key}"`
  }
}

function infoRule(t: Touch, j: Judge, ctx: RuleContext): string | null {
  switch (t.key) {
    case 'name':
    case 'avatar':
    case 'description':
      return j.need('groupBaseInfo', 'editing group info')
    case 'config':
      return j.need('groupConfig', 'editing group config')
    case 'owner': {
      if (!j.isOwner()) return 'permission denied: only the owner transfers ownership'
      const to = last(t)
      return typeof to === 'string' && isMember(ctx.state, to) ? null : 'ownership goes only to a member'
    }
    default:
      return `info.${t.key} is fixed at creation`
  }
}

async function joinRule(t: Touch, ctx: RuleContext): Promise<string | null> {
  const record = validated(validateMember, last(t))
  if (typeof record === 'string') return record
  if (ctx.state.bans.has(ctx.author)) return 'banned: no invite lets a banned user back in'
  if (!record.invite) return 'not a member: a join needs an invite'
  const invite: InviteRecord | undefined = ctx.state.invites.get(record.invite.id)
  if (!invite) return 'join with an unknown invite'
  if (invite.revoked) return 'join with a revoked invite'
  if (invite.expiresAt !== null && invite.expiresAt <= ctx.wallMs) return 'join with an expired invite'
  if (invite.maxUses !== null && (ctx.state.inviteUses.get(record.invite.id) ?? 0) >= invite.maxUses)
    return 'join with an exhausted invite (usage limit reached)'
  if (record.invite.creator !== invite.creator) return 'join names the wrong invite creator'
  if (record.joinedAt !== ctx.hlc) return 'join time must be the envelope time'
  if (record.left) return 'a join cannot be a leave'
  if (ctx.state.info?.dm && memberIds(ctx.state).length >= LIMITS.dmParticipants)
    return `the direct message is full (${LIMITS.dmParticipants} people)`
  if (!(await verifyJoinProof(record.invite.id, record.invite.proof, ctx.groupId, ctx.author)))
    return 'join with a forged invite (proof does not verify)'
  return null
}

function memberRule(t: Touch, j: Judge, ctx: RuleContext): string | null {
  if (t.key !== ctx.author) return "invalid write: a member's record is written only by that member"
  const current = ctx.state.members.get(ctx.author)
  const v = last(t)
  if (v === undefined) return j.isOwner() ? 'the owner must transfer ownership before leaving' : null
  const record = validated(validateMember, v)
  if (typeof record === 'string') return record
  if (current && (record.joinedAt !== current.joinedAt || record.invite?.id !== current.invite?.id))
    return 'a member cannot rewrite how they joined'
  // Wraps for the member's box key are opened by the identity holder: a device may not redirect them.
  if (ctx.device !== undefined && current && record.box !== current.box)
    return "a linked device cannot change the member's box key"

  if (record.left && j.isOwner()) return 'the owner must transfer ownership before leaving'
  return null
}

function roleRule(t: Touch, j: Judge): string | null {
  const denied = j.need('manageRoles', 'editing roles')
  if (denied) return denied
  const v = last(t)
  if (v === undefined) return t.key === EVERYONE_ROLE ? 'the everyone role cannot be deleted' : null
  return j.canGrant(validateRole(v).points)
}

function assignmentRule(t: Touch, j: Judge, ctx: RuleContext): string | null {
  const denied = j.need('manageRoles', 'assigning roles')
  if (denied) return denied
  const [userId, roleId] = t.key.split('/')
  if (!userId || !roleId || !isUserId(userId)) return 'invalid assignment key'
  if (last(t) === undefined) return null
  const role = ctx.state.roles.get(roleId)
  if (!role) return `unknown role "${roleId}"`
  return j.canGrant(role.points)
}

function sanctionRule(t: Touch, j: Judge, ctx: RuleContext): string | null {
  const denied = j.need('manageUser', 'muting, kicking or banning')
  if (denied) return denied
  const [, target] = t.key.split('/')
  if (!target || !isUserId(target)) return 'invalid sanction key'
  if (target === ctx.state.info?.owner) return 'the owner cannot be sanctioned'
  if (target === ctx.author) return 'a member cannot sanction themselves'
  const v = last(t) as { by?: unknown; at?: unknown } | undefined
  // Only someone who had joined by then: a sanction dated before its target joined would turn their
  // join, and everything after, into a stranger's (back-dating to pre-empt: docs/adr/0009).
  if (v !== undefined && !ctx.state.members.has(target)) return 'the target had not joined at this time'
  if (v !== undefined) {
    if (v.by !== ctx.author) return 'a sanction names who imposed it'
    if (v.at !== undefined && v.at !== ctx.hlc) return 'a kick or ban takes effect at the envelope time'
  }
  return null
}

function panelRule(t: Touch, j: Judge, ctx: RuleContext, touches: Touch[]): string | null {
  const denied = j.need('managePanel', 'editing panels')
  if (denied) return denied
  const v = last(t)
  if (v === undefined) return null
  const panel = validatePanel(v)
  if (panel.parentId !== undefined) {
    const sibling = touches.find((x) => x.root === GroupRoot.panels && x.key === panel.parentId)
    const parent = sibling
      ? (last(sibling) as { type?: string } | undefined)
      : ctx.state.panels.get(panel.parentId)
    if (!parent || parent.type !== 'category') return 'a panel nests only in a category'
  }
  return null
}

function inviteRule(t: Touch, j: Judge, ctx: RuleContext): string | null {
  const before = ctx.state.invites.get(t.key)
  const v = last(t)
  const isCreator = before?.creator === ctx.author
  if (v === undefined) return isCreator ? null : j.need('manageInvite', 'deleting an invite')
  const after = validateInvite(v)
  const unlimited = needsUnlimitedInvite(
    after.expiresAt === null ? null : after.expiresAt - ctx.wallMs,
    after.maxUses,
  )
  if (!before) {
    if (after.creator !== ctx.author) return 'an invite names its creator'
    const denied = j.need('invite', 'creating an invite')
    if (denied) return denied
    return unlimited ? j.need('unlimitedInvite', 'creating a permanent or unlimited invite') : null
  }
  if (after.creator !== before.creator || after.createdAt !== before.createdAt)
    return 'an invite keeps its creator'
  const onlyRevoked =
    after.revoked === true && after.expiresAt === before.expiresAt && after.maxUses === before.maxUses
  if (onlyRevoked) return isCreator ? null : j.need('manageInvite', 'revoking an invite')
  if (before.revoked) return 'a revoked invite stays revoked'
  return j.need('editInvite', 'editing an invite')
}

/** Pinning and unpinning a message in a panel with messages: pinMessage there, at that time. */
function pinRule(t: Touch, j: Judge, ctx: RuleContext): string | null {
  const k = parsePinKey(t.key)
  if (!k) return 'invalid pin key'
  const panel = ctx.state.panels.get(k.panelId)
  if (!panel || panel.type === 'category' || panel.type === 'web') return 'a pin names a panel with messages'
  const denied = j.need('pinMessage', 'pinning messages', k.panelId)
  if (denied) return denied
  const v = last(t) as PinRecord | undefined
  if (v === undefined) return null
  // `at` may precede the envelope's time: edits made while the previous one is signed share an envelope.
  if (v.by !== ctx.author || v.at > ctx.hlc) return 'a pin names who pinned it, by the envelope time'
  if ((hlcOfMessageId(k.messageId) ?? Infinity) > ctx.hlc) return 'a message is pinned only after it was sent'
  return null
}

/**
 * A card's record (card-record.ts): made by the card's author with the right to post in its panel,
 * then changed (its buttons, who may act) or closed only by that author; closed stays closed, and a
 * record is never removed (actions judged by it would change meaning).
 */
function cardRule(t: Touch, j: Judge, ctx: RuleContext): string | null {
  const k = parsePinKey(t.key)
  if (!k) return 'invalid card key'
  const v = last(t)
  if (v === undefined) return 'invalid write: a card record is never removed (its author closes it)'
  const record = v as CardRecord // validated in validateGroupValue
  if (record.at > ctx.hlc || (record.closed !== undefined && record.closed.at > ctx.hlc))
    return 'invalid record: a card record is dated by the envelope time'
  const before = ctx.state.cards.get(t.key)
  if (!before) {
    if (record.by !== ctx.author) return 'invalid record: a card record names its author'
    if ((hlcOfMessageId(k.messageId) ?? Infinity) > ctx.hlc)
      return 'invalid record: a card is recorded only after its message was made'
    const panel = ctx.state.panels.get(k.panelId)
    if (!panel || panel.type !== 'text') return 'a card lives in a text panel'
    return j.need('message', 'posting a card', k.panelId)
  }
  if (before.by !== ctx.author) return "permission denied: only the card's author changes or closes it"
  if (record.by !== before.by || record.at !== before.at) return 'a card record keeps its author and time'
  if (before.closed && record.closed?.at !== before.closed.at) return 'a closed card stays closed'
  return null
}

/** What a direct message fixes at creation: its one panel, and no roles to hand out. */
const DM_FIXED: ReadonlySet<string> = new Set([GroupRoot.panels, GroupRoot.roles, GroupRoot.assignments])

/**
 * Any member may rotate the group key (after a kick, a ban or a leave somebody has to, and a leaver
 * cannot), wrapping it only for members of that moment who published a box key, and for themselves:
 * never for someone removed. Not "exactly all members": a join that arrives late but is dated before
 * the rotation must not undo it everywhere; a member left out gets the key shared later. Rotations
 * are never changed or removed.
 */
/** Who a rotation of this time may wrap for: members with a box key, and their linked devices. */
function keyHolders(state: RuleContext['state']): Set<string> {
  return new Set([
    ...keyRecipients(state),
    ...deviceKeyRecipients(state).map((d) => deviceKey(d.userId, d.deviceId)),
  ])
}

function keyRotationRule(t: Touch, ctx: RuleContext): string | null {
  const v = last(t)
  if (v === undefined) return 'a key rotation is never removed'
  if (t.key.includes('/')) return keyRotationPartRule(t, v, ctx)
  if (ctx.state.rotations.has(t.key) || t.written.length > 1) return 'a key rotation is never changed'
  const record = validateKeyRotation(v)
  if (record.by !== ctx.author || record.at !== ctx.hlc)
    return 'a key rotation names its author and the envelope time'
  if (record.from !== ctx.device) return 'a key rotation names the device that sealed it'
  const self = ctx.device === undefined ? ctx.author : deviceKey(ctx.author, ctx.device)
  const sealer =
    ctx.device === undefined
      ? ctx.state.members.get(ctx.author)?.box
      : ctx.state.devices.get(self)?.record?.box
  if (sealer === undefined) return 'the rotating member has no box key'
  const allowed = keyHolders(ctx.state)
  const given = Object.keys(record.wrapped)
  if (!given.includes(self)) return 'a key rotation wraps the key for its author too'
  const stranger = given.find((u) => !allowed.has(u))
  if (stranger !== undefined) return 'a key rotation wraps only for members of its time'
  return null
}

/**
 * More wraps of an earlier rotation (a group with more recipients than one record holds): by the
 * rotation's author and device, once per part, for members of this time the rotation did not wrap for.
 */
function keyRotationPartRule(t: Touch, v: unknown, ctx: RuleContext): string | null {
  let parsed: { rotationId: string }
  try {
    parsed = parseKeyRotationPartKey(t.key)!
  } catch (e) {
    return (e as Error).message
  }
  if (t.written.length > 1 || ctx.state.keyParts.has(t.key)) return 'a key rotation part is never changed'
  const base = ctx.state.rotations.get(parsed.rotationId)
  if (base === undefined) return 'a key rotation part follows its rotation'
  const part = validateKeyRotationPart(v)
  if (part.by !== ctx.author || base.by !== ctx.author) return "a key rotation part is its rotation author's"
  if (part.from !== ctx.device || base.from !== ctx.device)
    return 'a key rotation part comes from the device that sealed the rotation'
  const allowed = keyHolders(ctx.state)
  for (const recipient of Object.keys(part.wrapped)) {
    if (!allowed.has(recipient)) return 'a key rotation wraps only for members of its time'
    if (base.wrapped[recipient] !== undefined) return 'a key rotation wraps once per recipient'
  }
  return null
}

async function groupRules(touches: Touch[], ctx: RuleContext): Promise<string | null> {
  if (ctx.state.info === null) return genesis(touches, ctx)
  const j = new Judge(ctx)
  const own = touches.find((t) => t.root === GroupRoot.members && t.key === ctx.author)
  if (!isMember(ctx.state, ctx.author)) {
    if (!own || touches.length !== 1) return 'not a member at this time'
    return joinRule(own, ctx)
  }
  for (const t of touches) {
    if (t.nonJson) return `invalid structure: ${t.root}.${t.key} must hold plain values`
    if (ctx.state.info.dm && DM_FIXED.has(t.root))
      return `invalid in a direct message: its ${t.root} are fixed at creation`
    const invalid = validateGroupValue(t)
    if (invalid) return invalid
    let reason: string | null
    switch (t.root) {
      case GroupRoot.info:
        reason = infoRule(t, j, ctx)
        break
      case GroupRoot.members:
        reason = memberRule(t, j, ctx)
        break
      case GroupRoot.roles:
        reason = roleRule(t, j)
        break
      case GroupRoot.assignments:
        reason = assignmentRule(t, j, ctx)
        break
      case GroupRoot.sanctions:
        reason = sanctionRule(t, j, ctx)
        break
      case GroupRoot.panels:
        reason = panelRule(t, j, ctx, touches)
        break
      case GroupRoot.invites:
        reason = inviteRule(t, j, ctx)
        break
      case GroupRoot.keys:
        reason = keyRotationRule(t, ctx)
        break
      case GroupRoot.devices:
        reason = await deviceRule(t, ctx)
        break
      case GroupRoot.pins:
        reason = pinRule(t, j, ctx)
        break
      case GroupRoot.cards:
        reason = cardRule(t, j, ctx)
        break
      default:
        reason = `invalid location: unknown map "${t.root}"`
    }
    if (reason) return reason.startsWith('invalid') ? reason : `${t.root}.${t.key}: ${reason}`
  }
  return null
}

// ---------------------------------------------------------------------------------------------
// panel history documents

function messageRule(t: Touch, j: Judge, ctx: RuleContext, panelId: string, bucket: number): string | null {
  const createdHlc = hlcOfMessageId(t.key)
  if (createdHlc === null) return 'invalid message id'
  if (bucketOfWallMs(wallOf(createdHlc)) !== bucket)
    return 'invalid bucket: message filed in the wrong time bucket'
  const others = j.othersRemoved(t)
  const v = last(t)
  if (v === undefined) return others.length ? 'messages of others are removed only by a tombstone' : null
  const m = validated(validateMessage, v)
  if (typeof m === 'string') return m
  const msg: MessageRecord = m
  if (msg.hlc !== createdHlc) return 'invalid record: message time does not match its id'
  if (isTombstone(msg)) {
    const stamp = msg.recalled ?? msg.deleted
    if (stamp?.by !== ctx.author || stamp.at !== ctx.hlc)
      return 'invalid record: a tombstone names who placed it, at the envelope time'
    if (others.length || msg.author !== ctx.author)
      return j.need('deleteMessage', "deleting or recalling others' messages", panelId)
    if (msg.recalled && ctx.wallMs - wallOf(createdHlc) > LIMITS.recallWindowMs)
      return j.need('deleteMessage', 'recalling a message after 15 minutes', panelId)
    return null
  }
  if (msg.author !== ctx.author) return 'invalid record: a message is written only by its author'
  if (others.length) return "permission denied: editing another member's message"
  if (msg.hlc > ctx.hlc) return 'invalid record: message is dated after its envelope'
  return j.need('message', t.removedClients.size ? 'editing a message' : 'sending a message', panelId)
}

function reactionRule(t: Touch, j: Judge, ctx: RuleContext, panelId: string): string | null {
  const k = parseReactionKey(t.key)
  if (!k || hlcOfMessageId(k.messageId) === null || [...k.emoji].length > LIMITS.emoji)
    return 'invalid reaction key'
  const v = last(t)
  if (k.userId !== ctx.author) {
    if (v !== undefined) return 'invalid write: a reaction is written only by the member reacting'
    return j.need('deleteMessage', "removing others' reactions", panelId)
  }
  if (v === undefined) return null
  if (v !== 1) return 'invalid record: a reaction is 1'
  return j.need('message', 'reacting', panelId)
}

/**
 * A card action: the member's own (not muted), on a card open at that time whose record lists the button and
 * lets them act (everyone, listed roles, listed members), in a panel they see. Withdrawing one's
 * action needs the card open too; removing another's needs deleteMessage.
 */
function actionRule(t: Touch, j: Judge, ctx: RuleContext, panelId: string, bucket: number): string | null {
  const k = parseActionKey(t.key)
  const messageHlc = k && hlcOfMessageId(k.messageId)
  if (!k || messageHlc === null || messageHlc === undefined) return 'invalid card action key'
  if (bucketOfWallMs(wallOf(messageHlc)) !== bucket)
    return 'invalid bucket: a card action is filed with its message'
  const v = last(t)
  if (k.userId !== ctx.author) {
    if (v !== undefined) return 'invalid write: a card action is written only by the member acting'
    return j.need('deleteMessage', "removing others' card actions", panelId)
  }
  if (v !== undefined) {
    const problem = actionRecordProblem(v)
    if (problem) return `invalid record: ${problem}`
    const at = (v as ActionRecord).at
    if (at > ctx.hlc || at < messageHlc) return 'invalid record: a card action is dated by the envelope time'
  }
  const seeing = j.need('viewPanel', 'acting on a card', panelId)
  if (seeing) return seeing
  // As with votes in plugin state: a muted member takes part in nothing until the mute ends.
  if (isMuted(ctx.state, ctx.author, ctx.wallMs)) return 'muted: a muted member does not act on cards'
  const card = ctx.state.cards.get(cardKey(panelId, k.messageId))
  return cardActionRefusal(card, ctx.author, rolesOf(ctx.state, ctx.author), k.actionId)
}

/**
 * A call's end (PanelRoot.callEnds, keyed by the message that started the call): written once, filed
 * with that message, by a member who may join calls in the panel, at a time between the call's start
 * and the envelope. Not only the starter: whoever in the call saw it empty records it.
 */
function callEndRule(t: Touch, j: Judge, ctx: RuleContext, panelId: string, bucket: number): string | null {
  const startedHlc = hlcOfMessageId(t.key)
  if (startedHlc === null) return 'invalid call end key'
  if (bucketOfWallMs(wallOf(startedHlc)) !== bucket)
    return 'invalid bucket: a call end is filed with its message'
  const v = last(t)
  if (v === undefined || t.removedClients.size > 0) return 'invalid write: a call end is written once'
  const end = validated(validateCallEnd, v)
  if (typeof end === 'string') return end
  if (end.endedAt < wallOf(startedHlc) || end.endedAt > ctx.wallMs)
    return 'invalid record: a call ends after it started and before its end is written'
  return j.need('callJoin', 'recording the end of a call', panelId)
}

function panelDocRules(touches: Touch[], ctx: RuleContext, panelId: string, bucket: number): string | null {
  const panel = ctx.state.panels.get(panelId)
  if (!panel) return 'unknown panel at this time'
  if (panel.type === 'category' || panel.type === 'web' || panel.type === 'voice')
    return 'this panel has no message history'
  if (!isMember(ctx.state, ctx.author)) return 'not a member at this time'
  const j = new Judge(ctx)
  for (const t of touches) {
    if (t.nonJson) return `invalid structure: ${t.root}.${t.key} must hold plain values`
    let reason: string | null
    if (t.root === PanelRoot.messages) reason = messageRule(t, j, ctx, panelId, bucket)
    else if (t.root === PanelRoot.reactions) reason = reactionRule(t, j, ctx, panelId)
    else if (t.root === PanelRoot.actions) reason = actionRule(t, j, ctx, panelId, bucket)
    else if (t.root === PanelRoot.callEnds) reason = callEndRule(t, j, ctx, panelId, bucket)
    else reason = `invalid location: unknown map "${t.root}"`
    if (reason) return reason.startsWith('invalid') ? reason : `${t.root}.${t.key}: ${reason}`
  }
  return null
}

export interface Refusal {
  reason: string
  /** A refusal that no authority history can change (malformed records, unknown places). */
  permanent: boolean
}

/** null when the author may make every change in `touches` at the envelope's time. */
export async function authorise(touches: Touch[], ctx: RuleContext): Promise<Refusal | null> {
  const reason =
    revokedDeviceRefusal(ctx) ??
    (ctx.doc.kind === 'group'
      ? await groupRules(touches, ctx)
      : ctx.doc.kind === 'plugin'
        ? pluginDocRules(touches, ctx, ctx.doc.pluginId, ctx.doc.scope)
        : panelDocRules(touches, ctx, ctx.doc.panelId, ctx.doc.bucket))
  return reason === null ? null : { reason, permanent: reason.startsWith('invalid') }
}
