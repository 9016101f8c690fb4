// What a Replica is given, and what it tells its listeners.
import type { GroupSession } from '../../group/session'
import type { Gate } from '../../gate/gate'
import type { Identity } from '../../identity/identity'
import type { GroupKey } from '../../keys/group-key'
import type { ComponentLogger } from '../../log/logger'
import type { StorageAdapter } from '../../storage/storage'
import type { Transport } from '../transport'
import type { ReplicaStatus } from './link-table'

export interface ReplicaOptions {
  gate: Gate
  /**
   * The member's session: the replica delivers its envelopes from now on (and those it signed before,
   * like a new group's genesis), and rotates the group key after a leave when this member is the owner.
   */
  session?: GroupSession
  /** Whose keyring this is (default: the session's identity); without one, no key rotation is followed. */
  identity?: Identity
  /** The group key from the invite link (or creation); rotations recorded in the group add newer ones. */
  key: GroupKey
  /**
   * Later keys this device was handed otherwise, oldest first: a newly linked device gets its user's
   * keyring at pairing, since rotations before it was recorded were wrapped for other box keys.
   */
  knownKeys?: GroupKey[]
  storage: StorageAdapter
  /** Always open: the mailbox, tabs of this browser (more come and go: addTransport, removeTransport). */
  transports: Transport[]
  /**
   * Peer-to-peer networks chosen by the group's size or config (transport-mode.ts): only the one in
   * use is open; on a switch both run for `graceMs` (the gate drops what arrives twice).
   */
  modes?: { mesh?: Transport[]; libp2p?: Transport[]; memberLimit?: number; graceMs?: number }
  /** Mailbox entries processed since the last snapshot before this replica offers one (0: never). */
  compactAfter?: number
  /**
   * Largest sealed chunk of a mailbox snapshot (default 200 KiB, under the relay's 256 KiB frame); a
   * larger snapshot goes up in several, one envelope larger than this alone in its own.
   */
  snapshotChunkBytes?: number
  /** Where failures this replica gets past are told (default: nowhere). */
  logger?: ComponentLogger
}

export interface ReplicaEvents {
  /** One of this device's envelopes is on its way, carrying these messages. */
  queued: (envelopeId: string, carries: readonly string[]) => void
  /** One of this device's envelopes reached a durable transport or a peer. */
  delivered: (envelopeId: string, carries: readonly string[]) => void
  /** The links changed: connected, disconnected, a peer came or went, a transport added or removed. */
  status: (status: ReplicaStatus) => void
  /** This replica uploaded a mailbox snapshot standing for every entry up to `upTo`. */
  compacted: (upTo: number) => void
  /** A presence statement from a live peer (presence.ts checks it): never stored, never gated. */
  presence: (statement: Uint8Array) => void
  /** A call statement from a live peer (calls/call-judge.ts checks it): never stored, never gated. */
  call: (statement: Uint8Array) => void
}
