// A window of a panel's history as the message list shows it: the recent weeks, or from a week paged
// back to, each message marked 'pending' while it has not left this device. Read week by week: a week
// whose messages and pending set did not change keeps its array, so paging back one week maps that week
// only (not everything loaded), and the same view comes back while nothing in it changed.
import {
  bucketOfWallMs,
  hlcOfMessageId,
  hlcWallMs,
  listMessages,
  olderBucketIds,
  type Gate,
  type HistoryMessage,
} from '@tailmesh/core'

/**
 * A message as the message list shows it: core's history entry, marked 'pending' while it has not
 * left this device (no status: delivered, or someone else's). Delivered messages are core's very
 * objects, not copies: a panel paged back through 100k messages holds one object per message, not
 * two (every major GC marks them all).
 */
export interface ChatMessage extends HistoryMessage {
  status?: 'pending'
}

export type DeliveryStatus = 'pending' | 'delivered'

/** One week (core's bucket) of a panel's history, in order. */
export interface HistoryWeek {
  bucket: number
  messages: readonly ChatMessage[]
}

/** A window of a panel's history as the message list shows it. */
export interface HistoryView {
  messages: ChatMessage[]
  /** The same messages by week, oldest first (weeks with none left out). */
  weeks: HistoryWeek[]
  oldestBucket: number
  /** The next older bucket this device holds (to page back to), or null at the start. */
  olderBucket: number | null
}

/** The weekly history bucket a message is filed in (from the time in its id), or null for a non-id. */
export function bucketOfMessage(messageId: string): number | null {
  const hlc = hlcOfMessageId(messageId)
  return hlc === null ? null : bucketOfWallMs(hlcWallMs(hlc))
}

/** How many weekly buckets a panel shows (this week and the last). */
const HISTORY_BUCKETS = 2

interface ShownWeek {
  /** Core's messages of the week, as read. */
  from: readonly HistoryMessage[]
  /** Its pending ids, sorted and joined. */
  pending: string
  week: HistoryWeek
}

export class HistoryWindows {
  /** Last view per panel: nothing changed → the same view. */
  private readonly shown = new Map<string, HistoryView>()
  private readonly shownWeeks = new Map<string, Map<number, ShownWeek>>()

  constructor(private readonly gate: Gate) {}

  /**
   * The panel's history from bucket `fromBucket` (paging back) or the recent weeks up to this one,
   * with `pending` (ids of my messages not delivered) marked.
   */
  read(panelId: string, pending: ReadonlySet<string>, fromBucket?: number): HistoryView {
    const gate = this.gate
    const recent = listMessages(gate, panelId, { buckets: HISTORY_BUCKETS })
    const newest = recent.newestBucket
    const oldest = fromBucket === undefined ? recent.oldestBucket : Math.min(fromBucket, newest)
    // The weeks of the window this device holds (newest first from core), read one by one.
    const held = olderBucketIds(gate, panelId, newest + 1, newest - oldest + 1)
      .map((b) => b.bucket)
      .filter((b) => b >= oldest)
      .reverse()
    const pendingOf = new Map<number, string[]>()
    for (const id of pending) {
      const b = bucketOfMessage(id)
      if (b !== null) pendingOf.set(b, [...(pendingOf.get(b) ?? []), id])
    }
    const cache = this.shownWeeks.get(panelId) ?? new Map<number, ShownWeek>()
    const next = new Map<number, ShownWeek>()
    const weeks: HistoryWeek[] = []
    for (const bucket of held) {
      const from = listMessages(gate, panelId, { before: bucket + 1, buckets: 1 }).messages
      if (!from.length) continue
      const pendingHere = (pendingOf.get(bucket) ?? []).sort().join(',')
      let entry = cache.get(bucket)
      if (!entry || entry.from !== from || entry.pending !== pendingHere) {
        // A week with nothing pending is core's array itself; otherwise only the pending are copies.
        const messages: readonly ChatMessage[] = pendingHere
          ? from.map((m) => (pending.has(m.id) ? { ...m, status: 'pending' as const } : m))
          : from
        entry = { from, pending: pendingHere, week: { bucket, messages } }
      }
      next.set(bucket, entry)
      weeks.push(entry.week)
    }
    this.shownWeeks.set(panelId, next)
    const olderBucket = olderBucketIds(gate, panelId, oldest, 1)[0]?.bucket ?? null
    const last = this.shown.get(panelId)
    if (
      last &&
      last.oldestBucket === oldest &&
      last.olderBucket === olderBucket &&
      last.weeks.length === weeks.length &&
      last.weeks.every((w, i) => w === weeks[i])
    )
      return last
    const view: HistoryView = {
      messages: ([] as ChatMessage[]).concat(...weeks.map((w) => w.messages)),
      weeks,
      oldestBucket: oldest,
      olderBucket,
    }
    this.shown.set(panelId, view)
    return view
  }
}
