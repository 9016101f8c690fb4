// Reading a panel's history: the messages of its most recent time buckets, in (hlc, id) order, with
// reactions counted and tombstones kept as "recalled" / "deleted" markers.
//
// A panel opens on its recent bucket: only the history documents of the requested window are read,
// and a bucket this peer does not hold is never created by looking at it. Views call this on every
// render, so each bucket is parsed once per change of its document and a call with nothing changed
// returns the very same result object (cheap for reactive UIs to compare).

import type * as Y from 'yjs'
import { hlcWallMs } from '../envelope/hlc'
import type { Gate } from '../gate/gate'
import type { UserId } from '../identity/user-id'
import { PanelRoot, bucketOfWallMs, hlcOfMessageId, panelDocId, parseReactionKey } from './documents'
import { validateCallEnd, validateMessage, type MessageRecord } from './records'

export interface ReactionSummary {
  emoji: string
  /** Who reacted, sorted. */
  userIds: readonly UserId[]
  count: number
}

export type MessageState = 'normal' | 'recalled' | 'deleted'

export interface HistoryMessage {
  id: string
  panelId: string
  bucket: number
  author: UserId
  hlc: number
  /** Wall-clock ms of `hlc`, for display. */
  wallMs: number
  /** Empty for a recalled or deleted message. */
  body: string
  mentions?: Readonly<NonNullable<MessageRecord['mentions']>>
  replyTo?: Readonly<NonNullable<MessageRecord['replyTo']>>
  /** A plugin's card (absent on tombstones). */
  card?: Readonly<NonNullable<MessageRecord['card']>>
  /** Files the message carries (absent on tombstones). */
  attachments?: readonly Readonly<NonNullable<MessageRecord['attachments']>[number]>[]
  editedAt?: number
  /** Forwarded from elsewhere (MessageRecord.forwarded; absent on tombstones). */
  forwarded?: Readonly<NonNullable<MessageRecord['forwarded']>>
  /**
   * A call started here (MessageRecord.call; absent on tombstones), with when it ended once someone
   * in it recorded that (PanelRoot.callEnds).
   */
  call?: Readonly<{ id: string; endedAt?: number }>
  state: MessageState
  recalled?: Readonly<{ by: UserId; at: number }>
  deleted?: Readonly<{ by: UserId; at: number }>
  /** Sorted by emoji; empty for tombstones (a recalled message keeps no reactions on show). */
  reactions: readonly ReactionSummary[]
}

export interface HistoryOptions {
  /** How many buckets to read, ending at the newest one (default 1). */
  buckets?: number
  /** Wall-clock ms that decides which bucket is the newest (default Date.now()). */
  now?: number
  /**
   * Read the `buckets` buckets just before this bucket instead of the newest ones (to page back:
   * pass the previous result's `oldestBucket`).
   */
  before?: number
}

export interface PanelHistory {
  panelId: string
  /** Sorted by (hlc, id). */
  messages: readonly HistoryMessage[]
  /** The buckets of the window, oldest first (whether or not this peer holds a document for each). */
  loadedBuckets: readonly number[]
  oldestBucket: number
  newestBucket: number
  /** Whether this peer holds history older than the window. */
  hasOlder: boolean
}

/** Newest first: the older buckets of a panel this peer holds. */
export interface OlderBucket {
  bucket: number
  docId: string
}

// ---------------------------------------------------------------------------------------------
// per-document change counters and parsed buckets

const versions = new WeakMap<Y.Doc, { n: number }>()

/** A counter that moves on every change of `doc` (listening starts the first time it is asked). */
function versionOf(doc: Y.Doc): number {
  let v = versions.get(doc)
  if (!v) {
    const counter = { n: 0 }
    versions.set(doc, (v = counter))
    doc.on('update', () => {
      counter.n++
    })
  }
  return v.n
}

interface ParsedBucket {
  version: number
  messages: HistoryMessage[]
}
const parsed = new WeakMap<Y.Doc, ParsedBucket>()

function readBucket(doc: Y.Doc, panelId: string, bucket: number): HistoryMessage[] {
  const version = versionOf(doc)
  const cached = parsed.get(doc)
  if (cached && cached.version === version) return cached.messages

  const reactions = new Map<string, Map<string, UserId[]>>()
  const reactionMap = doc.share.has(PanelRoot.reactions) ? doc.getMap(PanelRoot.reactions) : null
  reactionMap?.forEach((value, key) => {
    const k = parseReactionKey(key)
    if (!k || value !== 1) return
    let byEmoji = reactions.get(k.messageId)
    if (!byEmoji) reactions.set(k.messageId, (byEmoji = new Map()))
    let users = byEmoji.get(k.emoji)
    if (!users) byEmoji.set(k.emoji, (users = []))
    users.push(k.userId)
  })

  const callEnds = doc.share.has(PanelRoot.callEnds) ? doc.getMap(PanelRoot.callEnds) : null
  const endOf = (id: string): number | undefined => {
    try {
      const v = callEnds?.get(id)
      return v === undefined ? undefined : validateCallEnd(v).endedAt
    } catch {
      return undefined // only a locally forged record can be invalid, as for messages
    }
  }

  const messages: HistoryMessage[] = []
  const messageMap = doc.share.has(PanelRoot.messages) ? doc.getMap(PanelRoot.messages) : null
  messageMap?.forEach((value, id) => {
    const hlc = hlcOfMessageId(id)
    if (hlc === null) return
    let m: MessageRecord
    try {
      m = validateMessage(value)
    } catch {
      return // only a locally forged record can be invalid: the gate refuses invalid remote ones
    }
    const wallMs = hlcWallMs(hlc)
    if (m.hlc !== hlc || bucketOfWallMs(wallMs) !== bucket) return
    const state: MessageState = m.recalled ? 'recalled' : m.deleted ? 'deleted' : 'normal'
    const out: HistoryMessage = {
      id,
      panelId,
      bucket,
      author: m.author,
      hlc,
      wallMs,
      body: state === 'normal' ? m.body : '',
      state,
      reactions: state === 'normal' ? summarise(reactions.get(id)) : NO_REACTIONS,
    }
    if (m.mentions) out.mentions = m.mentions
    if (m.replyTo) out.replyTo = m.replyTo
    if (m.card && state === 'normal') out.card = m.card
    if (m.attachments && state === 'normal') out.attachments = m.attachments
    if (m.forwarded && state === 'normal') out.forwarded = m.forwarded
    if (m.call && state === 'normal') {
      const endedAt = endOf(id)
      out.call = endedAt === undefined ? m.call : { ...m.call, endedAt }
    }
    if (m.editedAt !== undefined) out.editedAt = m.editedAt
    if (m.recalled) out.recalled = m.recalled
    if (m.deleted) out.deleted = m.deleted
    messages.push(out)
  })
  messages.sort(comparePosition)
  parsed.set(doc, { version, messages })
  return messages
}

