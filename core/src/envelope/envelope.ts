// The signed envelope around every Yjs update: who (author and their clientIDs), where (group and
// document), when (HLC) and what (payload), with the author's Ed25519 signature over all of it. The
// gate judges envelopes; this file only gives them a strict wire format and checks signatures.
//
// Wire format (lib0): version varuint | groupId varstring | docId varstring | author 32 bytes |
// [version 2 only: the signing device's certificate, see device-cert.ts] |
// client count varuint | per client: clientId varuint, nonce 8 bytes, proof 64 bytes | hlc varuint |
// payload varbytes | signature 64 bytes.
// Version 1 is signed by the author's identity key; version 2 by a device the author linked.
import * as encoding from 'lib0/encoding'
import { MalformedError, ValidationError } from '../errors'
import { toBase64Url } from '../bytes'
import { ED25519_PUBLIC_KEY_BYTES, ED25519_SIGNATURE_BYTES, verify } from '../crypto/ed25519'
import type { Identity } from '../identity/identity'
import { isUserId, publicKeyOf, userIdOf, type UserId } from '../identity/user-id'
import { CLIENT_NONCE_BYTES, type ClientClaim } from './client-claim'
import { isHlc } from './hlc'
import { WireReader } from './wire-reader'
import { readDeviceCert, verifyDeviceCert, writeDeviceCert, type DeviceCert } from '../identity/device-cert'

export interface UnsignedEnvelope {
  groupId: string
  docId: string
  author: UserId
  clients: ClientClaim[]
  hlc: number
  payload: Uint8Array
  /** Set when a linked device of the author signs (version 2); its clients are claimed by that device. */
  device?: DeviceCert
}

export interface Envelope extends UnsignedEnvelope {
  version: EnvelopeVersion
  signature: Uint8Array
}

/** The version of an envelope signed by the author's identity key. */
export const ENVELOPE_VERSION = 1
/** The version of an envelope signed by a linked device. */
export const DEVICE_ENVELOPE_VERSION = 2
export type EnvelopeVersion = typeof ENVELOPE_VERSION | typeof DEVICE_ENVELOPE_VERSION
const versionOf = (e: UnsignedEnvelope): EnvelopeVersion =>
  e.device ? DEVICE_ENVELOPE_VERSION : ENVELOPE_VERSION

/** The key that signs `e` and its client claims: the device's, or the author's own. */
export const signingKeyOf = (e: UnsignedEnvelope): Uint8Array => e.device?.device ?? publicKeyOf(e.author)

/** String limits count UTF-16 code units (`string.length`). */
export const ENVELOPE_LIMITS = {
  maxPayloadBytes: 256 * 1024,
  maxClients: 16,
  maxGroupIdLength: 64,
  maxDocIdLength: 128,
} as const

const ENVELOPE_DOMAIN = 'tailmesh/envelope/v1'
// One UTF-16 code unit is at most 3 UTF-8 bytes: a byte bound checked before decoding a string.
const UTF8_BYTES_PER_UNIT = 3

function checkName(value: unknown, field: string, max: number): string | undefined {
  if (typeof value !== 'string') return `${field} must be a string`
  if (value.length === 0) return `${field} must not be empty`
  if (value.length > max) return `${field} is longer than ${max} characters`
  return undefined
}

/** Why `e` cannot be encoded, or undefined if it can. */
function problemWith(e: UnsignedEnvelope): string | undefined {
  const name = checkName(e.groupId, 'groupId', ENVELOPE_LIMITS.maxGroupIdLength)
  if (name !== undefined) return name
  const doc = checkName(e.docId, 'docId', ENVELOPE_LIMITS.maxDocIdLength)
  if (doc !== undefined) return doc
  if (!isUserId(e.author)) return 'author is not a user id'
  if (e.device !== undefined && e.device.user !== e.author) return 'device is certified for another user'
  if (!Array.isArray(e.clients)) return 'clients must be an array'
  if (e.clients.length > ENVELOPE_LIMITS.maxClients) return `more than ${ENVELOPE_LIMITS.maxClients} clients`
  for (const c of e.clients) {
    if (typeof c !== 'object' || c === null) return 'a client claim is not an object'
    if (!Number.isInteger(c.clientId) || c.clientId < 0 || c.clientId > 0xffffffff)
      return 'a clientId is not an unsigned 32-bit integer'
    if (!(c.nonce instanceof Uint8Array) || c.nonce.length !== CLIENT_NONCE_BYTES)
      return `a client nonce is not ${CLIENT_NONCE_BYTES} bytes`
    if (!(c.proof instanceof Uint8Array) || c.proof.length !== ED25519_SIGNATURE_BYTES)
      return `a client proof is not ${ED25519_SIGNATURE_BYTES} bytes`
  }
  if (!isHlc(e.hlc)) return 'hlc is not a non-negative safe integer'
  if (!(e.payload instanceof Uint8Array)) return 'payload must be bytes'
  if (e.payload.length > ENVELOPE_LIMITS.maxPayloadBytes)
    return `payload is over the ${ENVELOPE_LIMITS.maxPayloadBytes}-byte limit`
  return undefined
}

