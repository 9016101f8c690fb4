// Encoding and decoding of /mailbox frames (layouts in relay/PROTOCOL.md). Shared by the relay and by
// the browser's mailbox transport, so it uses lib0 and nothing Node- or DOM-specific. Decoding is
// strict — exact field lengths, no trailing bytes — because its input comes from the network.
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { MalformedError } from '../errors'
import {
  MAILBOX_MAX_SNAPSHOT_CHUNKS,
  MAILBOX_PUBLIC_KEY_BYTES,
  MAILBOX_SIGNATURE_BYTES,
  MAILBOX_TOPIC_BYTES,
  MAILBOX_UPLOAD_ID_BYTES,
  MailboxClientOp,
  MailboxRelayOp,
} from './codes'

export interface MailboxAppendFrame {
  op: typeof MailboxClientOp.append
  /** Chosen by the client, echoed in the ack or error that answers this frame. */
  id: number
  topic: Uint8Array
  /** The topic's public key: needed on the first append (it registers the topic), optional after. */
  publicKey: Uint8Array | null
  /** An opaque sealed envelope. */
  entry: Uint8Array
  signature: Uint8Array
}
export interface MailboxReadFrame {
  op: typeof MailboxClientOp.read
  id: number
  topic: Uint8Array
  /** Return entries whose cursor is greater than this (0: from the start). */
  after: number
  limit: number
}
export interface MailboxSubscribeFrame {
  op: typeof MailboxClientOp.subscribe | typeof MailboxClientOp.unsubscribe
  id: number
  topic: Uint8Array
}
export interface MailboxSnapshotFrame {
  op: typeof MailboxClientOp.snapshot
  id: number
  topic: Uint8Array
  /** The snapshot covers every entry up to and including this cursor. */
  upTo: number
  snapshot: Uint8Array
  signature: Uint8Array
}
/**
 * One chunk of a snapshot uploaded in several (each its own frame). The relay keeps the chunks of an
 * upload aside, unseen by readers, until the last one is in; then, in one atomic write, they become
 * the topic's snapshot and the entries up to `upTo` go.
 */
export interface MailboxSnapshotChunkFrame {
  op: typeof MailboxClientOp.snapshotChunk
  id: number
  topic: Uint8Array
  /** The whole snapshot covers every entry up to and including this cursor. */
  upTo: number
  /** Random, chosen by the uploader (MAILBOX_UPLOAD_ID_BYTES): names this upload among others. */
  upload: Uint8Array
  /** 0 ≤ index < count. */
  index: number
  count: number
  chunk: Uint8Array
  signature: Uint8Array
}
/** What the topic key signs of a chunk (signing.ts), and what a store is handed with the signature. */
export type SnapshotChunk = Omit<MailboxSnapshotChunkFrame, 'op' | 'id' | 'signature'>
/** Asks for chunks of the topic's chunked snapshot covering up to `upTo`, from chunk `from` on. */
export interface MailboxReadSnapshotFrame {
  op: typeof MailboxClientOp.readSnapshot
  id: number
  topic: Uint8Array
  upTo: number
  from: number
}
export type MailboxClientFrame =
  | MailboxAppendFrame
  | MailboxReadFrame
  | MailboxSubscribeFrame
  | MailboxSnapshotFrame
  | MailboxSnapshotChunkFrame
  | MailboxReadSnapshotFrame

