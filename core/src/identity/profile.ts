// A member's profile is signed by its owner, so it can travel with membership through any peer or
// relay without anyone else being able to change a nickname or avatar.
import * as encoding from 'lib0/encoding'
import { IntegrityError, ValidationError } from '../errors'
import { fromBase64Url, toBase64Url } from '../bytes'
import { ED25519_SIGNATURE_BYTES, verify } from '../crypto/ed25519'
import type { Identity } from './identity'
import { isUserId, publicKeyOf, type UserId } from './user-id'
import { deviceCertFromJson, deviceCertToJson, verifyDeviceCert, type DeviceCertJson } from './device-cert'

export interface Profile {
  nickname: string
  /** An http(s) URL or a data: URL. */
  avatar?: string
  status?: string
  /** Wall-clock ms of the last change: the newer signed profile wins. */
  updatedAt: number
}

export interface SignedProfile {
  userId: UserId
  profile: Profile
  /** base64url Ed25519 signature by `userId` (or `device`) over the canonical encoding of `profile`. */
  signature: string
  /** Set when a linked device of the user signed: its certificate. */
  device?: DeviceCertJson
}

export const PROFILE_LIMITS = { maxNicknameChars: 32, maxAvatarChars: 2048, maxStatusChars: 128 } as const

const PROFILE_DOMAIN = 'tailmesh/profile/v1'
const AVATAR_PROTOCOLS = new Set(['http:', 'https:', 'data:'])

/** Length in code points, so an emoji counts as one character as a person would count it. */
const codePoints = (s: string): number => Array.from(s).length

// Control characters and bidi overrides in a nickname let one member render as another or break the
// layout of every member list, so they are refused.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NICKNAME_FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Check a profile from anywhere (UI, network, backup) and return a clean copy: nickname trimmed,
 * unknown fields dropped. Throws ValidationError naming the offending field.
 */
export function validateProfile(p: unknown): Profile {
  if (!isRecord(p)) throw new ValidationError('profile: must be an object.')
  if (typeof p.nickname !== 'string') throw new ValidationError('profile.nickname: must be a string.')
  const nickname = p.nickname.trim()
  const n = codePoints(nickname)
  if (n < 1 || n > PROFILE_LIMITS.maxNicknameChars)
    throw new ValidationError(`profile.nickname: must be 1 to ${PROFILE_LIMITS.maxNicknameChars} characters.`)
  if (NICKNAME_FORBIDDEN.test(nickname))
    throw new ValidationError('profile.nickname: contains control or text-direction characters.')
  const out: Profile = { nickname, updatedAt: 0 }
  if (p.avatar !== undefined) {
    if (typeof p.avatar !== 'string') throw new ValidationError('profile.avatar: must be a string.')
    if (p.avatar.length > PROFILE_LIMITS.maxAvatarChars)
      throw new ValidationError(`profile.avatar: longer than ${PROFILE_LIMITS.maxAvatarChars} characters.`)
    let protocol: string
    try {
      protocol = new URL(p.avatar).protocol
    } catch {
      throw new ValidationError('profile.avatar: not a URL.')
    }
    // javascript:, blob: and friends are refused: an avatar is only ever something to display.
    if (!AVATAR_PROTOCOLS.has(protocol))
      throw new ValidationError('profile.avatar: must be an http(s) or data: URL.')
    out.avatar = p.avatar
  }
  if (p.status !== undefined) {
    if (typeof p.status !== 'string') throw new ValidationError('profile.status: must be a string.')
    if (codePoints(p.status) > PROFILE_LIMITS.maxStatusChars)
      throw new ValidationError(`profile.status: longer than ${PROFILE_LIMITS.maxStatusChars} characters.`)
    out.status = p.status
  }
  if (typeof p.updatedAt !== 'number' || !Number.isFinite(p.updatedAt))
    throw new ValidationError('profile.updatedAt: must be a finite number.')
  out.updatedAt = p.updatedAt
  return out
}

// What is signed: a fixed field order in lib0 encoding, prefixed with a domain label (so a profile
// signature can never be replayed as any other kind of signature) and bound to the owner's id.
function signedBytes(userId: UserId, profile: Profile): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarString(e, PROFILE_DOMAIN)
  encoding.writeVarString(e, userId)
  encoding.writeVarString(e, profile.nickname)
  encoding.writeUint8(e, profile.avatar === undefined ? 0 : 1)
  encoding.writeVarString(e, profile.avatar ?? '')
  encoding.writeUint8(e, profile.status === undefined ? 0 : 1)
  encoding.writeVarString(e, profile.status ?? '')
  encoding.writeFloat64(e, profile.updatedAt)
  return encoding.toUint8Array(e)
}

export async function signProfile(identity: Identity, profile: Profile): Promise<SignedProfile> {
  const clean = validateProfile(profile)
  const signature = await identity.sign(signedBytes(identity.userId, clean))
  const signed: SignedProfile = { userId: identity.userId, profile: clean, signature: toBase64Url(signature) }
  if (identity.device) signed.device = deviceCertToJson(identity.device)
  return signed
}

/**
 * Check a signed profile received from anyone and return its (validated) profile. Badly shaped input:
 * ValidationError. A signature that is not the claimed user's over this profile: IntegrityError.
 */
export async function verifyProfile(sp: unknown): Promise<Profile> {
  if (!isRecord(sp)) throw new ValidationError('signed profile: must be an object.')
  if (!isUserId(sp.userId)) throw new ValidationError('signed profile.userId: not a user id.')
  if (typeof sp.signature !== 'string')
    throw new ValidationError('signed profile.signature: must be a string.')
  let signature: Uint8Array
  try {
    signature = fromBase64Url(sp.signature)
  } catch {
    throw new ValidationError('signed profile.signature: not base64url.')
  }
  if (signature.length !== ED25519_SIGNATURE_BYTES)
    throw new ValidationError('signed profile.signature: wrong length.')
  const profile = validateProfile(sp.profile)
  let signer = publicKeyOf(sp.userId)
  if (sp.device !== undefined) {
    let cert
    try {
      cert = deviceCertFromJson(sp.device)
    } catch {
      throw new ValidationError('signed profile.device: not a device certificate.')
    }
    if (cert.user !== sp.userId || !(await verifyDeviceCert(cert)))
      throw new IntegrityError(`The profile of ${sp.userId} names a device that user did not link.`)
    signer = cert.device
  }
  if (!(await verify(signer, signature, signedBytes(sp.userId, profile))))
    throw new IntegrityError(`The profile of ${sp.userId} is not signed by that user.`)
  return profile
}
