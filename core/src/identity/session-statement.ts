// What every ephemeral statement of a member's running client has in common (presence, calls): signed
// by the member's identity key, or by a linked device's key with its certificate, so a member cannot
// speak for another; and a head saying which group, whose, which session (random per page: two tabs
// are two sessions), its sequence number and the sender's clock. Each kind adds its own fields after
// the head, under its own domain label; the signature covers the label and every field.
//
// Head on the wire (lib0, after the kind's version varUint): groupId string, author string, device
// flag varUint (0 | 1) [device cert], session bytes(12), seq varUint, sentAt varUint (wall ms).
import * as encoding from 'lib0/encoding'
import { verify } from '../crypto/ed25519'
import type { WireReader } from '../envelope/wire-reader'
import { readDeviceCert, verifyDeviceCert, writeDeviceCert, type DeviceCert } from './device-cert'
import { isUserId, publicKeyOf, type UserId } from './user-id'

export const SESSION_BYTES = 12
const MAX_GROUP_ID = 64 * 3
const MAX_USER_ID = 64

export interface SessionStatementHead {
  groupId: string
  author: UserId
  /** Set when a linked device signs: its certificate from the author's identity. */
  device?: DeviceCert
  /** Random per running client: two tabs or devices of one member are two sessions. */
  session: Uint8Array
  /** Increases with every statement of a session: an older or replayed one is refused. */
  seq: number
  /** Sender's wall-clock ms: statements far from the receiver's clock are refused. */
  sentAt: number
}

/** Something that signs: core's Identity (its own key, or a linked device's with `device`). */
export interface StatementSigner {
  readonly userId: UserId
  readonly device?: DeviceCert
  sign(data: Uint8Array): Promise<Uint8Array>
}

export function writeHead(e: encoding.Encoder, version: number, h: SessionStatementHead): void {
  encoding.writeVarUint(e, version)
  encoding.writeVarString(e, h.groupId)
  encoding.writeVarString(e, h.author)
  encoding.writeVarUint(e, h.device ? 1 : 0)
  if (h.device) writeDeviceCert(e, h.device)
  encoding.writeUint8Array(e, h.session)
  encoding.writeVarUint(e, h.seq)
  encoding.writeVarUint(e, h.sentAt)
}

/** The head after the version (the caller read and checked it); strict, as WireReader is. */
export function readHead(r: WireReader): SessionStatementHead {
  const groupId = r.varString('groupId', MAX_GROUP_ID)
  const author = r.varString('author', MAX_USER_ID)
  if (!isUserId(author)) throw r.fail('author is not a user id')
  const hasDevice = r.varUint('device flag')
  if (hasDevice > 1) throw r.fail('device flag')
  const device = hasDevice === 1 ? readDeviceCert(r, author) : undefined
  const session = r.bytes(SESSION_BYTES, 'session')
  const seq = r.varUint('seq')
  const sentAt = r.varUint('sentAt')
  return { groupId, author, ...(device ? { device } : {}), session, seq, sentAt }
}

/** The bytes a signature covers: the domain label, then the statement as `write` puts it. */
export function signedBytes(domain: string, write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarString(e, domain)
  write(e)
  return encoding.toUint8Array(e)
}

/** The statement as the signer states it (author and device from the signer), and its signature. */
export async function signAs<S extends SessionStatementHead>(
  signer: StatementSigner,
  statement: Omit<S, 'author' | 'device'>,
  bytes: (full: S) => Uint8Array,
): Promise<S & { signature: Uint8Array }> {
  if (statement.session.length !== SESSION_BYTES) throw new Error(`A session is ${SESSION_BYTES} bytes.`)
  const full = {
    ...statement,
    author: signer.userId,
    ...(signer.device ? { device: signer.device } : {}),
  } as S
  return { ...full, signature: await signer.sign(bytes(full)) }
}

/**
 * Whether the author (or the linked device its certificate names) signed `bytes`. Never throws. Says
 * nothing about membership or revocation: the receiver checks those against the group's state.
 */
export async function verifySigned(
  h: SessionStatementHead,
  signature: Uint8Array,
  bytes: Uint8Array,
): Promise<boolean> {
  try {
    if (h.device !== undefined) {
      if (h.device.user !== h.author || !(await verifyDeviceCert(h.device))) return false
      return await verify(h.device.device, signature, bytes)
    }
    return await verify(publicKeyOf(h.author), signature, bytes)
  } catch {
    // A malformed key, certificate or signature is simply not valid: the answer, not a failure.
    return false
  }
}
