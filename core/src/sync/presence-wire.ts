// A presence statement: "this member's client is here, typing in panel X (or not), last active at T".
// It is ephemeral — carried to live peers only, never stored, never judged by the gate — but still
// signed by the member's identity key (or a linked device's key, which then carries its certificate),
// so a member cannot speak for another and a holder of the group key who is not a member is refused
// (presence.ts checks membership and revocation against the group's authority state).
//
// Wire (lib0): version varUint (1), groupId string, author string, device flag varUint (0 | 1)
// [device cert], session bytes(12), seq varUint, sentAt varUint (wall ms), online varUint (0 | 1),
// typing string ('' = not typing), lastActive varUint (wall ms), [version 2: plugin key string,
// plugin data string], signature bytes(64). The signature covers the domain label and every field
// before it. Version 2 is written only when the statement carries a plugin's presence (a whiteboard
// cursor, say), so clients that know only version 1 still hear everyone else.
import * as encoding from 'lib0/encoding'
import { ED25519_SIGNATURE_BYTES, verify } from '../crypto/ed25519'
import { readDeviceCert, verifyDeviceCert, writeDeviceCert, type DeviceCert } from '../identity/device-cert'
import { isUserId, publicKeyOf, type UserId } from '../identity/user-id'
import { WireReader } from '../envelope/wire-reader'

export const PRESENCE_SESSION_BYTES = 12
const VERSION = 1
const VERSION_WITH_PLUGIN = 2
const DOMAIN = 'tailmesh/presence/v1'
const MAX_GROUP_ID = 64 * 3
const MAX_USER_ID = 64
const MAX_PANEL_ID = 128 * 3
/** A plugin presence key is `<pluginId>/<scope>`: a plugin id (≤ 60) and a panel id. */
const MAX_PLUGIN_KEY = 200
/** Characters of a plugin's presence data (JSON): a cursor and a name fit many times over. */
export const MAX_PLUGIN_PRESENCE_DATA = 512

/** What a plugin shows others while a member is in one of its panels: ephemeral, like typing. */
export interface PluginPresence {
  /** `<pluginId>/<scope>`: the plugin and the panel (or `group`) the data belongs to. */
  key: string
  /** The plugin's JSON, at most MAX_PLUGIN_PRESENCE_DATA characters. */
  data: string
}

export interface PresenceStatement {
  groupId: string
  author: UserId
  /** Set when a linked device signs: its certificate from the author's identity. */
  device?: DeviceCert
  /** Random per running client: two tabs or devices of one member are two sessions. */
  session: Uint8Array
  /** Increases with every statement of a session: an older or replayed one is ignored. */
  seq: number
  /** Sender's wall-clock ms: statements far from the receiver's clock are ignored. */
  sentAt: number
  /** False: this client is leaving now (a page closing, a group left). */
  online: boolean
  /** The panel this member is typing in, or null. */
  typing: string | null
  /** Sender's wall-clock ms of the member's last input here. */
  lastActive: number
  /** A plugin's presence (version 2), or absent. */
  plugin?: PluginPresence
}

export interface SignedPresence extends PresenceStatement {
  signature: Uint8Array
}

/** Something that signs presence: core's Identity (its own key, or a linked device's with `device`). */
export interface PresenceSigner {
  readonly userId: UserId
  readonly device?: DeviceCert
  sign(data: Uint8Array): Promise<Uint8Array>
}

function writeBody(e: encoding.Encoder, s: PresenceStatement): void {
  encoding.writeVarUint(e, s.plugin ? VERSION_WITH_PLUGIN : VERSION)
  encoding.writeVarString(e, s.groupId)
  encoding.writeVarString(e, s.author)
  encoding.writeVarUint(e, s.device ? 1 : 0)
  if (s.device) writeDeviceCert(e, s.device)
  encoding.writeUint8Array(e, s.session)
  encoding.writeVarUint(e, s.seq)
  encoding.writeVarUint(e, s.sentAt)
  encoding.writeVarUint(e, s.online ? 1 : 0)
  encoding.writeVarString(e, s.typing ?? '')
  encoding.writeVarUint(e, s.lastActive)
  if (s.plugin) {
    encoding.writeVarString(e, s.plugin.key)
    encoding.writeVarString(e, s.plugin.data)
  }
}

function signedBytes(s: PresenceStatement): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarString(e, DOMAIN)
  writeBody(e, s)
  return encoding.toUint8Array(e)
}

export async function signPresence(
  signer: PresenceSigner,
  statement: Omit<PresenceStatement, 'author' | 'device'>,
): Promise<SignedPresence> {
  if (statement.session.length !== PRESENCE_SESSION_BYTES)
    throw new Error(`A presence session is ${PRESENCE_SESSION_BYTES} bytes.`)
  const full: PresenceStatement = {
    ...statement,
    author: signer.userId,
    ...(signer.device ? { device: signer.device } : {}),
  }
  return { ...full, signature: await signer.sign(signedBytes(full)) }
}

export function encodePresence(p: SignedPresence): Uint8Array {
  const e = encoding.createEncoder()
  writeBody(e, p)
  encoding.writeUint8Array(e, p.signature)
  return encoding.toUint8Array(e)
}

/** Strict: anything but exactly one well-formed statement is a MalformedError. */
export function decodePresence(bytes: Uint8Array): SignedPresence {
  const r = new WireReader(bytes, 'presence')
  const version = r.varUint('version')
  if (version !== VERSION && version !== VERSION_WITH_PLUGIN) throw r.fail(`version ${version}`)
  const groupId = r.varString('groupId', MAX_GROUP_ID)
  const author = r.varString('author', MAX_USER_ID)
  if (!isUserId(author)) throw r.fail('author is not a user id')
  const hasDevice = r.varUint('device flag')
  if (hasDevice > 1) throw r.fail('device flag')
  const device = hasDevice === 1 ? readDeviceCert(r, author) : undefined
  const session = r.bytes(PRESENCE_SESSION_BYTES, 'session')
  const seq = r.varUint('seq')
  const sentAt = r.varUint('sentAt')
  const online = r.varUint('online')
  if (online > 1) throw r.fail('online flag')
  const typing = r.varString('typing', MAX_PANEL_ID)
  const lastActive = r.varUint('lastActive')
  let plugin: PluginPresence | undefined
  if (version === VERSION_WITH_PLUGIN) {
    const key = r.varString('plugin key', MAX_PLUGIN_KEY)
    const data = r.varString('plugin data', MAX_PLUGIN_PRESENCE_DATA * 3)
    if (!key || data.length > MAX_PLUGIN_PRESENCE_DATA) throw r.fail('plugin presence')
    plugin = { key, data }
  }
  const signature = r.bytes(ED25519_SIGNATURE_BYTES, 'signature')
  r.end()
  return {
    groupId,
    author,
    ...(device ? { device } : {}),
    session,
    seq,
    sentAt,
    online: online === 1,
    typing: typing === '' ? null : typing,
    lastActive,
    ...(plugin ? { plugin } : {}),
    signature,
  }
}

/**
 * Whether the author (or the linked device its certificate names) signed it. Never throws. Says
 * nothing about membership or revocation: the receiver checks those against the group's state.
 */
export async function verifyPresence(p: SignedPresence): Promise<boolean> {
  try {
    if (p.device !== undefined) {
      if (p.device.user !== p.author || !(await verifyDeviceCert(p.device))) return false
      return await verify(p.device.device, p.signature, signedBytes(p))
    }
    return await verify(publicKeyOf(p.author), p.signature, signedBytes(p))
  } catch {
    // A malformed key, certificate or signature is simply not valid: the answer, not a failure.
    return false
  }
}
