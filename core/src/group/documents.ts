// Which Yjs documents a group has and which top-level maps each holds.
//
// The group document ("g") holds authority and structure; message history lives in per-panel
// documents bucketed by time ("p/<panelId>/<bucket>"), so opening a panel loads its recent bucket and
// a year of chat never has to be in memory. Every top-level type is a Y.Map whose values are plain
// JSON records (see records.ts): one key per independently-edited thing, so concurrent edits by
// different members never clobber each other and no author's item is the structural origin of
// another author's item except when overwriting that very key.

import { parsePluginDocId } from './plugin-docs'

export const GROUP_DOC_ID = 'g'

/** Top-level maps of the group document. */
export const GroupRoot = {
  /** name, avatar, description (groupBaseInfo); config (groupConfig); owner (owner only); createdAt, dm (genesis only). */
  info: 'info',
  /** roleId -> RoleRecord. The fallback role has id EVERYONE_ROLE. */
  roles: 'roles',
  /** userId -> MemberRecord, written only by that member (join, profile, leave). */
  members: 'members',
  /** `${userId}/${roleId}` -> true. */
  assignments: 'assignments',
  /** `${'mute'|'ban'|'kick'}/${userId}` -> sanction record. */
  sanctions: 'sanctions',
  /** panelId -> PanelRecord. */
  panels: 'panels',
  /** inviteId (the invite's public key) -> InviteRecord. */
  invites: 'invites',
  /** rotationId -> KeyRotationRecord: a new group key wrapped for each member at that time. */
  keys: 'keys',
  /**
   * `${userId}:${deviceId}` -> DeviceRecord (a linked device's certificate, never changed) and
   * `${userId}:${deviceId}:revoked` -> DeviceRevocationRecord (signed by the user's identity key).
   */
  devices: 'devices',
  /**
   * `${panelId}/${messageId}` -> PinRecord: the message is pinned to its panel (pinMessage). Kept here
   * rather than in the week documents so a panel's pins are known without loading every week.
   */
  pins: 'pins',
  /**
   * `${panelId}/${messageId}` -> CardRecord (card-record.ts): who may act on a message's card and
   * whether it is closed, written only by the card's author. Authority, so actions are judged by it.
   */
  cards: 'cards',
} as const
export type GroupRootName = (typeof GroupRoot)[keyof typeof GroupRoot]

/** Top-level maps of a panel history document. */
export const PanelRoot = {
  /** messageId -> MessageRecord. */
  messages: 'messages',
  /** `${messageId}|${emoji}|${userId}` -> 1. */
  reactions: 'reactions',
  /** `${messageId}|${actionId}|${userId}` -> ActionRecord: a member pressed a card's button. */
  actions: 'actions',
  /**
   * messageId (of a message that started a call) -> CallEndRecord: when the call ended, written once
   * by whoever in the call saw it empty (its starter may have closed the page long before).
   */
  callEnds: 'callEnds',
} as const

export const EVERYONE_ROLE = 'everyone'

/** A week per bucket: a busy panel's recent bucket stays small, a quiet panel needs few buckets. */
export const BUCKET_MS = 7 * 24 * 60 * 60 * 1000

export const bucketOfWallMs = (ms: number): number => Math.floor(ms / BUCKET_MS)

export function panelDocId(panelId: string, bucket: number): string {
  return `p/${panelId}/${bucket}`
}

export type DocRef =
  | { kind: 'group' }
  | { kind: 'panel'; panelId: string; bucket: number }
  | { kind: 'plugin'; pluginId: string; scope: string }

export function parseDocId(docId: string): DocRef | null {
  if (docId === GROUP_DOC_ID) return { kind: 'group' }
  // A plugin's state in the group (plugin-docs.ts): `x/<pluginId>/<scope>`.
  if (docId.startsWith('x/')) {
    const plugin = parsePluginDocId(docId)
    return plugin && { kind: 'plugin', ...plugin }
  }
  const m = /^p\/([A-Za-z0-9_-]{1,64})\/(\d{1,10})$/.exec(docId)
  return m ? { kind: 'panel', panelId: m[1]!, bucket: Number(m[2]) } : null
}

export const reactionKey = (messageId: string, emoji: string, userId: string): string =>
  `${messageId}|${emoji}|${userId}`

export function parseReactionKey(key: string): { messageId: string; emoji: string; userId: string } | null {
  const parts = key.split('|')
  if (parts.length !== 3 || parts.some((p) => p.length === 0)) return null
  return { messageId: parts[0]!, emoji: parts[1]!, userId: parts[2]! }
}

export const deviceKey = (userId: string, deviceId: string): string => `${userId}:${deviceId}`
export const deviceRevokedKey = (userId: string, deviceId: string): string => `${userId}:${deviceId}:revoked`
export function parseDeviceKey(key: string): { userId: string; deviceId: string; revoked: boolean } | null {
  const m = /^([A-Za-z0-9_-]{43}):([A-Za-z0-9_-]{43})(:revoked)?$/.exec(key)
  return m ? { userId: m[1]!, deviceId: m[2]!, revoked: m[3] !== undefined } : null
}

export const pinKey = (panelId: string, messageId: string): string => `${panelId}/${messageId}`
export function parsePinKey(key: string): { panelId: string; messageId: string } | null {
  const m = /^([A-Za-z0-9_-]{1,64})\/([0-9a-z]{1,12}-[A-Za-z0-9_-]{4,32})$/.exec(key)
  return m ? { panelId: m[1]!, messageId: m[2]! } : null
}

export const assignmentKey = (userId: string, roleId: string): string => `${userId}/${roleId}`
export const sanctionKey = (kind: 'mute' | 'ban' | 'kick', userId: string): string => `${kind}/${userId}`

/** Message ids start with the message's HLC in base 36, so its bucket is known from the id alone. */
export function messageIdFor(hlc: number, random: string): string {
  return `${hlc.toString(36)}-${random}`
}
export function hlcOfMessageId(id: string): number | null {
  const m = /^([0-9a-z]{1,12})-[A-Za-z0-9_-]{4,32}$/.exec(id)
  return m ? parseInt(m[1]!, 36) : null
}
