// The two sync frames (sync/frames.ts) that move files between replicas, always inside a frame sealed
// with the group key like every other:
//
//   want   the addresses this replica is missing: "send me these if you have them"
//   blob   one chunk of a file: its address, total size, the chunk's offset and bytes
//
// Wire: want = count varUint, count × 32-byte hash; blob = 32-byte hash, size varUint, offset varUint,
// bytes varBytes. Chunks sit at multiples of BLOB_LIMITS.chunkBytes; anything else is malformed.
import * as encoding from 'lib0/encoding'
import { toHex } from '../bytes'
import type { WireReader } from '../envelope/wire-reader'
import { blobHashBytes } from './blob-hash'
import { BLOB_LIMITS } from './limits'

export const MAX_WANTS = 64

export interface WantFrame {
  type: 'want'
  hashes: string[]
}

export interface BlobChunkFrame {
  type: 'blob'
  hash: string
  size: number
  offset: number
  bytes: Uint8Array
}

export function writeWant(e: encoding.Encoder, frame: WantFrame): void {
  encoding.writeVarUint(e, frame.hashes.length)
  for (const h of frame.hashes) encoding.writeUint8Array(e, blobHashBytes(h))
}

export function readWant(r: WireReader): WantFrame {
  const n = r.varUint('count')
  if (n > MAX_WANTS) throw r.fail(`${n} wanted blobs in one frame`)
  const hashes: string[] = []
  for (let i = 0; i < n; i++) hashes.push(toHex(r.bytes(32, `hashes[${i}]`)))
  return { type: 'want', hashes }
}

export function writeBlobChunk(e: encoding.Encoder, frame: BlobChunkFrame): void {
  encoding.writeUint8Array(e, blobHashBytes(frame.hash))
  encoding.writeVarUint(e, frame.size)
  encoding.writeVarUint(e, frame.offset)
  encoding.writeVarUint8Array(e, frame.bytes)
}

export function readBlobChunk(r: WireReader): BlobChunkFrame {
  const hash = toHex(r.bytes(32, 'hash'))
  const size = r.varUint('size')
  if (size > BLOB_LIMITS.maxBytes) throw r.fail(`a ${size}-byte blob is over the limit`)
  const offset = r.varUint('offset')
  const bytes = r.varBytes('bytes', BLOB_LIMITS.chunkBytes)
  if (offset % BLOB_LIMITS.chunkBytes !== 0 || offset >= Math.max(size, 1))
    throw r.fail('chunk offset out of place')
  if (bytes.length !== Math.min(BLOB_LIMITS.chunkBytes, size - offset))
    throw r.fail('chunk length does not match its place')
  return { type: 'blob', hash, size, offset, bytes }
}
