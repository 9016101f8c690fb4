// Derived views over a member's groups: the inbox (messages that mention me, replies to my
// messages) and unread counts per panel. Both read the history views (history.ts) and the member's
// private read state (read-state.ts); nothing here writes to a group.

import { hlcWallMs } from '../envelope/hlc'
import type { Gate } from '../gate/gate'
import type { UserId } from '../identity/user-id'
import { bucketOfWallMs } from './documents'
import { listMessages, olderBucketIds, type PanelHistory, type HistoryMessage } from './history'
import { resolvePermissions } from './permissions'
import { isAtOrBefore, type ReadState } from './read-state'

export type InboxKind = 'mention' | 'reply'

export interface InboxItem {
  groupId: string
  panelId: string
  messageId: string
  /** A message that both mentions me and replies to me is one item, a 'mention'. */
  kind: InboxKind
  author: UserId
  hlc: number
  wallMs: number
  /** The start of the message, whitespace collapsed. */
  excerpt: string
  read: boolean
}

export interface InboxOptions {
  /** How many recent buckets of each panel to look through (default 2: this week and the last). */
  buckets?: number
  now?: number
  /** Excerpt length in characters (default 140). */
  excerptChars?: number
}

export interface UnreadOptions {
  /**
   * How far back to count, in buckets (default 4). Counting starts at the bucket of the last read
   * message, but never further back than this: a panel never read in a year does not load a year.
   * Beyond it the count is a lower bound.
   */
  maxBuckets?: number
  now?: number
}

/** Panels with message history that `me` may see now. */
function readablePanels(gate: Gate, me: UserId, now: number): string[] {
  const state = gate.authority()
  const out: string[] = []
  for (const [panelId, panel] of state.panels) {
    if (panel.type === 'category' || panel.type === 'web' || panel.type === 'voice') continue
    if (resolvePermissions(state, me, panelId, now).has('viewPanel')) out.push(panelId)
  }
  return out
}

