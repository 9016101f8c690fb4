// A call statement: one signed step of a call between members of a group. Calls are negotiated over
// the group's own channel, never over plain relay signaling: the statement is signed by the member's
// identity (or a linked device with its certificate), then sealed with the group key as a `call` sync
// frame (Replica.sendCall) and carried on live links only. A relay sees ciphertext; someone without
// the group key cannot read or forge one; a member cannot speak for another.
//
//   here      "this session is in the room": heartbeat, and again at once when its media change
//   leave     "this session left the room"
//   offer     an SDP offer to one session (`to`), with the DTLS fingerprint the SDP names
//   answer    the SDP answer to one session, with its fingerprint
//   mute      a moderator mutes `body` (a user id) in the room
//   remove    a moderator removes `body` from the room
//   ring      "a call started in this panel" (text panels and DMs), for the others' ringing notice
//   decline   "I will not take this call" (to the session that rang)
//   candidate ICE candidates of the connection to one session, sent as they are found (trickle ICE:
//             offers and answers go out at once instead of after gathering); body: JSON, a list of
//             RTCIceCandidateInit
//
// Wire (lib0): version varUint (1), groupId string, author string, device flag varUint (0 | 1)
// [device cert], session bytes(12), seq varUint, sentAt varUint (wall ms), kind varUint, panelId
// string, callId string ('' = the panel's standing room), to varBytes (0 or 12), fingerprint string
// ('' = none), media varUint (bit 0 audio, 1 video, 2 screen), body string, signature bytes(64). The
// signature covers the domain label and every field before it.
import * as encoding from 'lib0/encoding'
import { ED25519_SIGNATURE_BYTES, verify } from '../crypto/ed25519'
import { readDeviceCert, verifyDeviceCert, writeDeviceCert, type DeviceCert } from '../identity/device-cert'
import { isUserId, publicKeyOf, type UserId } from '../identity/user-id'
import { WireReader } from '../envelope/wire-reader'

export const CALL_SESSION_BYTES = 12
const VERSION = 1
const DOMAIN = 'tailmesh/call/v1'
const MAX_GROUP_ID = 64 * 3
const MAX_USER_ID = 64
const MAX_PANEL_ID = 128 * 3
const MAX_CALL_ID = 64
const MAX_FINGERPRINT = 256
/** An SDP with a few candidates is 3–6 KB; the signaling room carries frames up to 16 K characters. */
export const MAX_CALL_BODY = 10 * 1024

export const CALL_KINDS = [
  'here',
  'leave',
  'offer',
  'answer',
  'mute',
  'remove',
  'ring',
  'decline',
  'candidate',
] as const
export type CallKind = (typeof CALL_KINDS)[number]

/** What a session sends: bit flags so a heartbeat says it in one byte. */
export interface CallMedia {
  audio: boolean
  video: boolean
  screen: boolean
}

export interface CallStatement {
  groupId: string
  author: UserId
  device?: DeviceCert
  /** Random per page: two tabs or devices of one member are two sessions. */
  session: Uint8Array
  /** Increases with every statement of a session: an older or replayed one is refused. */
  seq: number
  /** Sender's wall-clock ms: statements far from the receiver's clock are refused. */
  sentAt: number
  kind: CallKind
  panelId: string
  /** '' for a voice panel's standing room; a random id for a call started in a text panel or DM. */
  callId: string
  /** The one session an offer, answer, candidate or decline is for; null for everyone. */
  to: Uint8Array | null
  /** The DTLS fingerprint this session's connections use (sdp-fingerprint.ts spelling); '' if none. */
  fingerprint: string
  media: CallMedia
  /** offer / answer: the SDP; candidate: JSON candidates; mute / remove: the user id; otherwise ''. */
  body: string
}

export interface SignedCallStatement extends CallStatement {
  signature: Uint8Array
}

/** Something that signs: core's Identity (its own key, or a linked device's with `device`). */
export interface CallSigner {
  readonly userId: UserId
  readonly device?: DeviceCert
  sign(data: Uint8Array): Promise<Uint8Array>
}

const mediaBits = (m: CallMedia): number => (m.audio ? 1 : 0) | (m.video ? 2 : 0) | (m.screen ? 4 : 0)

