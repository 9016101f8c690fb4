// A person's friend card: what someone needs to send them a friend request. It travels as a code
// (base64url) or inside a link's URL fragment (`#/friend/<code>`), which browsers never send to a
// server, so the relay that serves the app never learns the friend secret.
//
// Code (base64url of lib0 bytes):
//   version (1) | user public key (32) | box public key (32) | friend secret (16)
//   | relay count (varuint, ≤ 4) | relay URLs (varstring each, ws(s)://, ≤ 256 characters)
// The relays are where the card's owner reads their mailbox, for peers that do not share the app's
// relay; the user id is the Ed25519 key, the box key is X25519 (requests are sealed to it).
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { fromBase64Url, toBase64Url } from '../bytes'
import { X25519_KEY_BYTES } from '../crypto/x25519'
import { ValidationError } from '../errors'
import { publicKeyOf, userIdOf, type UserId } from '../identity/user-id'

export const FRIEND_SECRET_BYTES = 16
export const MAX_FRIEND_RELAYS = 4
const MAX_RELAY_CHARS = 256
const VERSION = 1
/** Longest code worth decoding: anything longer is refused before any work. */
const MAX_CODE_CHARS = 2048

export interface FriendCard {
  userId: UserId
  /** X25519 public key: friend requests to this person are sealed to it. */
  box: Uint8Array
  /** Derives the mailbox topic where this person reads friend requests. */
  secret: Uint8Array
  /** Relay mailbox URLs (ws/wss) where that topic is read; empty: the app's own relay. */
  relays: string[]
}

export class InvalidFriendCodeError extends ValidationError {
  override name = 'InvalidFriendCodeError'
}

function checkRelay(url: unknown): string {
  if (typeof url !== 'string' || url.length > MAX_RELAY_CHARS)
    throw new InvalidFriendCodeError('A relay URL is a string of at most 256 characters.')
  let protocol: string
  try {
    protocol = new URL(url).protocol
  } catch {
    throw new InvalidFriendCodeError('A relay URL is not a URL.')
  }
  if (protocol !== 'ws:' && protocol !== 'wss:')
    throw new InvalidFriendCodeError('A relay URL is ws:// or wss://.')
  return url
}

export function encodeFriendCard(card: FriendCard): string {
  if (card.box.length !== X25519_KEY_BYTES) throw new InvalidFriendCodeError('A box key is 32 bytes.')
  if (card.secret.length !== FRIEND_SECRET_BYTES)
    throw new InvalidFriendCodeError(`A friend secret is ${FRIEND_SECRET_BYTES} bytes.`)
  if (card.relays.length > MAX_FRIEND_RELAYS)
    throw new InvalidFriendCodeError(`At most ${MAX_FRIEND_RELAYS} relays.`)
  const e = encoding.createEncoder()
  encoding.writeUint8(e, VERSION)
  encoding.writeUint8Array(e, publicKeyOf(card.userId))
  encoding.writeUint8Array(e, card.box)
  encoding.writeUint8Array(e, card.secret)
  encoding.writeVarUint(e, card.relays.length)
  for (const r of card.relays) encoding.writeVarString(e, checkRelay(r))
  return toBase64Url(encoding.toUint8Array(e))
}

/** Throws InvalidFriendCodeError for anything that is not a card this version wrote. */
export function decodeFriendCard(code: string): FriendCard {
  if (typeof code !== 'string' || code.length === 0 || code.length > MAX_CODE_CHARS)
    throw new InvalidFriendCodeError('This friend code is empty or too long.')
  let bytes: Uint8Array
  try {
    bytes = fromBase64Url(code.trim())
  } catch {
    throw new InvalidFriendCodeError('This friend code is damaged.')
  }
  try {
    const d = decoding.createDecoder(bytes)
    if (decoding.readUint8(d) !== VERSION)
      throw new InvalidFriendCodeError('This friend code was made by another version of Tailmesh.')
    const userId = userIdOf(decoding.readUint8Array(d, 32).slice())
    const box = decoding.readUint8Array(d, X25519_KEY_BYTES).slice()
    const secret = decoding.readUint8Array(d, FRIEND_SECRET_BYTES).slice()
    const count = decoding.readVarUint(d)
    if (count > MAX_FRIEND_RELAYS) throw new InvalidFriendCodeError(`At most ${MAX_FRIEND_RELAYS} relays.`)
    const relays: string[] = []
    for (let i = 0; i < count; i++) relays.push(checkRelay(decoding.readVarString(d)))
    if (decoding.hasContent(d)) throw new InvalidFriendCodeError('This friend code has trailing bytes.')
    return { userId, box, secret, relays }
  } catch (e) {
    if (e instanceof InvalidFriendCodeError) throw e
    throw new InvalidFriendCodeError('This friend code is incomplete or damaged.')
  }
}

/** `appUrl` is where the app lives (origin + path; any fragment is replaced). */
export function friendLink(appUrl: string, code: string): string {
  return `${appUrl.split('#')[0]!}#/friend/${code}`
}

/**
 * The code in whatever a person pasted: a friend link, or the code itself. Throws
 * InvalidFriendCodeError when it is neither.
 */
export function friendCodeOf(pasted: string): string {
  const text = pasted.trim()
  const m = /#\/friend\/([A-Za-z0-9_-]+)$/.exec(text)
  const code = m ? m[1]! : text
  decodeFriendCard(code)
  return code
}
