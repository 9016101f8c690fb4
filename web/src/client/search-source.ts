// What local search reads: every week of a panel's history that this device holds, not only the
// recent window the message list shows. Core caches each week's list (listMessages returns the same
// array while the week's document is unchanged), so a re-read after one new message costs one week.
import { bucketOfWallMs, listMessages, olderBucketIds, type HistoryMessage } from '@tailmesh/core'
import type { GroupHandle } from './group-handle'

export interface HeldWeek {
  bucket: number
  /** The week's messages (tombstones included); the same array while the week is unchanged. */
  messages: readonly HistoryMessage[]
}

/** Every held week of the panel, oldest first. */
export function heldWeeks(handle: GroupHandle, panelId: string, now = Date.now()): HeldWeek[] {
  const gate = handle.group.gate
  // One week past this one: a peer whose clock runs a little ahead can date a message there.
  const after = bucketOfWallMs(now) + 2
  return olderBucketIds(gate, panelId, after)
    .reverse()
    .map(({ bucket }) => ({
      bucket,
      messages: listMessages(gate, panelId, { before: bucket + 1, buckets: 1 }).messages,
    }))
}

export type { HistoryMessage }
