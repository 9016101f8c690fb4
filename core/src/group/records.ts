// The records a group's documents hold, one plain JSON value per Y.Map key, and their validators.
// Validators are strict (no unknown fields, bounded sizes): the gate runs them on every remote write,
// so a member cannot stuff a record with data other peers then have to carry.

import type { UserId } from '../identity/user-id'
import { isUserId } from '../identity/user-id'
import { isPoint, type Point } from './points'
import { cardProblem, type MessageCard } from './message-card'
import { attachmentsProblem, type Attachment } from '../blobs/attachment'
import { INVITE_RELAY_LIMITS, isInviteRelayUrl } from './invite-link'

export interface RoleRecord {
  name: string
  color?: string
  points: Point[]
}

export interface MemberRecord {
  /** HLC of the join (the genesis for the owner). */
  joinedAt: number
  /** The invite used to join, and the proof of holding its secret (a signature by the invite key). */
  invite?: { id: string; proof: string; creator: UserId }
  /** The member's signed profile (see identity/profile), as JSON. */
  profile?: unknown
  /** The member's X25519 public key (base64url), for receiving group keys after a removal. */
  box?: string
  /**
   * The relays (http(s) base URLs) this member uses, so that invite links name where the group's
   * members are. Written only by the member, like the rest of the record; at most an invite link's worth.
   */
  relays?: string[]
  left?: true
}

/**
 * A group key rotation (after someone was removed): the new key wrapped, with X25519 between the
 * rotator's box key and each member's, for exactly the members at that time who published one.
 */
export interface KeyRotationRecord {
  by: UserId
  /** HLC of the rotation (the envelope's). */
  at: number
  /**
   * Recipient -> base64url of the wrapped 32-byte key. A recipient is a userId (their member box key)
   * or `${userId}:${deviceId}` (a linked device's box key from its certificate).
   */
  wrapped: Record<string, string>
  /** Set when a linked device of `by` rotated: its box key sealed the wraps. */
  from?: string
}

/**
 * More wraps of a rotation's key, for groups with more recipients than one record holds
 * (`LIMITS.keyRecipients`): under `${rotationId}/${part}` (part 1, 2, …) beside the rotation, written by
 * its author (and device) in later envelopes. Readers see the rotation's `wrapped` with every part's.
 */
export interface KeyRotationPartRecord {
  by: UserId
  wrapped: Record<string, string>
  from?: string
}

/** A linked device, as its certificate (device-cert.ts) in JSON. */
export interface DeviceRecord {
  device: string
  box: string
  issuedAt: number
  proof: string
}

/** The user's identity key withdrew the device from wall-clock ms `at` on. */
export interface DeviceRevocationRecord {
  at: number
  proof: string
}

/** voice: a standing call room (calls/), with no message history. */
export type PanelType = 'text' | 'category' | 'web' | 'plugin' | 'voice'

export interface PermissionOverride {
  allow: Point[]
  deny: Point[]
}

export interface PanelRecord {
  name: string
  type: PanelType
  parentId?: string
  order: number
  /** web: { url }; plugin: { pluginId, panelType, ... } */
  meta?: Record<string, string | number | boolean>
  /** Per-role and per-member overrides; they can grant AND take away (announcement panels). */
  overrides?: { roles?: Record<string, PermissionOverride>; members?: Record<UserId, PermissionOverride> }
}

export interface InviteRecord {
  creator: UserId
  createdAt: number
  /** Wall-clock ms after which the invite no longer admits anyone; null never expires. */
  expiresAt: number | null
  /** null: unlimited. */
  maxUses: number | null
  revoked?: true
}

export interface MuteRecord {
  until: number
  by: UserId
  /** HLC of the envelope that imposed it (the gate requires so when present); older records lack it. */
  at?: number
}
export interface BanRecord {
  at: number
  by: UserId
}
export interface KickRecord {
  at: number
  by: UserId
}

/** A message pinned to its panel: who pinned it, at the HLC of the envelope that did. */
export interface PinRecord {
  by: UserId
  at: number
}

