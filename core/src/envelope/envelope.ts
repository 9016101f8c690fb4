// The signed envelope around every Yjs update: who (author and their clientIDs), where (group and
// document), when (HLC) and what (payload), with the author's Ed25519 signature over all of it. The
// gate judges envelopes; this file only gives them a strict wire format and checks signatures.
//
// Wire format (lib0): version varuint | groupId varstring | docId varstring | author 32 bytes |
// [versions 2 and 4: the signing device's certificate, see device-cert.ts] |
// client count varuint | per client: clientId varuint, nonce 8 bytes, proof 64 bytes | hlc varuint |
// [versions 3 and 4: stream 8 bytes | seq varuint | seen user count varuint | per user: user 32 bytes,
//  stream count varuint, per stream: signing key 32 bytes, stream 8 bytes, seq varuint] |
// payload varbytes | signature 64 bytes.
// Versions 1 and 3 are signed by the author's identity key; 2 and 4 by a device the author linked.
// Versions 3 and 4 number each session's envelopes (stream, seq) and let a sanction say what its
// author had seen of its targets (docs/adr/0009): authority that does not rest on claimed dates.
// 1 and 2 are still decoded (groups made before), never signed.
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

/** One stream of a user's envelopes that a sanction's author had seen, up to `seq` contiguously. */
export interface SeenStream {
  /** The key that signs the stream (identity or device key). */
  key: Uint8Array
  stream: Uint8Array
  seq: number
}

/** What a sanction's author had seen of one user it reduces (docs/adr/0009). */
export interface SeenUser {
  user: UserId
  streams: SeenStream[]
}

/** The numbering of a session's envelopes: a random stream per session, 1, 2, 3… within it. */
export interface StreamPosition {
  stream: Uint8Array
  seq: number
}

export interface UnsignedEnvelope {
  groupId: string
  docId: string
  author: UserId
  clients: ClientClaim[]
  hlc: number
  payload: Uint8Array
  /** Set when a linked device of the author signs (version 2/4); its clients are claimed by that device. */
  device?: DeviceCert
  /** The session stream and number (versions 3/4); absent only in legacy envelopes (1/2). */
  stream?: Uint8Array
  seq?: number
  /** Per user this envelope reduces, what its author had seen of them (versions 3/4). */
  seen?: SeenUser[]
}

export interface Envelope extends UnsignedEnvelope {
  version: EnvelopeVersion
  signature: Uint8Array
}

/** Legacy: signed by the author's identity key, not numbered (decoded, never signed). */
export const LEGACY_ENVELOPE_VERSION = 1
/** Legacy: signed by a linked device, not numbered (decoded, never signed). */
export const LEGACY_DEVICE_ENVELOPE_VERSION = 2
/** The version of an envelope signed by the author's identity key. */
export const ENVELOPE_VERSION = 3
/** The version of an envelope signed by a linked device. */
export const DEVICE_ENVELOPE_VERSION = 4
export type EnvelopeVersion =
  | typeof LEGACY_ENVELOPE_VERSION
  | typeof LEGACY_DEVICE_ENVELOPE_VERSION
  | typeof ENVELOPE_VERSION
  | typeof DEVICE_ENVELOPE_VERSION
const versionOf = (e: UnsignedEnvelope): EnvelopeVersion =>
  e.stream === undefined
    ? e.device
      ? LEGACY_DEVICE_ENVELOPE_VERSION
      : LEGACY_ENVELOPE_VERSION
    : e.device
      ? DEVICE_ENVELOPE_VERSION
      : ENVELOPE_VERSION

/** Whether the envelope carries a stream number (versions 3/4). */
export const isNumbered = (
  e: UnsignedEnvelope,
): e is UnsignedEnvelope & { stream: Uint8Array; seq: number } =>
  e.stream !== undefined && e.seq !== undefined

/** The key that signs `e` and its client claims: the device's, or the author's own. */
export const signingKeyOf = (e: UnsignedEnvelope): Uint8Array => e.device?.device ?? publicKeyOf(e.author)

/** String limits count UTF-16 code units (`string.length`). */
export const ENVELOPE_LIMITS = {
  maxPayloadBytes: 256 * 1024,
  maxClients: 16,
  maxGroupIdLength: 64,
  maxDocIdLength: 128,
  /** Streams listed in one envelope's `seen`, over all users (ADR 0009: ~170 KB at most). */
  maxSeenStreams: 4096,
  /** Users listed in one envelope's `seen`. */
  maxSeenUsers: 1024,
} as const

/** Bytes of a stream id: random per session, so two sessions of one key never share one. */
export const STREAM_BYTES = 8

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
  const numbering = problemWithNumbering(e)
  if (numbering !== undefined) return numbering
  if (!(e.payload instanceof Uint8Array)) return 'payload must be bytes'
  if (e.payload.length > ENVELOPE_LIMITS.maxPayloadBytes)
    return `payload is over the ${ENVELOPE_LIMITS.maxPayloadBytes}-byte limit`
  return undefined
}

