// Invite links. Everything a newcomer needs to find, read and join a group travels in the URL
// fragment (`#/join/<payload>`), which browsers never send to any server: the relay that serves the
// app never learns the group key or the invite secret. In core because every peer that joins by
// link reads it: the web app, and headless peers such as bots.
//
// Payload (base64url, no padding), 71 bytes → 95 characters:
//   version (1) | group key (32) | invite secret (16) | group id (22 ASCII base64url characters)
// The group id is kept as text: it is 22 base64url characters (132 bits), not a whole number of bytes.
//
// Version 2 adds the relays the inviter uses (relays are chosen per device; a joiner adds them to
// its own list, so it can reach the group where its members are), after the same 71 bytes:
//   count (1) | count × ( length (1) | UTF-8 http(s) URL )
// A link without relays is still written as version 1, so every version reads it.
import { AES_KEY_BYTES } from '../crypto/aead'
import { INVITE_SECRET_BYTES } from '../keys/invite-key'
import { fromBase64Url, toBase64Url } from '../bytes'

export interface InvitePayload {
  groupId: string
  /** The group key (raw bytes): decrypts the group's traffic. */
  groupKey: Uint8Array
  /** The invite secret: proves holding the link when joining. */
  secret: Uint8Array
  /** The inviter's relays (http(s) base URLs), if the link names any. */
  relays?: string[]
}

export class InvalidInviteError extends Error {
  override name = 'InvalidInviteError'
}

const VERSION = 1
const VERSION_WITH_RELAYS = 2
const GROUP_ID_CHARS = 22
const GROUP_ID_RE = /^[A-Za-z0-9_-]{22}$/
const PAYLOAD_BYTES = 1 + AES_KEY_BYTES + INVITE_SECRET_BYTES + GROUP_ID_CHARS
const V1_CHARS = Math.ceil((PAYLOAD_BYTES * 4) / 3)
/** Relays a link may name, and the longest URL of one (bytes of UTF-8): links stay short enough to share. */
export const INVITE_RELAY_LIMITS = { maxRelays: 4, maxUrlBytes: 200 } as const
const MAX_V2_BYTES = PAYLOAD_BYTES + 1 + INVITE_RELAY_LIMITS.maxRelays * (1 + INVITE_RELAY_LIMITS.maxUrlBytes)
/** Longest text worth decoding: anything longer is refused before any work. */
const MAX_PAYLOAD_CHARS = Math.ceil((MAX_V2_BYTES * 4) / 3)

/** Whether `url` is a relay a link may name: an absolute http(s) URL without credentials or fragment. */
export function isInviteRelayUrl(url: string): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  return (
    (parsed.protocol === 'http:' || parsed.protocol === 'https:') &&
    !parsed.username &&
    !parsed.password &&
    !parsed.hash &&
    new TextEncoder().encode(url).length <= INVITE_RELAY_LIMITS.maxUrlBytes
  )
}

export function encodeInvitePayload(invite: InvitePayload): string {
  if (!GROUP_ID_RE.test(invite.groupId)) throw new InvalidInviteError('Not a group id.')
  if (invite.groupKey.length !== AES_KEY_BYTES) throw new InvalidInviteError('A group key is 32 bytes.')
  if (invite.secret.length !== INVITE_SECRET_BYTES)
    throw new InvalidInviteError(`An invite secret is ${INVITE_SECRET_BYTES} bytes.`)
  const relays = invite.relays ?? []
  if (relays.length > INVITE_RELAY_LIMITS.maxRelays)
    throw new InvalidInviteError(`An invite link names at most ${INVITE_RELAY_LIMITS.maxRelays} relays.`)
  for (const r of relays) if (!isInviteRelayUrl(r)) throw new InvalidInviteError('Not a relay URL.')
  const urls = relays.map((r) => new TextEncoder().encode(r))
  const tail = urls.length ? 1 + urls.reduce((n, u) => n + 1 + u.length, 0) : 0
  const bytes = new Uint8Array(PAYLOAD_BYTES + tail)
  bytes[0] = urls.length ? VERSION_WITH_RELAYS : VERSION
  bytes.set(invite.groupKey, 1)
  bytes.set(invite.secret, 1 + AES_KEY_BYTES)
  for (let i = 0; i < GROUP_ID_CHARS; i++)
    bytes[1 + AES_KEY_BYTES + INVITE_SECRET_BYTES + i] = invite.groupId.charCodeAt(i)
  if (urls.length) {
    let at = PAYLOAD_BYTES
    bytes[at++] = urls.length
    for (const u of urls) {
      bytes[at++] = u.length
      bytes.set(u, at)
      at += u.length
    }
  }
  return toBase64Url(bytes)
}

/** Throws InvalidInviteError for anything that is not a payload this version wrote. */
export function decodeInvitePayload(text: string): InvitePayload {
  if (typeof text !== 'string' || text.length < V1_CHARS || text.length > MAX_PAYLOAD_CHARS)
    throw new InvalidInviteError('This invite link is incomplete or damaged.')
  let bytes: Uint8Array
  try {
    bytes = fromBase64Url(text)
  } catch {
    throw new InvalidInviteError('This invite link is damaged.')
  }
  if (bytes[0] !== VERSION && bytes[0] !== VERSION_WITH_RELAYS)
    throw new InvalidInviteError('This invite link was made by another version of Tailmesh.')
  if (bytes[0] === VERSION ? bytes.length !== PAYLOAD_BYTES : bytes.length <= PAYLOAD_BYTES)
    throw new InvalidInviteError('This invite link is damaged.')
  const groupId = String.fromCharCode(
    ...bytes.subarray(1 + AES_KEY_BYTES + INVITE_SECRET_BYTES, PAYLOAD_BYTES),
  )
  if (!GROUP_ID_RE.test(groupId)) throw new InvalidInviteError('This invite link is damaged.')
  const invite: InvitePayload = {
    groupId,
    groupKey: bytes.slice(1, 1 + AES_KEY_BYTES),
    secret: bytes.slice(1 + AES_KEY_BYTES, 1 + AES_KEY_BYTES + INVITE_SECRET_BYTES),
  }
  if (bytes[0] === VERSION_WITH_RELAYS) invite.relays = decodeRelays(bytes.subarray(PAYLOAD_BYTES))
  return invite
}

function decodeRelays(tail: Uint8Array): string[] {
  const damaged = () => new InvalidInviteError('This invite link is damaged.')
  const count = tail[0]!
  if (count < 1 || count > INVITE_RELAY_LIMITS.maxRelays) throw damaged()
  const relays: string[] = []
  let at = 1
  for (let i = 0; i < count; i++) {
    const length = tail[at++]
    if (length === undefined || length < 1 || at + length > tail.length) throw damaged()
    let url: string
    try {
      url = new TextDecoder('utf-8', { fatal: true }).decode(tail.subarray(at, at + length))
    } catch {
      throw damaged()
    }
    if (!isInviteRelayUrl(url)) throw damaged()
    relays.push(url)
    at += length
  }
  if (at !== tail.length) throw damaged()
  return relays
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