function writeBody(enc: encoding.Encoder, e: UnsignedEnvelope): void {
  encoding.writeVarUint(enc, versionOf(e))
  encoding.writeVarString(enc, e.groupId)
  encoding.writeVarString(enc, e.docId)
  encoding.writeUint8Array(enc, publicKeyOf(e.author))
  if (e.device) writeDeviceCert(enc, e.device)
  encoding.writeVarUint(enc, e.clients.length)
  for (const c of e.clients) {
    encoding.writeVarUint(enc, c.clientId)
    encoding.writeUint8Array(enc, c.nonce)
    encoding.writeUint8Array(enc, c.proof)
  }
  encoding.writeVarUint(enc, e.hlc)
  encoding.writeVarUint8Array(enc, e.payload)
}

const DOMAIN_PREFIX = (() => {
  const enc = encoding.createEncoder()
  encoding.writeVarString(enc, ENVELOPE_DOMAIN)
  return encoding.toUint8Array(enc)
})()

// A decoded envelope's body is exactly its wire bytes before the signature: kept so verifying does not
// encode the envelope again (the gate verifies every envelope it receives). Decoded objects only;
// anything built or changed in code is encoded afresh.
const decodedBody = new WeakMap<Envelope, Uint8Array>()

/** The signed bytes: a domain label, then every field except the signature, in wire order. */
function signedBytes(e: UnsignedEnvelope): Uint8Array {
  const enc = encoding.createEncoder()
  encoding.writeUint8Array(enc, DOMAIN_PREFIX)
  writeBody(enc, e)
  return encoding.toUint8Array(enc)
}

/** Encode for the wire. Throws ValidationError for an envelope that breaks the format or its limits. */
export function encodeEnvelope(e: Envelope): Uint8Array {
  if (e.version !== versionOf(e))
    throw new ValidationError(
      `Envelope version must be ${versionOf(e)} (${e.device ? 'device' : 'identity'}).`,
    )
  const problem = problemWith(e)
  if (problem !== undefined) throw new ValidationError(`Envelope ${problem}.`)
  if (!(e.signature instanceof Uint8Array) || e.signature.length !== ED25519_SIGNATURE_BYTES)
    throw new ValidationError(`Envelope signature must be ${ED25519_SIGNATURE_BYTES} bytes.`)
  const enc = encoding.createEncoder()
  writeBody(enc, e)
  encoding.writeUint8Array(enc, e.signature)
  return encoding.toUint8Array(enc)
}

/**
 * Decode bytes from the network. Anything that is not exactly one well-formed, in-limit envelope of a
 * known version throws MalformedError with the reason; nothing else is ever thrown. (The signature is
 * not checked here: see verifyEnvelopeSignature.)
 */