export interface MessageRecord {
  author: UserId
  hlc: number
  body: string
  mentions?: { users?: UserId[]; panels?: string[] }
  replyTo?: { id: string; author: UserId; excerpt: string }
  editedAt?: number
  /** A tombstone: the author recalled it (within 15 minutes) or a moderator did. */
  recalled?: { by: UserId; at: number }
  /** A tombstone: removed by the author or by a member with deleteMessage. */
  deleted?: { by: UserId; at: number }
  /** A plugin's card drawn with the message (message-card.ts); tombstones keep none. */
  card?: MessageCard
  /** Files (blobs/attachment.ts: bounded list, each capped); tombstones keep none. */
  attachments?: Attachment[]
  /**
   * Forwarded from elsewhere: the original author and their name, and where it was said ("#general"
   * or a group and panel), as the forwarder saw them. A claim of the forwarder, like any body. `from`
   * names the original (group, panel and message ids), so a reader who is in that group can open it —
   * a forwarded card is a copy, and its buttons act only there.
   */
  forwarded?: {
    author: UserId
    name: string
    where: string
    from?: { group: string; panel: string; message: string }
  }
  /**
   * A call started in this text panel or DM (calls/call-hub.ts: room `(panelId, id)`): the row shows
   * "Alice started a call", and how long it lasted once its end is recorded (CallEndRecord: anyone
   * in the call may write it, since the starter may be gone). Tombstones keep none.
   */
  call?: { id: string }
}

/**
 * When a call started in a text panel or DM ended (PanelRoot.callEnds, keyed by the message that
 * started it): the wall-clock ms at which the last person in it saw it empty. Written once.
 */
export interface CallEndRecord {
  endedAt: number
}

export const LIMITS = {
  groupName: 100,
  groupDescription: 120,
  avatar: 2048,
  roleName: 32,
  panelName: 100,
  messageBody: 4000,
  replyExcerpt: 200,
  /** A forwarded message's original author name and place (MessageRecord.forwarded). */
  forwardedName: 64,
  forwardedWhere: 200,
  mentions: 50,
  emoji: 32,
  urlLength: 2048,
  metaEntries: 16,
  overrideEntries: 256,
  pointsPerRole: 64,
  recallWindowMs: 15 * 60 * 1000,
  /** The longest an invite may live without unlimitedInvite (Tailchat's normal invite). */
  normalInviteMs: 7 * 24 * 60 * 60 * 1000,
  /** The people a direct message may hold, its creator included (Tailchat's multi-person DMs are small). */
  dmParticipants: 50,
  /** Members one key rotation record wraps for (beyond it, rotations would outgrow an envelope). */
  keyRecipients: 1000,
} as const

/** An invite that never expires, outlives a normal invite or has no usage limit needs unlimitedInvite. */
export function needsUnlimitedInvite(lifetimeMs: number | null, maxUses: number | null): boolean {
  return lifetimeMs === null || lifetimeMs > LIMITS.normalInviteMs || maxUses === null
}

/** A call's id in a text panel or DM (calls/call-wire.ts caps a callId at 64 bytes). */
const CALL_ID_RE = /^[A-Za-z0-9_-]{1,64}$/

export class RecordError extends Error {
  override name = 'RecordError'
}

type Obj = Record<string, unknown>

function object(v: unknown, what: string, allowed: readonly string[]): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new RecordError(`${what} must be an object`)
  for (const k of Object.keys(v))
    if (!allowed.includes(k)) throw new RecordError(`${what} has unknown field "${k}"`)
  return v as Obj
}

function text(v: unknown, what: string, max: number, min = 0): string {
  if (typeof v !== 'string') throw new RecordError(`${what} must be text`)
  const n = [...v].length
  if (n < min || n > max) throw new RecordError(`${what} must be ${min}–${max} characters (has ${n})`)
  return v
}

function int(v: unknown, what: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max)
    throw new RecordError(`${what} must be an integer in ${min}..${max}`)
  return v
}

function user(v: unknown, what: string): UserId {
  if (!isUserId(v)) throw new RecordError(`${what} must be a user id`)
  return v
}

function list<T>(v: unknown, what: string, max: number, item: (x: unknown, w: string) => T): T[] {
  if (!Array.isArray(v) || v.length > max) throw new RecordError(`${what} must be a list of at most ${max}`)
  return v.map((x, i) => item(x, `${what}[${i}]`))
}

