// Splitting sealed frames into data-channel messages. Browsers disagree on the largest message a data
// channel carries (16 KiB is safe everywhere, 256 KiB is Chromium's limit) and sealed frames reach
// 300 KiB, so a frame larger than one chunk goes as a first chunk announcing the total length and
// continuation chunks. The channel is reliable and ordered, and a sender writes a frame's chunks
// back to back, so the receiver needs no ids: it appends until the announced length is reached.
import { MalformedError } from '../../errors'

const WHOLE = 0
const FIRST = 1
const MORE = 2
const FIRST_HEADER = 5

export const DEFAULT_CHUNK_BYTES = 16 * 1024

/** Chunks are new arrays of their own (never views of `frame`): a channel may keep them queued. */
export function splitFrame(frame: Uint8Array, chunkBytes = DEFAULT_CHUNK_BYTES): Uint8Array<ArrayBuffer>[] {
  if (frame.length + 1 <= chunkBytes) {
    const whole = new Uint8Array(frame.length + 1)
    whole[0] = WHOLE
    whole.set(frame, 1)
    return [whole]
  }
  const out: Uint8Array<ArrayBuffer>[] = []
  const firstBody = chunkBytes - FIRST_HEADER
  const first = new Uint8Array(chunkBytes)
  first[0] = FIRST
  new DataView(first.buffer).setUint32(1, frame.length)
  first.set(frame.subarray(0, firstBody), FIRST_HEADER)
  out.push(first)
  for (let at = firstBody; at < frame.length; at += chunkBytes - 1) {
    const body = frame.subarray(at, at + chunkBytes - 1)
    const more = new Uint8Array(body.length + 1)
    more[0] = MORE
    more.set(body, 1)
    out.push(more)
  }
  return out
}

/** Reassembles one peer's chunks. Throws MalformedError on anything a well-behaved sender never sends. */
export class Reassembler {
  private buffer: Uint8Array | null = null
  private filled = 0

  constructor(private readonly maxFrameBytes: number) {}

  /** The completed frame, or null while more chunks are due. */
  push(message: Uint8Array): Uint8Array | null {
    const kind = message[0]
    if (kind === WHOLE && this.buffer === null) {
      if (message.length - 1 > this.maxFrameBytes) throw new MalformedError('frame too large')
      return message.slice(1)
    }
    if (kind === FIRST && this.buffer === null && message.length >= FIRST_HEADER) {
      const total = new DataView(message.buffer, message.byteOffset, message.byteLength).getUint32(1)
      if (total > this.maxFrameBytes) throw new MalformedError('frame too large')
      this.buffer = new Uint8Array(total)
      this.filled = 0
      return this.append(message.subarray(FIRST_HEADER))
    }
    if (kind === MORE && this.buffer !== null) return this.append(message.subarray(1))
    throw new MalformedError('unexpected chunk')
  }

  private append(body: Uint8Array): Uint8Array | null {
    const buffer = this.buffer!
    if (this.filled + body.length > buffer.length) throw new MalformedError('chunk beyond the frame')
    buffer.set(body, this.filled)
    this.filled += body.length
    if (this.filled < buffer.length) return null
    this.buffer = null
    return buffer
  }
}