export function decodeEnvelope(bytes: Uint8Array): Envelope {
  if (!(bytes instanceof Uint8Array)) throw new MalformedError('Malformed envelope: not bytes.')
  const r = new WireReader(bytes, 'envelope')
  if (r.remaining === 0) throw r.fail('empty input')
  const version = r.varUint('version')
  if (version !== ENVELOPE_VERSION && version !== DEVICE_ENVELOPE_VERSION)
    throw r.fail(`unsupported version ${version}`)
  const groupId = readName(r, 'groupId', ENVELOPE_LIMITS.maxGroupIdLength)
  const docId = readName(r, 'docId', ENVELOPE_LIMITS.maxDocIdLength)
  const author = userIdOf(r.bytes(ED25519_PUBLIC_KEY_BYTES, 'author'))
  const device = version === DEVICE_ENVELOPE_VERSION ? readDeviceCert(r, author) : undefined
  const count = r.varUint('client count')
  if (count > ENVELOPE_LIMITS.maxClients)
    throw r.fail(`${count} clients, over the limit of ${ENVELOPE_LIMITS.maxClients}`)
  const clients: ClientClaim[] = []
  for (let i = 0; i < count; i++) {
    const clientId = r.varUint(`clients[${i}].clientId`)
    if (clientId > 0xffffffff) throw r.fail(`clients[${i}].clientId is not a 32-bit value`)
    const nonce = r.bytes(CLIENT_NONCE_BYTES, `clients[${i}].nonce`)
    const proof = r.bytes(ED25519_SIGNATURE_BYTES, `clients[${i}].proof`)
    clients.push({ clientId, nonce, proof })
  }
  const hlc = r.varUint('hlc')
  const payload = r.varBytes('payload', ENVELOPE_LIMITS.maxPayloadBytes)
  const signature = r.bytes(ED25519_SIGNATURE_BYTES, 'signature')
  r.end()
  // The payload is a view into the kept body, and the envelope is frozen: what is verified later is
  // necessarily what the envelope holds, even if some code changed its bytes in between.
  const bodyLength = bytes.length - ED25519_SIGNATURE_BYTES
  const body = new Uint8Array(DOMAIN_PREFIX.length + bodyLength)
  body.set(DOMAIN_PREFIX)
  body.set(bytes.subarray(0, bodyLength), DOMAIN_PREFIX.length)
  const payloadAt = body.length - payload.length
  const envelope: Envelope = Object.freeze({
    version,
    groupId,
    docId,
    author,
    ...(device && { device: Object.freeze(device) }),
    clients: Object.freeze(clients.map((c) => Object.freeze(c))) as ClientClaim[],
    hlc,
    payload: body.subarray(payloadAt),
    signature,
  })
  decodedBody.set(envelope, body)
  return envelope
}

function readName(r: WireReader, field: string, max: number): string {
  const s = r.varString(field, max * UTF8_BYTES_PER_UNIT)
  const problem = checkName(s, field, max)
  if (problem !== undefined) throw r.fail(problem)
  return s
}

/** Sign as `identity`, which must be the envelope's author (or a device linked to the author). */
export async function signEnvelope(identity: Identity, e: UnsignedEnvelope): Promise<Envelope> {
  if (identity.userId !== e.author)
    throw new ValidationError('An envelope can only be signed by its author (identity.userId !== author).')
  const unsigned: UnsignedEnvelope = { ...e, device: identity.device }
  if (unsigned.device === undefined) delete unsigned.device
  const problem = problemWith(unsigned)
  if (problem !== undefined) throw new ValidationError(`Envelope ${problem}.`)
  const signature = await identity.sign(signedBytes(unsigned))
  return {
    version: versionOf(unsigned),
    groupId: e.groupId,
    docId: e.docId,
    author: e.author,
    ...(identity.device && { device: identity.device }),
    clients: e.clients,
    hlc: e.hlc,
    payload: e.payload,
    signature,
  }
}

/**
 * Whether the author — or a device whose certificate the author signed — signed exactly these fields.
 * Never throws (a malformed envelope is `false`).
 */
export async function verifyEnvelopeSignature(e: Envelope): Promise<boolean> {
  try {
    if (e.device !== undefined && !(await verifyDeviceCert(e.device))) return false
    const body = decodedBody.get(e)
    if (body !== undefined) return await verify(signingKeyOf(e), e.signature, body)
    if (e.version !== versionOf(e) || problemWith(e) !== undefined) return false
    return await verify(signingKeyOf(e), e.signature, signedBytes(e))
  } catch {
    // A malformed key, certificate or signature is simply not valid: the answer, not a failure.
    return false
  }
}

/**
 * A stable id for deduplication: the signature. Ed25519 signatures are deterministic and WebCrypto
 * refuses non-canonical ones, so a replay or re-delivery of the same envelope has the same id.
 */
export const envelopeId = (e: Envelope): string => toBase64Url(e.signature)
