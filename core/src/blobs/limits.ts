// The sizes every peer agrees on for files. A blob crosses the relay's mailbox (several frames, each
// under the relay's 256 KiB frame limit) only up to `mailboxBytes`; larger files go peer-to-peer only,
// and nothing above `maxBytes` is sent at all.

export const BLOB_LIMITS = {
  /** Bytes of a file per transfer frame: one sealed frame stays well under the relay's 256 KiB. */
  chunkBytes: 128 * 1024,
  /** Largest file appended to the mailbox for members who are offline. */
  mailboxBytes: 2 * 1024 * 1024,
  /** Largest file at all. */
  maxBytes: 25 * 1024 * 1024,
  /** Files one message carries. */
  perMessage: 10,
  /** Characters of a file name. */
  name: 255,
  /** Characters of a MIME type. */
  mime: 127,
  /** Characters of an inline thumbnail (a data: URL); larger thumbnails travel as blobs. */
  thumbDataUrl: 24 * 1024,
  /** Characters of all inline thumbnails of one message (keeps its envelope well under 256 KiB). */
  thumbsPerMessage: 96 * 1024,
  /** Largest image side in pixels that a record may claim. */
  pixels: 100_000,
} as const

/** How many chunks a blob of `size` bytes travels in. */
export function chunkCount(size: number): number {
  return Math.max(1, Math.ceil(size / BLOB_LIMITS.chunkBytes))
}
