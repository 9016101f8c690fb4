// A user is their Ed25519 public key; the UserId is its text form, used as a map key in group documents.
import { ValidationError } from '../errors'
import { fromBase64Url, toBase64Url } from '../bytes'
import { ED25519_PUBLIC_KEY_BYTES } from '../crypto/ed25519'

/** base64url, without padding, of the raw 32-byte Ed25519 public key: always 43 characters. */
export type UserId = string

const USER_ID_RE = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/

export function userIdOf(publicKey: Uint8Array): UserId {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== ED25519_PUBLIC_KEY_BYTES)
    throw new ValidationError(`A user's public key is ${ED25519_PUBLIC_KEY_BYTES} bytes.`)
  return toBase64Url(publicKey)
}

/**
 * Whether `s` is a well-formed UserId. Only the canonical encoding passes (the last character carries
 * 2 unused bits that must be zero), so one key has exactly one UserId and map lookups cannot be
 * dodged with an alias.
 */
export function isUserId(s: unknown): s is UserId {
  return typeof s === 'string' && USER_ID_RE.test(s)
}

export function publicKeyOf(userId: UserId): Uint8Array {
  if (!isUserId(userId))
    throw new ValidationError(`Not a user id: ${JSON.stringify(String(userId).slice(0, 64))}.`)
  return fromBase64Url(userId)
}