export interface MailboxAckFrame {
  op: typeof MailboxRelayOp.ack
  id: number
  /** append: the entry's cursor; subscribe: the topic's head; snapshot: its upTo; else 0. */
  cursor: number
  /** MailboxAckFlag bits. */
  flags: number
}
export interface MailboxEntry {
  cursor: number
  entry: Uint8Array
}
export interface MailboxEntriesFrame {
  op: typeof MailboxRelayOp.entries
  id: number
  topic: Uint8Array
  /** The topic's newest cursor when the read ran (0: empty). */
  head: number
  /** Present when the reader asked for entries the latest snapshot covers (uploaded in one frame). */
  snapshot: { cursor: number; bytes: Uint8Array } | null
  /**
   * Instead of `snapshot`, when that snapshot was uploaded in chunks: it covers up to `cursor` and has
   * `count` chunks, read with readSnapshot before continuing after `cursor`. No entries come with it.
   */
  chunked: { cursor: number; count: number } | null
  entries: MailboxEntry[]
  /** Pass as `after` to continue reading. */
  next: number
  /** Whether entries after `next` already exist. */
  more: boolean
}
export interface MailboxPushFrame {
  op: typeof MailboxRelayOp.push
  topic: Uint8Array
  cursor: number
  entry: Uint8Array
}
export interface MailboxErrorFrame {
  op: typeof MailboxRelayOp.error
  /** The id of the request it answers, or 0 when the frame could not be read far enough. */
  id: number
  code: number
  reason: string
}
/** Chunks `from`, `from + 1`, … of the chunked snapshot covering up to `cursor` (at least one). */
export interface MailboxChunksFrame {
  op: typeof MailboxRelayOp.chunks
  id: number
  topic: Uint8Array
  cursor: number
  /** How many chunks the snapshot has in all. */
  count: number
  from: number
  chunks: Uint8Array[]
}
export type MailboxRelayFrame =
  MailboxAckFrame | MailboxEntriesFrame | MailboxPushFrame | MailboxErrorFrame | MailboxChunksFrame

/** A frame that does not decode. `id` is the request id when the frame got that far, else 0. */
export class MailboxFrameError extends MalformedError {
  constructor(
    message: string,
    readonly id: number,
  ) {
    super(message)
  }
}

function readBytes(d: decoding.Decoder, field: string, exact?: number): Uint8Array {
  const bytes = decoding.readVarUint8Array(d)
  if (exact !== undefined && bytes.length !== exact)
    throw new MalformedError(`${field} must be ${exact} bytes, got ${bytes.length}`)
  return bytes
}

/** A count of items each at least two bytes long: one larger than the frame allows is a lie. */
function readCount(d: decoding.Decoder, frameBytes: number, field: string): number {
  const count = decoding.readVarUint(d)
  if (count * 2 > frameBytes) throw new MalformedError(`${field} exceeds the frame`)
  return count
}

function readFlag(d: decoding.Decoder, field: string): boolean {
  const v = decoding.readVarUint(d)
  if (v > 1) throw new MalformedError(`${field} must be 0 or 1`)
  return v === 1
}

/** Runs `body`, turning lib0's bare errors (end of array, integer out of range) into MailboxFrameError. */
function strict<T>(bytes: Uint8Array, body: (d: decoding.Decoder, setId: (id: number) => void) => T): T {
  let id = 0
  const d = decoding.createDecoder(bytes)
  try {
    const frame = body(d, (v) => (id = v))
    if (decoding.hasContent(d)) throw new MalformedError('trailing bytes after the frame')
    return frame
  } catch (e) {
    if (e instanceof MailboxFrameError) throw e
    throw new MailboxFrameError(e instanceof Error ? e.message : 'undecodable frame', id)
  }
}

export function encodeMailboxClientFrame(frame: MailboxClientFrame): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, frame.op)
  encoding.writeVarUint(e, frame.id)
  encoding.writeVarUint8Array(e, frame.topic)
  switch (frame.op) {
    case MailboxClientOp.append:
      encoding.writeVarUint8Array(e, frame.publicKey ?? new Uint8Array(0))
      encoding.writeVarUint8Array(e, frame.entry)
      encoding.writeVarUint8Array(e, frame.signature)
      break
    case MailboxClientOp.read:
      encoding.writeVarUint(e, frame.after)
      encoding.writeVarUint(e, frame.limit)
      break
    case MailboxClientOp.snapshot:
      encoding.writeVarUint(e, frame.upTo)
      encoding.writeVarUint8Array(e, frame.snapshot)
      encoding.writeVarUint8Array(e, frame.signature)
      break
    case MailboxClientOp.snapshotChunk:
      encoding.writeVarUint(e, frame.upTo)
      encoding.writeVarUint8Array(e, frame.upload)
      encoding.writeVarUint(e, frame.index)
      encoding.writeVarUint(e, frame.count)
      encoding.writeVarUint8Array(e, frame.chunk)
      encoding.writeVarUint8Array(e, frame.signature)
      break
    case MailboxClientOp.readSnapshot:
      encoding.writeVarUint(e, frame.upTo)
      encoding.writeVarUint(e, frame.from)
      break
    default:
      break
  }
  return encoding.toUint8Array(e)
}

