// A presence statement: "this member's client is here, typing in panel X (or not), last active at T".
// It is ephemeral — carried to live peers only, never stored, never judged by the gate — but still
// signed by the member's identity key (or a linked device's key, which then carries its certificate;
// identity/session-statement.ts), so a member cannot speak for another and a holder of the group key who is not a member is refused
// (presence.ts checks membership and revocation against the group's authority state).
//
// Wire (lib0): version varUint (1), the session statement head (groupId, author, device flag [device
// cert], session bytes(12), seq, sentAt; session-statement.ts), online varUint (0 | 1),
// typing string ('' = not typing), lastActive varUint (wall ms), [version 2: plugin key string,
// plugin data string], signature bytes(64). The signature covers the domain label and every field
// before it. Version 2 is written only when the statement carries a plugin's presence (a whiteboard
// cursor, say), so clients that know only version 1 still hear everyone else.
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

export const PRESENCE_SESSION_BYTES = SESSION_BYTES
const VERSION = 1
const VERSION_WITH_PLUGIN = 2
const DOMAIN = 'tailmesh/presence/v1'
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

/** The head (group, author, device, session, seq, sentAt: session-statement.ts), then presence. */
export interface PresenceStatement extends SessionStatementHead {
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
export type PresenceSigner = StatementSigner

function writeBody(e: encoding.Encoder, s: PresenceStatement): void {
  writeHead(e, s.plugin ? VERSION_WITH_PLUGIN : VERSION, s)
  encoding.writeVarUint(e, s.online ? 1 : 0)
  encoding.writeVarString(e, s.typing ?? '')
  encoding.writeVarUint(e, s.lastActive)
  if (s.plugin) {
    encoding.writeVarString(e, s.plugin.key)
    encoding.writeVarString(e, s.plugin.data)
  }
}

const signedBytes = (s: PresenceStatement): Uint8Array => signedBytesOf(DOMAIN, (e) => writeBody(e, s))

export function signPresence(
  signer: PresenceSigner,
  statement: Omit<PresenceStatement, 'author' | 'device'>,
): Promise<SignedPresence> {
  return signAs<PresenceStatement>(signer, statement, signedBytes)
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
  const head = readHead(r)
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
    ...head,
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
export function verifyPresence(p: SignedPresence): Promise<boolean> {
  return verifySigned(p, p.signature, signedBytes(p))
}
