// What travels on a friend topic. Each message is
//
//   outer   sealEnvelope(topic key, inner box)                   what the relay stores: ciphertext
//   box     version (1) | ephemeral X25519 key (32) | boxSeal(ephemeral → recipient's box key)
//   signed  json bytes (varbytes) | Ed25519 signature by the sender's identity (varbytes)
//
// The ephemeral key hides who is asking from everyone else who holds the recipient's card (they can
// open the outer layer); the signature, over a domain label and the exact json bytes, is what says
// who sent it. Every message names its recipient, so it cannot be replayed to someone else, and
// carries a random id (answers name the request they answer).
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { fromUtf8, randomBytes, toBase64Url, utf8 } from '../bytes'
import { verify } from '../crypto/ed25519'
import { boxKeyPairFromSecret, boxOpen, boxSeal, X25519_KEY_BYTES, type BoxKeyPair } from '../crypto/x25519'
import { openSealedEnvelope, sealEnvelope } from '../envelope/seal'
import { MalformedError, ValidationError } from '../errors'
import { decodeInvitePayload } from '../group/invite-link'
import type { Identity } from '../identity/identity'
import { verifyProfile, type SignedProfile } from '../identity/profile'
import { isUserId, publicKeyOf, type UserId } from '../identity/user-id'
import { decodeFriendCard } from './friend-card'
import type { FriendTopic } from './friend-topic'

/** Largest sealed frame read from a friend topic; larger ones are dropped unopened. */
export const MAX_FRIEND_FRAME_BYTES = 8 * 1024
/** Signed messages dated further ahead than this are refused (clocks differ a little, not by days). */
const MAX_FUTURE_MS = 10 * 60 * 1000
const BOX_VERSION = 1
const SIGN_DOMAIN = 'tailmesh/friend-message/v1'
const ID_RE = /^[A-Za-z0-9_-]{22}$/
const MAX_JSON_BYTES = 6 * 1024

interface Base {
  /** Random, 22 base64url characters. */
  id: string
  from: UserId
  to: UserId
  /** Sender's wall clock, ms. */
  sentAt: number
}

/** "Be my friend": carries the sender's own card, so the answer can come back. */
export interface FriendRequestMessage extends Base {
  type: 'request'
  card: string
  profile?: SignedProfile
}

/** Yes: we are friends, and here is the invite of our DM (an invite payload). */
export interface FriendAcceptMessage extends Base {
  type: 'accept'
  replyTo: string
  card: string
  profile?: SignedProfile
  invite: string
}

export interface FriendDenyMessage extends Base {
  type: 'deny'
  replyTo: string
}

/** A friend invites me to a DM (a new one, or one with several people). */
export interface DmInviteMessage extends Base {
  type: 'dm-invite'
  invite: string
  profile?: SignedProfile
}

/** A friend regenerated their card: answers and invites go to the new one from now on. */
export interface CardUpdateMessage extends Base {
  type: 'card'
  card: string
}

export type FriendMessage =
  FriendRequestMessage | FriendAcceptMessage | FriendDenyMessage | DmInviteMessage | CardUpdateMessage

/** What a caller fills in; the id, sender and time are added when it is signed. */
export type FriendMessageDraft = FriendMessage extends infer M
  ? M extends FriendMessage
    ? Omit<M, 'id' | 'from' | 'sentAt'>
    : never
  : never

export const newFriendMessageId = (): string => toBase64Url(randomBytes(16))

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

function signingBytes(json: Uint8Array): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarString(e, SIGN_DOMAIN)
  encoding.writeVarUint8Array(e, json)
  return encoding.toUint8Array(e)
}

const context = (to: UserId): string => `${SIGN_DOMAIN}/${to}`

/** Signs `draft` as `identity`, seals it to `recipientBox` and then with the recipient's topic key. */
export async function sealFriendMessage(
  identity: Identity,
  draft: FriendMessageDraft,
  recipientBox: Uint8Array,
  topic: FriendTopic,
  now: number = Date.now(),
): Promise<{ sealed: Uint8Array; message: FriendMessage }> {
  if (identity.device)
    throw new ValidationError('Friends are kept on the device that holds your identity key.')
  const message = { ...draft, id: newFriendMessageId(), from: identity.userId, sentAt: now } as FriendMessage
  const checked = await checkMessage(message)
  const json = utf8(JSON.stringify(checked))
  if (json.length > MAX_JSON_BYTES) throw new ValidationError('A friend message is at most 6 KiB.')
  const signature = await identity.sign(signingBytes(json))
  const inner = encoding.createEncoder()
  encoding.writeVarUint8Array(inner, json)
  encoding.writeVarUint8Array(inner, signature)
  const ephemeral: BoxKeyPair = await boxKeyPairFromSecret(randomBytes(X25519_KEY_BYTES))
  const boxed = await boxSeal(ephemeral, recipientBox, encoding.toUint8Array(inner), context(draft.to))
  const box = new Uint8Array(1 + X25519_KEY_BYTES + boxed.length)
  box[0] = BOX_VERSION
  box.set(ephemeral.publicKey, 1)
  box.set(boxed, 1 + X25519_KEY_BYTES)
  const sealed = await sealEnvelope(topic.key, box)
  if (sealed.length > MAX_FRIEND_FRAME_BYTES) throw new ValidationError('A friend message is too large.')
  return { sealed, message: checked }
}