/** Decodes a client frame; throws MailboxFrameError on anything that is not exactly one valid frame. */
export function decodeMailboxClientFrame(bytes: Uint8Array): MailboxClientFrame {
  return strict(bytes, (d, setId) => {
    const op = decoding.readVarUint(d)
    const id = decoding.readVarUint(d)
    setId(id)
    if (op < MailboxClientOp.append || op > MailboxClientOp.readSnapshot)
      throw new MalformedError(`unknown op ${op}`)
    const topic = readBytes(d, 'topic', MAILBOX_TOPIC_BYTES)
    switch (op) {
      case MailboxClientOp.append: {
        const key = readBytes(d, 'publicKey')
        if (key.length !== 0 && key.length !== MAILBOX_PUBLIC_KEY_BYTES)
          throw new MalformedError(
            `publicKey must be 0 or ${MAILBOX_PUBLIC_KEY_BYTES} bytes, got ${key.length}`,
          )
        const entry = readBytes(d, 'entry')
        if (entry.length === 0) throw new MalformedError('entry must not be empty')
        const signature = readBytes(d, 'signature', MAILBOX_SIGNATURE_BYTES)
        return { op, id, topic, publicKey: key.length === 0 ? null : key, entry, signature }
      }
      case MailboxClientOp.read:
        return { op, id, topic, after: decoding.readVarUint(d), limit: decoding.readVarUint(d) }
      case MailboxClientOp.snapshot: {
        const upTo = decoding.readVarUint(d)
        const snapshot = readBytes(d, 'snapshot')
        const signature = readBytes(d, 'signature', MAILBOX_SIGNATURE_BYTES)
        return { op, id, topic, upTo, snapshot, signature }
      }
      case MailboxClientOp.snapshotChunk: {
        const upTo = decoding.readVarUint(d)
        const upload = readBytes(d, 'upload', MAILBOX_UPLOAD_ID_BYTES)
        const index = decoding.readVarUint(d)
        const count = decoding.readVarUint(d)
        if (count < 1 || count > MAILBOX_MAX_SNAPSHOT_CHUNKS)
          throw new MalformedError(`count must be 1 to ${MAILBOX_MAX_SNAPSHOT_CHUNKS}, got ${count}`)
        if (index >= count) throw new MalformedError(`index ${index} is not below count ${count}`)
        const chunk = readBytes(d, 'chunk')
        if (chunk.length === 0) throw new MalformedError('chunk must not be empty')
        const signature = readBytes(d, 'signature', MAILBOX_SIGNATURE_BYTES)
        return { op, id, topic, upTo, upload, index, count, chunk, signature }
      }
      case MailboxClientOp.readSnapshot:
        return { op, id, topic, upTo: decoding.readVarUint(d), from: decoding.readVarUint(d) }
      default:
        return { op: op as MailboxSubscribeFrame['op'], id, topic }
    }
  })
}