/**
 * What most messages have: shared, so a bucket of thousands of messages without reactions holds no
 * array per message (a 100k-message panel's heap is marked whole by every major GC).
 */
const NO_REACTIONS: readonly ReactionSummary[] = Object.freeze([])

function summarise(byEmoji: Map<string, UserId[]> | undefined): readonly ReactionSummary[] {
  if (!byEmoji) return NO_REACTIONS
  return [...byEmoji]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([emoji, users]) => {
      const userIds = [...new Set(users)].sort()
      return { emoji, userIds, count: userIds.length }
    })
}

export function comparePosition(a: { hlc: number; id: string }, b: { hlc: number; id: string }): number {
  return a.hlc !== b.hlc ? a.hlc - b.hlc : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

// ---------------------------------------------------------------------------------------------
// windows of buckets

interface CachedHistory {
  docs: (Y.Doc | undefined)[]
  versions: number[]
  result: PanelHistory
}
const histories = new WeakMap<Gate, Map<string, CachedHistory>>()

/** The first bucket a panel of this group can have (the group's creation), or null if unknown. */
function firstBucket(gate: Gate): number | null {
  const info = gate.authority().info
  return info ? bucketOfWallMs(hlcWallMs(info.createdAt)) : null
}

/** The document of a bucket, only if this peer already holds it (looking never creates one). */
function heldDoc(gate: Gate, panelId: string, bucket: number): Y.Doc | undefined {
  const id = panelDocId(panelId, bucket)
  return gate.hasDoc(id) ? gate.doc(id) : undefined
}

/**
 * The older buckets of a panel that this peer holds, newest first, strictly before `beforeBucket`,
 * at most `limit` of them. Bounded by the group's creation, so it never scans further back than the
 * group has existed.
 */
export function olderBucketIds(
  gate: Gate,
  panelId: string,
  beforeBucket: number,
  limit = Number.POSITIVE_INFINITY,
): OlderBucket[] {
  const first = firstBucket(gate)
  const out: OlderBucket[] = []
  if (first === null) return out
  for (let b = beforeBucket - 1; b >= first && out.length < limit; b--) {
    const docId = panelDocId(panelId, b)
    if (gate.hasDoc(docId)) out.push({ bucket: b, docId })
  }
  return out
}

/** The messages of a panel's most recent buckets (or of the buckets before `options.before`). */
export function listMessages(gate: Gate, panelId: string, options: HistoryOptions = {}): PanelHistory {
  const count = Math.max(1, Math.floor(options.buckets ?? 1))
  const newest = options.before !== undefined ? options.before - 1 : bucketOfWallMs(options.now ?? Date.now())
  const oldest = newest - count + 1
  const docs: (Y.Doc | undefined)[] = []
  const docVersions: number[] = []
  for (let b = oldest; b <= newest; b++) {
    const doc = heldDoc(gate, panelId, b)
    docs.push(doc)
    docVersions.push(doc ? versionOf(doc) : -1)
  }
  const hasOlder = olderBucketIds(gate, panelId, oldest, 1).length > 0

  let byWindow = histories.get(gate)
  if (!byWindow) histories.set(gate, (byWindow = new Map()))
  const key = `${panelId}\n${oldest}\n${newest}`
  const cached = byWindow.get(key)
  if (
    cached &&
    cached.result.hasOlder === hasOlder &&
    cached.docs.every((d, i) => d === docs[i] && cached.versions[i] === docVersions[i])
  )
    return cached.result

  const messages: HistoryMessage[] = []
  docs.forEach((doc, i) => {
    if (doc) for (const m of readBucket(doc, panelId, oldest + i)) messages.push(m)
  })
  const loadedBuckets = docs.map((_, i) => oldest + i)
  const result: PanelHistory = {
    panelId,
    messages,
    loadedBuckets,
    oldestBucket: oldest,
    newestBucket: newest,
    hasOlder,
  }
  // Windows move with time; keep a handful per gate so the cache cannot grow without bound.
  if (byWindow.size > 64) byWindow.delete(byWindow.keys().next().value as string)
  byWindow.set(key, { docs, versions: docVersions, result })
  return result
}
