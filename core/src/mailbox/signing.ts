// The exact bytes a topic key signs. Each starts with its own label so that a signature made for one
// purpose (an append) can never be presented as another (a snapshot), and no other Tailmesh
// signature (envelopes, invites) can be replayed to the relay.
import { concatBytes, utf8 } from '../bytes'

const APPEND_LABEL = utf8('tailmesh/mailbox/append/v1')
const SNAPSHOT_LABEL = utf8('tailmesh/mailbox/snapshot/v1')

/** label ‖ topic (32) ‖ entry */
export function appendSigningBytes(topic: Uint8Array, entry: Uint8Array): Uint8Array {
  return concatBytes(APPEND_LABEL, topic, entry)
}

/** label ‖ topic (32) ‖ upTo as 8-byte big-endian ‖ snapshot */
export function snapshotSigningBytes(topic: Uint8Array, upTo: number, snapshot: Uint8Array): Uint8Array {
  const cursor = new Uint8Array(8)
  new DataView(cursor.buffer).setBigUint64(0, BigInt(upTo))
  return concatBytes(SNAPSHOT_LABEL, topic, cursor, snapshot)
}