export function encodeMailboxRelayFrame(frame: MailboxRelayFrame): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, frame.op)
  switch (frame.op) {
    case MailboxRelayOp.ack:
      encoding.writeVarUint(e, frame.id)
      encoding.writeVarUint(e, frame.cursor)
      encoding.writeVarUint(e, frame.flags)
      break
    case MailboxRelayOp.entries:
      encoding.writeVarUint(e, frame.id)
      encoding.writeVarUint8Array(e, frame.topic)
      encoding.writeVarUint(e, frame.head)
      // 0: no snapshot, 1: a snapshot in one piece, 2: a chunked snapshot (its cursor and count).
      if (frame.snapshot !== null) {
        encoding.writeVarUint(e, 1)
        encoding.writeVarUint(e, frame.snapshot.cursor)
        encoding.writeVarUint8Array(e, frame.snapshot.bytes)
      } else if (frame.chunked !== null) {
        encoding.writeVarUint(e, 2)
        encoding.writeVarUint(e, frame.chunked.cursor)
        encoding.writeVarUint(e, frame.chunked.count)
      } else encoding.writeVarUint(e, 0)
      encoding.writeVarUint(e, frame.entries.length)
      for (const { cursor, entry } of frame.entries) {
        encoding.writeVarUint(e, cursor)
        encoding.writeVarUint8Array(e, entry)
      }
      encoding.writeVarUint(e, frame.next)
      encoding.writeVarUint(e, frame.more ? 1 : 0)
      break
    case MailboxRelayOp.push:
      encoding.writeVarUint8Array(e, frame.topic)
      encoding.writeVarUint(e, frame.cursor)
      encoding.writeVarUint8Array(e, frame.entry)
      break
    case MailboxRelayOp.error:
      encoding.writeVarUint(e, frame.id)
      encoding.writeVarUint(e, frame.code)
      encoding.writeVarString(e, frame.reason)
      break
    case MailboxRelayOp.chunks:
      encoding.writeVarUint(e, frame.id)
      encoding.writeVarUint8Array(e, frame.topic)
      encoding.writeVarUint(e, frame.cursor)
      encoding.writeVarUint(e, frame.count)
      encoding.writeVarUint(e, frame.from)
      encoding.writeVarUint(e, frame.chunks.length)
      for (const c of frame.chunks) encoding.writeVarUint8Array(e, c)
      break
  }
  return encoding.toUint8Array(e)
}

/** Decodes a relay frame; throws MailboxFrameError on anything that is not exactly one valid frame. */
export function decodeMailboxRelayFrame(bytes: Uint8Array): MailboxRelayFrame {
  return strict(bytes, (d, setId) => {
    const op = decoding.readVarUint(d)
    switch (op) {
      case MailboxRelayOp.ack: {
        const id = decoding.readVarUint(d)
        setId(id)
        return { op, id, cursor: decoding.readVarUint(d), flags: decoding.readVarUint(d) }
      }
      case MailboxRelayOp.entries: {
        const id = decoding.readVarUint(d)
        setId(id)
        const topic = readBytes(d, 'topic', MAILBOX_TOPIC_BYTES)
        const head = decoding.readVarUint(d)
        const kind = decoding.readVarUint(d)
        if (kind > 2) throw new MalformedError('snapshot flag must be 0, 1 or 2')
        const snapshot =
          kind === 1 ? { cursor: decoding.readVarUint(d), bytes: readBytes(d, 'snapshot') } : null
        const chunked =
          kind === 2 ? { cursor: decoding.readVarUint(d), count: decoding.readVarUint(d) } : null
        const count = readCount(d, bytes.length, 'entry count')
        const entries: MailboxEntry[] = []
        for (let i = 0; i < count; i++)
          entries.push({ cursor: decoding.readVarUint(d), entry: readBytes(d, 'entry') })
        const next = decoding.readVarUint(d)
        const more = readFlag(d, 'more flag')
        return { op, id, topic, head, snapshot, chunked, entries, next, more }
      }
      case MailboxRelayOp.chunks: {
        const id = decoding.readVarUint(d)
        setId(id)
        const topic = readBytes(d, 'topic', MAILBOX_TOPIC_BYTES)
        const cursor = decoding.readVarUint(d)
        const count = decoding.readVarUint(d)
        const from = decoding.readVarUint(d)
        const n = readCount(d, bytes.length, 'chunk count')
        const chunks: Uint8Array[] = []
        for (let i = 0; i < n; i++) chunks.push(readBytes(d, 'chunk'))
        return { op, id, topic, cursor, count, from, chunks }
      }
      case MailboxRelayOp.push: {
        const topic = readBytes(d, 'topic', MAILBOX_TOPIC_BYTES)
        return { op, topic, cursor: decoding.readVarUint(d), entry: readBytes(d, 'entry') }
      }
      case MailboxRelayOp.error: {
        const id = decoding.readVarUint(d)
        setId(id)
        return { op, id, code: decoding.readVarUint(d), reason: decoding.readVarString(d) }
      }
      default:
        throw new MalformedError(`unknown op ${op}`)
    }
  })
}
