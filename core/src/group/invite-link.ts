// Invite links. Everything a newcomer needs to find, read and join a group travels in the URL
// fragment (`#/join/<payload>`), which browsers never send to any server: the relay that serves the
// app never learns the group key or the invite secret. In core because every peer that joins by
// link reads it: the web app, and headless peers such as bots.
//
// Payload (base64url, no padding), 71 bytes → 95 characters:
//   version (1) | group key (32) | invite secret (16) | group id (22 ASCII base64url characters)
// The group id is kept as text: it is 22 base64url characters (132 bits), not a whole number of bytes.
import { AES_KEY_BYTES } from '../crypto/aead'
import { INVITE_SECRET_BYTES } from '../keys/invite-key'
import { fromBase64Url, toBase64Url } from '../bytes'

export interface InvitePayload {
  groupId: string
  /** The group key (raw bytes): decrypts the group's traffic. */
  groupKey: Uint8Array
  /** The invite secret: proves holding the link when joining. */
  secret: Uint8Array
}

export class InvalidInviteError extends Error {
  override name = 'InvalidInviteError'
}

const VERSION = 1
const GROUP_ID_CHARS = 22
const GROUP_ID_RE = /^[A-Za-z0-9_-]{22}$/
const PAYLOAD_BYTES = 1 + AES_KEY_BYTES + INVITE_SECRET_BYTES + GROUP_ID_CHARS
/** Longest text worth decoding: anything longer is refused before any work. */
const MAX_PAYLOAD_CHARS = Math.ceil((PAYLOAD_BYTES * 4) / 3)

export function encodeInvitePayload(invite: InvitePayload): string {
  if (!GROUP_ID_RE.test(invite.groupId)) throw new InvalidInviteError('Not a group id.')
  if (invite.groupKey.length !== AES_KEY_BYTES) throw new InvalidInviteError('A group key is 32 bytes.')
  if (invite.secret.length !== INVITE_SECRET_BYTES)
    throw new InvalidInviteError(`An invite secret is ${INVITE_SECRET_BYTES} bytes.`)
  const bytes = new Uint8Array(PAYLOAD_BYTES)
  bytes[0] = VERSION
  bytes.set(invite.groupKey, 1)
  bytes.set(invite.secret, 1 + AES_KEY_BYTES)
  for (let i = 0; i < GROUP_ID_CHARS; i++)
    bytes[1 + AES_KEY_BYTES + INVITE_SECRET_BYTES + i] = invite.groupId.charCodeAt(i)
  return toBase64Url(bytes)
}

/** Throws InvalidInviteError for anything that is not a payload this version wrote. */
export function decodeInvitePayload(text: string): InvitePayload {
  if (typeof text !== 'string' || text.length !== MAX_PAYLOAD_CHARS)
    throw new InvalidInviteError('This invite link is incomplete or damaged.')
  let bytes: Uint8Array
  try {
    bytes = fromBase64Url(text)
  } catch {
    throw new InvalidInviteError('This invite link is damaged.')
  }
  if (bytes.length !== PAYLOAD_BYTES) throw new InvalidInviteError('This invite link is damaged.')
  if (bytes[0] !== VERSION)
    throw new InvalidInviteError('This invite link was made by another version of Tailmesh.')
  const groupId = String.fromCharCode(...bytes.subarray(1 + AES_KEY_BYTES + INVITE_SECRET_BYTES))
  if (!GROUP_ID_RE.test(groupId)) throw new InvalidInviteError('This invite link is damaged.')
  return {
    groupId,
    groupKey: bytes.slice(1, 1 + AES_KEY_BYTES),
    secret: bytes.slice(1 + AES_KEY_BYTES, 1 + AES_KEY_BYTES + INVITE_SECRET_BYTES),
  }
}

/** `appUrl` is where the app lives (origin + path, any fragment is replaced). */
export function inviteLink(appUrl: string, payload: string): string {
  const base = appUrl.split('#')[0]!
  return `${base}#/join/${payload}`
}

/** The payload of an invite link, or null when the link has none. */
export function payloadOfLink(link: string): string | null {
  const m = /#\/join\/([A-Za-z0-9_-]+)$/.exec(link.trim())
  return m ? m[1]! : null
}
