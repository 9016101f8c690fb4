// THE seam where the Replica (core/src/sync: gate + documents + storage + transports) plugs into the
// app; replica-sync.ts is the real one. The client hands every group it opens to a GroupSync and every
// local envelope to that group's link; the sync layer feeds remote and stored envelopes into the
// group's gate, which is the only thing that ever applies them. The UI never sees any of this: it
// re-reads the gate's documents.
import type { Envelope, Gate, GroupKey, GroupSession, Presence } from '@tailmesh/core'
import type { BlobTransfer } from '@tailmesh/core'

/** A group this device keeps: enough to open it again after a reload. */
export interface KnownGroup {
  groupId: string
  /** Raw group key bytes. */
  groupKey: Uint8Array
  /** Later keys handed over when this device was linked (raw bytes, oldest first). */
  laterKeys?: Uint8Array[]
}

export interface SyncedGroup {
  groupId: string
  key: GroupKey
  /** Feed stored and remote envelopes here (gate.receiveMany): never into a Y.Doc directly. */
  gate: Gate
  /**
   * This member's session in the group: its identity opens rotated group keys, and the owner's
   * client rotates the key after a leave. Its `send` stays with the client (see GroupHandle).
   */
  session?: GroupSession
  /** Later keys this device was handed when it was linked to its user (oldest first). */
  knownKeys?: GroupKey[]
}

/** How this device reaches the others for one group, for the UI. */
export interface LinkStatus {
  /** The relay's mailbox is connected (messages reach members who are offline). */
  relay: boolean
  /** Peers connected directly (WebRTC data channels). */
  peers: number
}

export interface GroupLink {
  /**
   * Takes one of this device's own envelopes (already in the gate). Resolves once the envelope is
   * delivered: stored durably and handed to at least one transport (the mailbox acknowledged it, or a
   * peer is connected). Until then the message it carries shows as pending.
   */
  deliver(envelope: Envelope): Promise<void>
  /**
   * This device's envelopes not delivered yet: the ones given to `deliver` and not resolved, and
   * those kept from before a reload (the Replica's outbox survives restarts and sends them again).
   */
  pending(): readonly Envelope[]
  status(): LinkStatus
  /** Every group key this device holds, oldest first (handed to a device being linked). */
  keyring(): GroupKey[]
  /** Who is online and typing (live peers only; absent where nothing carries the group). */
  presence?: Presence
  /** This group's files (content-addressed; absent where nothing carries the group). */
  blobs?: BlobTransfer
  /** Called when an envelope is delivered (also one sent again after a reload) or the status changes. */
  onChange(listener: () => void): () => void
  close(): Promise<void>
}

export interface GroupSync {
  /** Whether groups outlive a reload (false only for the stand-in below; the UI says so). */
  readonly persistent: boolean
  /** Groups kept on this device, to reopen on start. */
  knownGroups(): Promise<KnownGroup[]>
  /** Keep (remember + store) and carry (transports) this group from now on. */
  attach(group: SyncedGroup): Promise<GroupLink>
}

/**
 * A stand-in for the unit tests (the app runs with `replicaSync()`, replica-sync.ts): groups live in
 * memory only, so a reload forgets them, and nothing carries envelopes anywhere, so every message
 * stays pending.
 */
export function memoryOnlySync(): GroupSync {
  return {
    persistent: false,
    knownGroups: async () => [],
    attach: async () => {
      const kept: Envelope[] = []
      return {
        deliver: (envelope) => {
          kept.push(envelope)
          return new Promise<void>(() => {})
        },
        pending: () => kept,
        status: () => ({ relay: false, peers: 0 }),
        keyring: () => [],
        onChange: () => () => {},
        close: async () => {},
      }
    },
  }
}
