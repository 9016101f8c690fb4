// A call statement: one signed step of a call between members of a group. Calls are negotiated over
// the group's own channel, never over plain relay signaling: the statement is signed by the member's
// identity (or a linked device with its certificate; identity/session-statement.ts), then sealed with
// the group key as a `call` sync frame (Replica.sendCall) and carried on live links only. A relay sees ciphertext; someone without
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
// Wire (lib0): version varUint (1), the session statement head (groupId, author, device flag [device
// cert], session bytes(12), seq, sentAt; session-statement.ts), kind varUint, panelId
// string, callId string ('' = the panel's standing room), to varBytes (0 or 12), fingerprint string
// ('' = none), media varUint (bit 0 audio, 1 video, 2 screen), body string, signature bytes(64). The
// signature covers the domain label and every field before it.
import * as encoding from 'lib0/encoding'
import { ED25519_SIGNATURE_BYTES } from '../crypto/ed25519'
import {
  SESSION_BYTES,
  readHead,
  signAs,
  signedBytes as signedBytesOf,
  verifySigned,
  writeHead,
  type SessionStatementHead,
  type StatementSigner,
} from '../identity/session-statement'
import { WireReader } from '../envelope/wire-reader'

export const CALL_SESSION_BYTES = SESSION_BYTES
const VERSION = 1
const DOMAIN = 'tailmesh/call/v1'
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

/** The head (group, author, device, session, seq, sentAt: session-statement.ts), then the call's fields. */
export interface CallStatement extends SessionStatementHead {
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
export type CallSigner = StatementSigner

const mediaBits = (m: CallMedia): number => (m.audio ? 1 : 0) | (m.video ? 2 : 0) | (m.screen ? 4 : 0)

function writeBody(e: encoding.Encoder, s: CallStatement): void {
  writeHead(e, VERSION, s)
  encoding.writeVarUint(e, CALL_KINDS.indexOf(s.kind))
  encoding.writeVarString(e, s.panelId)
  encoding.writeVarString(e, s.callId)
  encoding.writeVarUint8Array(e, s.to ?? new Uint8Array(0))
  encoding.writeVarString(e, s.fingerprint)
  encoding.writeVarUint(e, mediaBits(s.media))
  encoding.writeVarString(e, s.body)
}

const signedBytes = (s: CallStatement): Uint8Array => signedBytesOf(DOMAIN, (e) => writeBody(e, s))

export async function signCallStatement(
  signer: CallSigner,
  statement: Omit<CallStatement, 'author' | 'device'>,
): Promise<SignedCallStatement> {
  if (statement.to !== null && statement.to.length !== CALL_SESSION_BYTES)
    throw new Error(`A call statement is addressed to a ${CALL_SESSION_BYTES}-byte session.`)
  return signAs<CallStatement>(signer, statement, signedBytes)
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
  const head = readHead(r)
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
    ...head,
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
export function verifyCallStatement(s: SignedCallStatement): Promise<boolean> {
  return verifySigned(s, s.signature, signedBytes(s))
}
