// A linked device acts for its user without holding the user's identity key: the identity signs a
// certificate naming the device's own signing key and box key, and the device signs its envelopes with
// its own key and carries the certificate. Revoking the device (a record signed by the identity key)
// makes every peer refuse the device's later envelopes, while the user's other devices carry on.
import * as encoding from 'lib0/encoding'
import { fromBase64Url, toBase64Url } from '../bytes'
import { ED25519_PUBLIC_KEY_BYTES, ED25519_SIGNATURE_BYTES, verify } from '../crypto/ed25519'
import { X25519_KEY_BYTES } from '../crypto/x25519'
import { publicKeyOf, type UserId } from './user-id'
import type { WireReader } from '../envelope/wire-reader'

export interface DeviceCert {
  /** The user the device acts for. */
  user: UserId
  /** The device's Ed25519 public key: it signs the device's envelopes and client claims. */
  device: Uint8Array
  /** The device's X25519 public key: group keys are wrapped for it. */
  box: Uint8Array
  /** Wall-clock ms when the user linked the device. */
  issuedAt: number
  /** The user's identity signature over all of the above. */
  proof: Uint8Array
}

/** A device's id: base64url of its signing key (43 characters, like a UserId). */
export type DeviceId = string

export const deviceIdOf = (cert: Pick<DeviceCert, 'device'>): DeviceId => toBase64Url(cert.device)

const CERT_DOMAIN = 'tailmesh/device/v1'
const REVOKE_DOMAIN = 'tailmesh/device-revoked/v1'

function certBytes(c: Omit<DeviceCert, 'proof'>): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarString(e, CERT_DOMAIN)
  encoding.writeVarString(e, c.user)
  encoding.writeUint8Array(e, c.device)
  encoding.writeUint8Array(e, c.box)
  encoding.writeVarUint(e, c.issuedAt)
  return encoding.toUint8Array(e)
}

function revokeBytes(user: UserId, device: DeviceId, at: number): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarString(e, REVOKE_DOMAIN)
  encoding.writeVarString(e, user)
  encoding.writeVarString(e, device)
  encoding.writeVarUint(e, at)
  return encoding.toUint8Array(e)
}

/** Something that signs as the user's identity key itself (not as a linked device). */
export interface IdentitySigner {
  readonly userId: UserId
  readonly device?: DeviceCert
  sign(data: Uint8Array): Promise<Uint8Array>
}

function primary(identity: IdentitySigner): IdentitySigner {
  if (identity.device !== undefined)
    throw new Error('Only the device holding the identity key can link or revoke devices.')
  return identity
}

export async function issueDeviceCert(
  identity: IdentitySigner,
  device: Uint8Array,
  box: Uint8Array,
  issuedAt = Date.now(),
): Promise<DeviceCert> {
  if (device.length !== ED25519_PUBLIC_KEY_BYTES || box.length !== X25519_KEY_BYTES)
    throw new Error('A device certificate names a 32-byte signing key and a 32-byte box key.')
  const unsigned = { user: identity.userId, device: device.slice(), box: box.slice(), issuedAt }
  return { ...unsigned, proof: await primary(identity).sign(certBytes(unsigned)) }
}

// Every envelope of a device carries its certificate: remember the ones that verified (positive
// results only, so a forged certificate costs the forger a verification every time).
const verified = new Set<string>()
const VERIFIED_CACHE_SIZE = 1024

/** Whether `cert` was issued by its user's identity key. Never throws. */
export async function verifyDeviceCert(cert: DeviceCert): Promise<boolean> {
  try {
    if (cert.device.length !== ED25519_PUBLIC_KEY_BYTES || cert.box.length !== X25519_KEY_BYTES) return false
    if (cert.proof.length !== ED25519_SIGNATURE_BYTES || !Number.isSafeInteger(cert.issuedAt)) return false
    const key = `${cert.user} ${toBase64Url(certBytes(cert))} ${toBase64Url(cert.proof)}`
    if (verified.has(key)) return true
    if (!(await verify(publicKeyOf(cert.user), cert.proof, certBytes(cert)))) return false
    verified.add(key)
    if (verified.size > VERIFIED_CACHE_SIZE) verified.delete(verified.values().next().value!)
    return true
  } catch {
    // A malformed key or proof is simply not valid: the answer, not a failure to log.
    return false
  }
}

/** The identity's signature saying `device` may not act for `user` from wall-clock ms `at` on. */
export async function signDeviceRevocation(
  identity: IdentitySigner,
  device: DeviceId,
  at: number,
): Promise<Uint8Array> {
  return primary(identity).sign(revokeBytes(identity.userId, device, at))
}

export async function verifyDeviceRevocation(
  user: UserId,
  device: DeviceId,
  at: number,
  proof: Uint8Array,
): Promise<boolean> {
  try {
    return await verify(publicKeyOf(user), proof, revokeBytes(user, device, at))
  } catch {
    // A malformed key or proof is simply not valid: the answer, not a failure to log.
    return false
  }
}

// ---------------------------------------------------------------------------------------------
// wire (inside a version 2 envelope, after the author) and JSON (in group documents, pairing)

export function writeDeviceCert(enc: encoding.Encoder, c: DeviceCert): void {
  encoding.writeUint8Array(enc, c.device)
  encoding.writeUint8Array(enc, c.box)
  encoding.writeVarUint(enc, c.issuedAt)
  encoding.writeUint8Array(enc, c.proof)
}

export function readDeviceCert(r: WireReader, user: UserId): DeviceCert {
  const device = r.bytes(ED25519_PUBLIC_KEY_BYTES, 'device key')
  const box = r.bytes(X25519_KEY_BYTES, 'device box key')
  const issuedAt = r.varUint('device issuedAt')
  const proof = r.bytes(ED25519_SIGNATURE_BYTES, 'device proof')
  return { user, device, box, issuedAt, proof }
}

export interface DeviceCertJson {
  user: UserId
  device: string
  box: string
  issuedAt: number
  proof: string
}

export const deviceCertToJson = (c: DeviceCert): DeviceCertJson => ({
  user: c.user,
  device: toBase64Url(c.device),
  box: toBase64Url(c.box),
  issuedAt: c.issuedAt,
  proof: toBase64Url(c.proof),
})

/** Shape only (throws on a malformed value); check the signature with verifyDeviceCert. */
export function deviceCertFromJson(v: unknown): DeviceCert {
  const o = v as Partial<Record<keyof DeviceCertJson, unknown>> | null
  if (
    typeof o !== 'object' ||
    o === null ||
    typeof o.user !== 'string' ||
    typeof o.device !== 'string' ||
    typeof o.box !== 'string' ||
    typeof o.proof !== 'string' ||
    !Number.isSafeInteger(o.issuedAt)
  )
    throw new Error('not a device certificate')
  return {
    user: o.user,
    device: fromBase64Url(o.device),
    box: fromBase64Url(o.box),
    issuedAt: o.issuedAt as number,
    proof: fromBase64Url(o.proof),
  }
}