function writeBody(e: encoding.Encoder, s: CallStatement): void {
  encoding.writeVarUint(e, VERSION)
  encoding.writeVarString(e, s.groupId)
  encoding.writeVarString(e, s.author)
  encoding.writeVarUint(e, s.device ? 1 : 0)
  if (s.device) writeDeviceCert(e, s.device)
  encoding.writeUint8Array(e, s.session)
  encoding.writeVarUint(e, s.seq)
  encoding.writeVarUint(e, s.sentAt)
  encoding.writeVarUint(e, CALL_KINDS.indexOf(s.kind))
  encoding.writeVarString(e, s.panelId)
  encoding.writeVarString(e, s.callId)
  encoding.writeVarUint8Array(e, s.to ?? new Uint8Array(0))
  encoding.writeVarString(e, s.fingerprint)
  encoding.writeVarUint(e, mediaBits(s.media))
  encoding.writeVarString(e, s.body)
}

function signedBytes(s: CallStatement): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarString(e, DOMAIN)
  writeBody(e, s)
  return encoding.toUint8Array(e)
}

export async function signCallStatement(
  signer: CallSigner,
  statement: Omit<CallStatement, 'author' | 'device'>,
): Promise<SignedCallStatement> {
  if (statement.session.length !== CALL_SESSION_BYTES)
    throw new Error(`A call session is ${CALL_SESSION_BYTES} bytes.`)
  if (statement.to !== null && statement.to.length !== CALL_SESSION_BYTES)
    throw new Error(`A call statement is addressed to a ${CALL_SESSION_BYTES}-byte session.`)
  const full: CallStatement = {
    ...statement,
    author: signer.userId,
    ...(signer.device ? { device: signer.device } : {}),
  }
  return { ...full, signature: await signer.sign(signedBytes(full)) }
}

export function encodeCallStatement(s: SignedCallStatement): Uint8Array {
  const e = encoding.createEncoder()
  writeBody(e, s)
  encoding.writeUint8Array(e, s.signature)
  return encoding.toUint8Array(e)
}

/** Strict: anything but exactly one well-formed statement is a MalformedError. */
export function decodeCallStatement(bytes: Uint8Array): SignedCallStatement {
  const r = new WireReader(bytes, 'call statement')
  const version = r.varUint('version')
  if (version !== VERSION) throw r.fail(`version ${version}`)
  const groupId = r.varString('groupId', MAX_GROUP_ID)
  const author = r.varString('author', MAX_USER_ID)
  if (!isUserId(author)) throw r.fail('author is not a user id')
  const hasDevice = r.varUint('device flag')
  if (hasDevice > 1) throw r.fail('device flag')
  const device = hasDevice === 1 ? readDeviceCert(r, author) : undefined
  const session = r.bytes(CALL_SESSION_BYTES, 'session')
  const seq = r.varUint('seq')
  const sentAt = r.varUint('sentAt')
  const kind = CALL_KINDS[r.varUint('kind')]
  if (kind === undefined) throw r.fail('unknown kind')
  const panelId = r.varString('panelId', MAX_PANEL_ID)
  const callId = r.varString('callId', MAX_CALL_ID)
  const to = r.varBytes('to', CALL_SESSION_BYTES)
  if (to.length !== 0 && to.length !== CALL_SESSION_BYTES) throw r.fail('to is not a session')
  const fingerprint = r.varString('fingerprint', MAX_FINGERPRINT)
  const bits = r.varUint('media')
  if (bits > 7) throw r.fail('media flags')
  const body = r.varString('body', MAX_CALL_BODY)
  const signature = r.bytes(ED25519_SIGNATURE_BYTES, 'signature')
  r.end()
  return {
    groupId,
    author,
    ...(device ? { device } : {}),
    session,
    seq,
    sentAt,
    kind,
    panelId,
    callId,
    to: to.length === 0 ? null : to,
    fingerprint,
    media: { audio: (bits & 1) !== 0, video: (bits & 2) !== 0, screen: (bits & 4) !== 0 },
    body,
    signature,
  }
}

/**
 * Whether the author (or the linked device its certificate names) signed it. Never throws. Says
 * nothing about membership or permissions: call-judge.ts checks those against the group's state.
 */
export async function verifyCallStatement(s: SignedCallStatement): Promise<boolean> {
  try {
    if (s.device !== undefined) {
      if (s.device.user !== s.author || !(await verifyDeviceCert(s.device))) return false
      return await verify(s.device.device, s.signature, signedBytes(s))
    }
    return await verify(publicKeyOf(s.author), s.signature, signedBytes(s))
  } catch {
    // A malformed key, certificate or signature is simply not valid: the answer, not a failure.
    return false
  }
}