function problemWithNumbering(e: UnsignedEnvelope): string | undefined {
  if (e.stream === undefined) {
    if (e.seq !== undefined || e.seen !== undefined) return 'seq and seen need a stream'
    return undefined
  }
  if (!(e.stream instanceof Uint8Array) || e.stream.length !== STREAM_BYTES)
    return `stream is not ${STREAM_BYTES} bytes`
  if (!Number.isSafeInteger(e.seq) || (e.seq as number) < 1) return 'seq is not a positive safe integer'
  const seen = e.seen ?? []
  if (!Array.isArray(seen)) return 'seen must be an array'
  if (seen.length > ENVELOPE_LIMITS.maxSeenUsers)
    return `seen lists more than ${ENVELOPE_LIMITS.maxSeenUsers} users`
  let streams = 0
  for (const u of seen) {
    if (typeof u !== 'object' || u === null || !isUserId(u.user))
      return 'seen names a user that is not a user id'
    if (!Array.isArray(u.streams)) return 'seen streams must be an array'
    streams += u.streams.length
    if (streams > ENVELOPE_LIMITS.maxSeenStreams)
      return `seen lists more than ${ENVELOPE_LIMITS.maxSeenStreams} streams`
    for (const s of u.streams) {
      if (!(s.key instanceof Uint8Array) || s.key.length !== ED25519_PUBLIC_KEY_BYTES)
        return `a seen stream key is not ${ED25519_PUBLIC_KEY_BYTES} bytes`
      if (!(s.stream instanceof Uint8Array) || s.stream.length !== STREAM_BYTES)
        return `a seen stream is not ${STREAM_BYTES} bytes`
      if (!Number.isSafeInteger(s.seq) || s.seq < 0) return 'a seen seq is not a non-negative safe integer'
    }
  }
  return undefined
}

function writeNumbering(enc: encoding.Encoder, e: UnsignedEnvelope): void {
  if (e.stream === undefined) return
  encoding.writeUint8Array(enc, e.stream)
  encoding.writeVarUint(enc, e.seq!)
  const seen = e.seen ?? []
  encoding.writeVarUint(enc, seen.length)
  for (const u of seen) {
    encoding.writeUint8Array(enc, publicKeyOf(u.user))
    encoding.writeVarUint(enc, u.streams.length)
    for (const s of u.streams) {
      encoding.writeUint8Array(enc, s.key)
      encoding.writeUint8Array(enc, s.stream)
      encoding.writeVarUint(enc, s.seq)
    }
  }
}

function readNumbering(r: WireReader): Pick<UnsignedEnvelope, 'stream' | 'seq' | 'seen'> {
  const stream = r.bytes(STREAM_BYTES, 'stream')
  const seq = r.varUint('seq')
  if (seq < 1) throw r.fail('seq is 0 (streams count from 1)')
  const users = r.varUint('seen user count')
  if (users > ENVELOPE_LIMITS.maxSeenUsers)
    throw r.fail(`seen lists ${users} users, over the limit of ${ENVELOPE_LIMITS.maxSeenUsers}`)
  const seen: SeenUser[] = []
  let total = 0
  for (let i = 0; i < users; i++) {
    const user = userIdOf(r.bytes(ED25519_PUBLIC_KEY_BYTES, `seen[${i}].user`))
    const count = r.varUint(`seen[${i}] stream count`)
    total += count
    if (total > ENVELOPE_LIMITS.maxSeenStreams)
      throw r.fail(`seen lists over ${ENVELOPE_LIMITS.maxSeenStreams} streams`)
    const streams: SeenStream[] = []
    for (let k = 0; k < count; k++) {
      const key = r.bytes(ED25519_PUBLIC_KEY_BYTES, `seen[${i}].streams[${k}].key`)
      const s = r.bytes(STREAM_BYTES, `seen[${i}].streams[${k}].stream`)
      streams.push(Object.freeze({ key, stream: s, seq: r.varUint(`seen[${i}].streams[${k}].seq`) }))
    }
    seen.push(Object.freeze({ user, streams: Object.freeze(streams) as SeenStream[] }))
  }
  // An empty list is written as a count of 0 and read back as absent, as signEnvelope leaves it.
  return seen.length ? { stream, seq, seen: Object.freeze(seen) as SeenUser[] } : { stream, seq }
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
  writeNumbering(enc, e)
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
  if (version < LEGACY_ENVELOPE_VERSION || version > DEVICE_ENVELOPE_VERSION)
    throw r.fail(`unsupported version ${version}`)
  const byDevice = version === LEGACY_DEVICE_ENVELOPE_VERSION || version === DEVICE_ENVELOPE_VERSION
  const numbered = version === ENVELOPE_VERSION || version === DEVICE_ENVELOPE_VERSION
  const groupId = readName(r, 'groupId', ENVELOPE_LIMITS.maxGroupIdLength)
  const docId = readName(r, 'docId', ENVELOPE_LIMITS.maxDocIdLength)
  const author = userIdOf(r.bytes(ED25519_PUBLIC_KEY_BYTES, 'author'))
  const device = byDevice ? readDeviceCert(r, author) : undefined
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
  const numbering = numbered ? readNumbering(r) : undefined
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
    version: version as EnvelopeVersion,
    groupId,
    docId,
    author,
    ...(device && { device: Object.freeze(device) }),
    clients: Object.freeze(clients.map((c) => Object.freeze(c))) as ClientClaim[],
    hlc,
    ...numbering,
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

/** A fresh stream: one per session, never reused (so nothing needs to persist a counter). */
export function newStream(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(STREAM_BYTES))
}

/**
 * Sign as `identity`, which must be the envelope's author (or a device linked to the author). Always
 * a numbered envelope (version 3/4): without a `stream` it gets a stream of its own, numbered 1 (a
 * one-off envelope; sessions number theirs).
 */
export async function signEnvelope(identity: Identity, e: UnsignedEnvelope): Promise<Envelope> {
  if (identity.userId !== e.author)
    throw new ValidationError('An envelope can only be signed by its author (identity.userId !== author).')
  const unsigned: UnsignedEnvelope = {
    ...e,
    device: identity.device,
    stream: e.stream ?? newStream(),
    seq: e.stream === undefined ? 1 : e.seq,
  }
  if (unsigned.device === undefined) delete unsigned.device
  if (unsigned.seen === undefined || unsigned.seen.length === 0) delete unsigned.seen
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
    stream: unsigned.stream,
    seq: unsigned.seq,
    ...(unsigned.seen && { seen: unsigned.seen }),
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
