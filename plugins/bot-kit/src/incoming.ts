// Which messages an accepted envelope created. A message is one key of its panel document's
// `messages` map, and only its first write is an item without an origin: Yjs then encodes the parent
// (the root map's name) and the key (`parentSub`) with the item. Edits and tombstones overwrite the
// key, so their items have an origin and carry no parent: they are not new messages.
import * as Y from 'yjs'
import {
  PanelRoot,
  parseDocId,
  type Envelope,
  type Gate,
  type MessageRecord,
  type UserId,
} from '@tailmesh/core'

export interface BotMessage {
  groupId: string
  panelId: string
  /** The message id (reply to it with `send(..., { replyTo: id })`). */
  id: string
  author: UserId
  /** The author's nickname from their signed profile in the group, when they published one. */
  authorName: string | undefined
  /** Markdown, as the author wrote it. */
  body: string
  hlc: number
  mentions?: MessageRecord['mentions']
  replyTo?: MessageRecord['replyTo']
}

/** A member pressed a button of one of the bot's cards (`Bot.onCardAction`). */
export interface BotCardAction {
  groupId: string
  panelId: string
  /** The card's message id. */
  cardId: string
  /** The button's id. */
  actionId: string
  /** The card's inputs' values when it was pressed (control id -> value). */
  values: Record<string, string>
  /** Who pressed it (checked by every gate against the card's `who`). */
  author: UserId
  authorName: string | undefined
  /** HLC of the press. */
  at: number
}

/** Ids of the messages whose first write is in this update. */
export function createdMessageIds(update: Uint8Array): string[] {
  const ids: string[] = []
  for (const struct of Y.decodeUpdate(update).structs) {
    if (!(struct instanceof Y.Item)) continue
    // Yjs types `parent` for integrated items; a decoded item names its root type by string.
    const parent: unknown = struct.parent
    if (parent === PanelRoot.messages && typeof struct.parentSub === 'string') ids.push(struct.parentSub)
  }
  return ids
}

/** The messages an accepted envelope created, read back from the gate's document (as accepted). */
export function messagesCreatedBy(gate: Gate, envelope: Envelope): BotMessage[] {
  const ref = parseDocId(envelope.docId)
  if (ref?.kind !== 'panel') return []
  const messages = gate.doc(envelope.docId).getMap<MessageRecord>(PanelRoot.messages)
  const out: BotMessage[] = []
  for (const id of createdMessageIds(envelope.payload)) {
    const m = messages.get(id)
    // The gate admits a message only in its author's name; a tombstone is not something to answer.
    if (!m || m.author !== envelope.author || m.recalled || m.deleted) continue
    out.push({
      groupId: envelope.groupId,
      panelId: ref.panelId,
      id,
      author: m.author,
      authorName: nicknameOf(gate, m.author),
      body: m.body,
      hlc: m.hlc,
      ...(m.mentions ? { mentions: m.mentions } : {}),
      ...(m.replyTo ? { replyTo: m.replyTo } : {}),
    })
  }
  return out
}

export function nicknameOf(gate: Gate, userId: UserId): string | undefined {
  const profile = gate.authority().members.get(userId)?.profile as
    { profile?: { nickname?: unknown } } | undefined
  const nickname = profile?.profile?.nickname
  return typeof nickname === 'string' ? nickname : undefined
}