/**
 * Opens a frame from my own friend topic. Returns the message only when it opens with my keys, is
 * well formed, signed by its sender and addressed to me; anything else throws (MalformedError for
 * garbage, IntegrityError for a wrong key or signature, ValidationError for a bad shape).
 */
export async function openFriendMessage(
  sealed: Uint8Array,
  me: UserId,
  myBox: BoxKeyPair,
  topic: FriendTopic,
  now: number = Date.now(),
): Promise<FriendMessage> {
  if (!(sealed instanceof Uint8Array) || sealed.length > MAX_FRIEND_FRAME_BYTES)
    throw new MalformedError('Friend frame too large.')
  const box = await openSealedEnvelope(topic.key, sealed)
  if (box.length < 1 + X25519_KEY_BYTES + 28 || box[0] !== BOX_VERSION)
    throw new MalformedError('Not a friend message.')
  const inner = await boxOpen(
    myBox,
    box.subarray(1, 1 + X25519_KEY_BYTES),
    box.subarray(1 + X25519_KEY_BYTES),
    context(me),
  )
  let json: Uint8Array
  let signature: Uint8Array
  try {
    const d = decoding.createDecoder(inner)
    json = decoding.readVarUint8Array(d)
    signature = decoding.readVarUint8Array(d)
    if (decoding.hasContent(d)) throw new Error('trailing bytes')
  } catch {
    throw new MalformedError('Friend message is not well formed.')
  }
  if (json.length > MAX_JSON_BYTES) throw new MalformedError('Friend message too large.')
  let parsed: unknown
  try {
    parsed = JSON.parse(fromUtf8(json))
  } catch {
    throw new MalformedError('Friend message is not JSON.')
  }
  const message = await checkMessage(parsed)
  if (message.to !== me) throw new ValidationError('Friend message addressed to someone else.')
  if (message.sentAt > now + MAX_FUTURE_MS) throw new ValidationError('Friend message dated in the future.')
  if (!(await verify(publicKeyOf(message.from), signature, signingBytes(json))))
    throw new ValidationError('Friend message not signed by its sender.')
  return message
}

function str(o: Record<string, unknown>, k: string, max = 256): string {
  const v = o[k]
  if (typeof v !== 'string' || v.length === 0 || v.length > max)
    throw new ValidationError(`friend message.${k}: expected a string.`)
  return v
}

function id(o: Record<string, unknown>, k: string): string {
  const v = str(o, k)
  if (!ID_RE.test(v)) throw new ValidationError(`friend message.${k}: not an id.`)
  return v
}

async function profileOf(o: Record<string, unknown>, from: UserId): Promise<SignedProfile | undefined> {
  if (o.profile === undefined) return undefined
  await verifyProfile(o.profile)
  const p = o.profile as SignedProfile
  if (p.userId !== from) throw new ValidationError('friend message.profile: someone else’s profile.')
  return p
}

function cardOf(o: Record<string, unknown>, from: UserId): string {
  const code = str(o, 'card', 2048)
  if (decodeFriendCard(code).userId !== from)
    throw new ValidationError('friend message.card: someone else’s card.')
  return code
}

function inviteOf(o: Record<string, unknown>): string {
  const invite = str(o, 'invite')
  decodeInvitePayload(invite)
  return invite
}

/** A clean copy of a message from anywhere, keeping only the fields of its type. */
async function checkMessage(m: unknown): Promise<FriendMessage> {
  if (!isRecord(m)) throw new ValidationError('friend message: not an object.')
  const base: Base = {
    id: id(m, 'id'),
    from: isUserId(m.from) ? m.from : fail('from'),
    to: isUserId(m.to) ? m.to : fail('to'),
    sentAt: typeof m.sentAt === 'number' && Number.isSafeInteger(m.sentAt) ? m.sentAt : fail('sentAt'),
  }
  if (base.from === base.to) throw new ValidationError('friend message: sent to oneself.')
  const withProfile = async <T extends object>(t: T): Promise<T & { profile?: SignedProfile }> => {
    const profile = await profileOf(m, base.from)
    return profile ? { ...t, profile } : t
  }
  switch (m.type) {
    case 'request':
      return withProfile({ ...base, type: 'request' as const, card: cardOf(m, base.from) })
    case 'accept':
      return withProfile({
        ...base,
        type: 'accept' as const,
        replyTo: id(m, 'replyTo'),
        card: cardOf(m, base.from),
        invite: inviteOf(m),
      })
    case 'deny':
      return { ...base, type: 'deny', replyTo: id(m, 'replyTo') }
    case 'dm-invite':
      return withProfile({ ...base, type: 'dm-invite' as const, invite: inviteOf(m) })
    case 'card':
      return { ...base, type: 'card', card: cardOf(m, base.from) }
    default:
      throw new ValidationError('friend message.type: unknown.')
  }
}

function fail(field: string): never {
  throw new ValidationError(`friend message.${field}: not valid.`)
}