function excerptOf(body: string, max: number): string {
  const flat = body.replace(/\s+/g, ' ').trim()
  const chars = [...flat]
  return chars.length <= max ? flat : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`
}

function kindFor(m: HistoryMessage, me: UserId): InboxKind | null {
  if (m.state !== 'normal' || m.author === me) return null
  if (m.mentions?.users?.includes(me)) return 'mention'
  if (m.replyTo?.author === me) return 'reply'
  return null
}

interface Candidate {
  message: HistoryMessage
  kind: InboxKind
}
/** Per history result (which stays the same object until its documents change): me -> candidates. */
const candidateCache = new WeakMap<PanelHistory, Map<UserId, Candidate[]>>()

function candidates(history: PanelHistory, me: UserId): Candidate[] {
  let byUser = candidateCache.get(history)
  if (!byUser) candidateCache.set(history, (byUser = new Map()))
  let out = byUser.get(me)
  if (!out) {
    out = []
    for (const message of history.messages) {
      const kind = kindFor(message, me)
      if (kind) out.push({ message, kind })
    }
    byUser.set(me, out)
  }
  return out
}

/**
 * `me`'s inbox across groups (one gate per group): mentions of me and replies to my messages, not my
 * own and not recalled or deleted ones. Unread first, then newest first.
 */
export function inbox(
  gates: Iterable<Gate>,
  readState: ReadState,
  me: UserId,
  options: InboxOptions = {},
): InboxItem[] {
  const now = options.now ?? Date.now()
  const buckets = options.buckets ?? 2
  const excerptChars = options.excerptChars ?? 140
  const items: InboxItem[] = []
  for (const gate of gates) {
    const groupId = gate.groupId
    for (const panelId of readablePanels(gate, me, now)) {
      const history = listMessages(gate, panelId, { buckets, now })
      for (const m of candidates(history, me)) {
        items.push({
          groupId,
          panelId,
          messageId: m.message.id,
          kind: m.kind,
          author: m.message.author,
          hlc: m.message.hlc,
          wallMs: m.message.wallMs,
          excerpt: excerptOf(m.message.body, excerptChars),
          read: readState.isRead(groupId, panelId, m.message),
        })
      }
    }
  }
  return items.sort(
    (a, b) =>
      Number(a.read) - Number(b.read) ||
      b.hlc - a.hlc ||
      (a.messageId < b.messageId ? 1 : a.messageId > b.messageId ? -1 : 0),
  )
}

/** How many items of an inbox are unread (for a badge). */
export const unreadInboxCount = (items: readonly InboxItem[]): number => items.filter((i) => !i.read).length

function unreadMessages(gate: Gate, panelId: string, readState: ReadState, options: UnreadOptions) {
  const now = options.now ?? Date.now()
  const newest = bucketOfWallMs(now)
  const maxBuckets = Math.max(1, Math.floor(options.maxBuckets ?? 4))
  const last = readState.lastRead(gate.groupId, panelId)
  const from = Math.max(
    last === undefined ? -Infinity : bucketOfWallMs(hlcWallMs(last)),
    newest - maxBuckets + 1,
  )
  // A mark in the future (a clock ahead) still reads only the newest bucket.
  const buckets = Math.max(1, newest - Math.min(from, newest) + 1)
  return listMessages(gate, panelId, { buckets, now }).messages
}

const countsAsUnread = (
  m: HistoryMessage,
  groupId: string,
  panelId: string,
  readState: ReadState,
  me: UserId,
): boolean => m.state === 'normal' && m.author !== me && !readState.isRead(groupId, panelId, m)

/** Messages in a panel after `me`'s read mark, not by `me`, not recalled or deleted. */
export function unreadCount(
  gate: Gate,
  panelId: string,
  readState: ReadState,
  me: UserId,
  options: UnreadOptions = {},
): number {
  let n = 0
  for (const m of unreadMessages(gate, panelId, readState, options))
    if (countsAsUnread(m, gate.groupId, panelId, readState, me)) n++
  return n
}

/** Whether a panel has anything unread (the red dot): stops at the first unread message from the end. */
export function hasUnread(
  gate: Gate,
  panelId: string,
  readState: ReadState,
  me: UserId,
  options: UnreadOptions = {},
): boolean {
  const messages = unreadMessages(gate, panelId, readState, options)
  const mark = readState.readMark(gate.groupId, panelId)
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!
    if (countsAsUnread(m, gate.groupId, panelId, readState, me)) return true
    if (isAtOrBefore(m, mark)) break
  }
  return false
}

/** Unread counts of every panel `me` may read in one group (panels with none are left out). */
export function unreadCounts(
  gate: Gate,
  readState: ReadState,
  me: UserId,
  options: UnreadOptions = {},
): Map<string, number> {
  const out = new Map<string, number>()
  for (const panelId of readablePanels(gate, me, options.now ?? Date.now())) {
    const n = unreadCount(gate, panelId, readState, me, options)
    if (n > 0) out.set(panelId, n)
  }
  return out
}

/**
 * Marks a panel read up to its latest message (what opening a panel does): the newest bucket, or
 * else the newest older bucket this peer holds. Returns whether the mark moved.
 */
export function markPanelRead(
  gate: Gate,
  panelId: string,
  readState: ReadState,
  options: { now?: number } = {},
): boolean {
  const recent = listMessages(gate, panelId, { buckets: 1, now: options.now })
  let latest = recent.messages[recent.messages.length - 1]
  if (!latest) {
    const [older] = olderBucketIds(gate, panelId, recent.oldestBucket, 1)
    if (older) {
      const { messages } = listMessages(gate, panelId, { before: older.bucket + 1 })
      latest = messages[messages.length - 1]
    }
  }
  return latest ? readState.markRead(gate.groupId, panelId, latest.id) : false
}