const point = (v: unknown, what: string): Point => {
  if (!isPoint(v)) throw new RecordError(`${what} is not a permission point`)
  return v
}

const stamp = (v: unknown, what: string) => {
  const o = object(v, what, ['by', 'at'])
  user(o.by, `${what}.by`)
  int(o.at, `${what}.at`)
}

export function validateRole(v: unknown): RoleRecord {
  const o = object(v, 'role', ['name', 'color', 'points'])
  text(o.name, 'role name', LIMITS.roleName, 1)
  if (o.color !== undefined && !(typeof o.color === 'string' && /^#[0-9a-fA-F]{6}$/.test(o.color)))
    throw new RecordError('role color must be #rrggbb')
  list(o.points, 'role points', LIMITS.pointsPerRole, point)
  return o as unknown as RoleRecord
}

export function validateMember(v: unknown): MemberRecord {
  const o = object(v, 'member', ['joinedAt', 'invite', 'profile', 'box', 'relays', 'left'])
  if (o.box !== undefined && !BOX_KEY_RE.test(String(o.box))) throw new RecordError('member box is not a key')
  int(o.joinedAt, 'member joinedAt')
  if (o.invite !== undefined) {
    const i = object(o.invite, 'member invite', ['id', 'proof', 'creator'])
    text(i.id, 'invite id', 64, 1)
    text(i.proof, 'invite proof', 128, 1)
    user(i.creator, 'invite creator')
  }
  if (o.left !== undefined && o.left !== true) throw new RecordError('member left must be true')
  if (o.profile !== undefined && JSON.stringify(o.profile).length > 4096)
    throw new RecordError('profile too large')
  if (o.relays !== undefined) memberRelays(o.relays)
  return o as unknown as MemberRecord
}

/** A member's relays: distinct relay URLs an invite link could name (each within its byte cap). */
function memberRelays(v: unknown): string[] {
  const relays = list(v, 'member relays', INVITE_RELAY_LIMITS.maxRelays, (x, what) => {
    if (typeof x !== 'string' || !isInviteRelayUrl(x)) throw new RecordError(`${what} is not a relay URL`)
    return x
  })
  if (new Set(relays).size !== relays.length) throw new RecordError('member relays are listed twice')
  return relays
}

function override(v: unknown, what: string): PermissionOverride {
  const o = object(v, what, ['allow', 'deny'])
  list(o.allow, `${what}.allow`, LIMITS.pointsPerRole, point)
  list(o.deny, `${what}.deny`, LIMITS.pointsPerRole, point)
  return o as unknown as PermissionOverride
}

export function validatePanel(v: unknown): PanelRecord {
  const o = object(v, 'panel', ['name', 'type', 'parentId', 'order', 'meta', 'overrides'])
  text(o.name, 'panel name', LIMITS.panelName, 1)
  if (!['text', 'category', 'web', 'plugin', 'voice'].includes(o.type as string))
    throw new RecordError('unknown panel type')
  if (o.parentId !== undefined) text(o.parentId, 'panel parentId', 64, 1)
  if (typeof o.order !== 'number' || !Number.isFinite(o.order))
    throw new RecordError('panel order must be a number')
  if (o.meta !== undefined) {
    const m = object(o.meta, 'panel meta', Object.keys(o.meta as Obj))
    if (Object.keys(m).length > LIMITS.metaEntries) throw new RecordError('panel meta has too many entries')
    for (const [k, x] of Object.entries(m)) {
      if (!['string', 'number', 'boolean'].includes(typeof x))
        throw new RecordError(`panel meta.${k} must be scalar`)
      if (typeof x === 'string') text(x, `panel meta.${k}`, LIMITS.urlLength)
    }
    if (o.type === 'web' && !(typeof m.url === 'string' && /^https?:\/\//.test(m.url)))
      throw new RecordError('web panel needs an http(s) url')
  }
  if (o.overrides !== undefined) {
    const ov = object(o.overrides, 'panel overrides', ['roles', 'members'])
    for (const part of ['roles', 'members'] as const) {
      if (ov[part] === undefined) continue
      const entries = Object.entries(object(ov[part], `overrides.${part}`, Object.keys(ov[part] as Obj)))
      if (entries.length > LIMITS.overrideEntries) throw new RecordError(`too many ${part} overrides`)
      for (const [k, x] of entries) {
        if (part === 'members') user(k, 'override member')
        override(x, `overrides.${part}.${k}`)
      }
    }
  }
  return o as unknown as PanelRecord
}

// 32 bytes in canonical base64url (43 characters, the last carrying 2 zero bits).
const BOX_KEY_RE = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/

const DEVICE_ID_RE = /^[A-Za-z0-9_-]{43}$/
const SIGNATURE_RE = /^[A-Za-z0-9_-]{86}$/

export function validateKeyRotation(v: unknown): KeyRotationRecord {
  const o = object(v, 'key rotation', ['by', 'at', 'wrapped', 'from'])
  int(o.at, 'key rotation at')
  validateWraps(o)
  return o as unknown as KeyRotationRecord
}

export function validateKeyRotationPart(v: unknown): KeyRotationPartRecord {
  const o = object(v, 'key rotation part', ['by', 'wrapped', 'from'])
  validateWraps(o)
  return o as unknown as KeyRotationPartRecord
}

/** `${rotationId}/${part}` for part 1, 2, …; null for a rotation's own key. */
export function parseKeyRotationPartKey(key: string): { rotationId: string; part: number } | null {
  const slash = key.indexOf('/')
  if (slash < 0) return null
  const part = Number(key.slice(slash + 1))
  if (!Number.isSafeInteger(part) || part < 1 || String(part) !== key.slice(slash + 1))
    throw new RecordError('a key rotation part is numbered from 1')
  return { rotationId: key.slice(0, slash), part }
}

export const keyRotationPartKey = (rotationId: string, part: number): string => `${rotationId}/${part}`

function validateWraps(o: Record<string, unknown>): void {
  user(o.by, 'key rotation by')
  if (o.from !== undefined && !DEVICE_ID_RE.test(String(o.from)))
    throw new RecordError('key rotation from must be a device id')
  if (typeof o.wrapped !== 'object' || o.wrapped === null || Array.isArray(o.wrapped))
    throw new RecordError('key rotation wrapped must be an object')
  const entries = Object.entries(o.wrapped)
  if (entries.length > LIMITS.keyRecipients) throw new RecordError('too many key recipients')
  for (const [recipient, w] of entries) {
    const [userId, deviceId, extra] = recipient.split(':')
    user(userId, 'key recipient')
    if (extra !== undefined || (deviceId !== undefined && !DEVICE_ID_RE.test(deviceId)))
      throw new RecordError('key recipient must be a user id or user:device')
    text(w, 'wrapped key', 128, 16)
  }
}

export function validateDevice(v: unknown): DeviceRecord {
  const o = object(v, 'device', ['device', 'box', 'issuedAt', 'proof'])
  if (!DEVICE_ID_RE.test(String(o.device))) throw new RecordError('device key is not a key')
  if (!BOX_KEY_RE.test(String(o.box))) throw new RecordError('device box is not a key')
  int(o.issuedAt, 'device issuedAt')
  if (!SIGNATURE_RE.test(String(o.proof))) throw new RecordError('device proof is not a signature')
  return o as unknown as DeviceRecord
}

export function validateDeviceRevocation(v: unknown): DeviceRevocationRecord {
  const o = object(v, 'device revocation', ['at', 'proof'])
  int(o.at, 'device revocation at')
  if (!SIGNATURE_RE.test(String(o.proof))) throw new RecordError('device revocation proof is not a signature')
  return o as unknown as DeviceRevocationRecord
}

export function validateInvite(v: unknown): InviteRecord {
  const o = object(v, 'invite', ['creator', 'createdAt', 'expiresAt', 'maxUses', 'revoked'])
  user(o.creator, 'invite creator')
  int(o.createdAt, 'invite createdAt')
  if (o.expiresAt !== null) int(o.expiresAt, 'invite expiresAt')
  if (o.maxUses !== null) int(o.maxUses, 'invite maxUses', 1, 1_000_000)
  if (o.revoked !== undefined && o.revoked !== true) throw new RecordError('invite revoked must be true')
  return o as unknown as InviteRecord
}

export function validateSanction(
  kind: 'mute' | 'ban' | 'kick',
  v: unknown,
): MuteRecord | BanRecord | KickRecord {
  const o = object(v, kind, kind === 'mute' ? ['until', 'by', 'at'] : ['at', 'by'])
  user(o.by, `${kind} by`)
  int(kind === 'mute' ? o.until : o.at, kind === 'mute' ? 'mute until' : `${kind} at`)
  if (kind === 'mute' && o.at !== undefined) int(o.at, 'mute at')
  return o as unknown as MuteRecord
}

export function validatePin(v: unknown): PinRecord {
  const o = object(v, 'pin', ['by', 'at'])
  user(o.by, 'pin by')
  int(o.at, 'pin at')
  return o as unknown as PinRecord
}

export function validateMessage(v: unknown): MessageRecord {
  const o = object(v, 'message', [
    'author',
    'hlc',
    'body',
    'mentions',
    'replyTo',
    'editedAt',
    'recalled',
    'deleted',
    'card',
    'attachments',
    'forwarded',
    'call',
  ])
  user(o.author, 'message author')
  int(o.hlc, 'message hlc')
  text(o.body, 'message body', LIMITS.messageBody)
  if (o.mentions !== undefined) {
    const m = object(o.mentions, 'mentions', ['users', 'panels'])
    if (m.users !== undefined) list(m.users, 'mentioned users', LIMITS.mentions, user)
    if (m.panels !== undefined)
      list(m.panels, 'mentioned panels', LIMITS.mentions, (x, w) => text(x, w, 64, 1))
  }
  if (o.replyTo !== undefined) {
    const r = object(o.replyTo, 'replyTo', ['id', 'author', 'excerpt'])
    text(r.id, 'replyTo id', 64, 1)
    user(r.author, 'replyTo author')
    text(r.excerpt, 'replyTo excerpt', LIMITS.replyExcerpt)
  }
  if (o.forwarded !== undefined) {
    const f = object(o.forwarded, 'forwarded', ['author', 'name', 'where', 'from'])
    user(f.author, 'forwarded author')
    text(f.name, 'forwarded name', LIMITS.forwardedName, 1)
    text(f.where, 'forwarded where', LIMITS.forwardedWhere, 1)
    if (f.from !== undefined) {
      const from = object(f.from, 'forwarded from', ['group', 'panel', 'message'])
      for (const k of ['group', 'panel', 'message'] as const) text(from[k], `forwarded from ${k}`, 64, 1)
    }
  }
  if (o.call !== undefined) {
    const c = object(o.call, 'call', ['id'])
    if (typeof c.id !== 'string' || !CALL_ID_RE.test(c.id)) throw new RecordError('call id is not an id')
    if (o.recalled !== undefined || o.deleted !== undefined)
      throw new RecordError('a recalled or deleted message keeps no call')
  }
  if (o.editedAt !== undefined) int(o.editedAt, 'message editedAt')
  if (o.recalled !== undefined) stamp(o.recalled, 'recalled')
  if (o.deleted !== undefined) stamp(o.deleted, 'deleted')
  if ((o.recalled !== undefined || o.deleted !== undefined) && o.body !== '')
    throw new RecordError('a recalled or deleted message keeps no body')
  if (o.card !== undefined) {
    const problem = cardProblem(o.card)
    if (problem) throw new RecordError(problem)
    if (o.recalled !== undefined || o.deleted !== undefined)
      throw new RecordError('a recalled or deleted message keeps no card')
  }
  if (o.attachments !== undefined) {
    const problem = attachmentsProblem(o.attachments)
    if (problem) throw new RecordError(problem)
    if (o.recalled !== undefined || o.deleted !== undefined)
      throw new RecordError('a recalled or deleted message keeps no attachments')
  }
  return o as unknown as MessageRecord
}

export function validateCallEnd(v: unknown): CallEndRecord {
  const o = object(v, 'call end', ['endedAt'])
  int(o.endedAt, 'call endedAt')
  return o as unknown as CallEndRecord
}

export function isTombstone(m: MessageRecord): boolean {
  return m.recalled !== undefined || m.deleted !== undefined
}
