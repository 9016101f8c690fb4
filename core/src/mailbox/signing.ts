// The exact bytes a topic key signs. Each starts with its own label so that a signature made for one
// purpose (an append) can never be presented as another (a snapshot), and no other Tailmesh
// signature (envelopes, invites) can be replayed to the relay.
import { concatBytes, utf8 } from '../bytes'
import type { SnapshotChunk } from './frames'

const APPEND_LABEL = utf8('tailmesh/mailbox/append/v1')
const SNAPSHOT_LABEL = utf8('tailmesh/mailbox/snapshot/v1')
const CHUNK_LABEL = utf8('tailmesh/mailbox/snapshot-chunk/v1')

function u64(n: number): Uint8Array {
  const b = new Uint8Array(8)
  new DataView(b.buffer).setBigUint64(0, BigInt(n))
  return b
}

function u32(n: number): Uint8Array {
  const b = new Uint8Array(4)
  new DataView(b.buffer).setUint32(0, n)
  return b
}

/** label ‖ topic (32) ‖ entry */
export function appendSigningBytes(topic: Uint8Array, entry: Uint8Array): Uint8Array {
  return concatBytes(APPEND_LABEL, topic, entry)
}

/** label ‖ topic (32) ‖ upTo as 8-byte big-endian ‖ snapshot */
export function snapshotSigningBytes(topic: Uint8Array, upTo: number, snapshot: Uint8Array): Uint8Array {
  return concatBytes(SNAPSHOT_LABEL, topic, u64(upTo), snapshot)
}

/**
 * label ‖ topic (32) ‖ upTo as 8-byte big-endian ‖ upload (16) ‖ index and count as 4-byte big-endian
 * ‖ chunk. Binding the upload, index and count keeps a chunk from being replayed into another upload
 * or position.
 */
export function snapshotChunkSigningBytes(c: SnapshotChunk): Uint8Array {
  return concatBytes(CHUNK_LABEL, c.topic, u64(c.upTo), c.upload, u32(c.index), u32(c.count), c.chunk)
}
