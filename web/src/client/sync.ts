// THE seam where the Replica (core/src/sync: gate + documents + storage + transports) plugs into the
// app. The client hands every group it opens to a GroupSync and every local envelope to that group's
// link; the sync layer feeds remote and stored envelopes into the group's gate, which is the only
// thing that ever applies them. The UI never sees any of this: it re-reads the gate's documents.
import type { Envelope, Gate, GroupKey } from '@tailmesh/core'

/** A group this device keeps: enough to open it again after a reload. */
export interface KnownGroup {
  groupId: string
  /** Raw group key bytes. */
  groupKey: Uint8Array
}

export interface SyncedGroup {
  groupId: string
  key: GroupKey
  /** Feed stored and remote envelopes here (gate.receiveMany): never into a Y.Doc directly. */
  gate: Gate
}

export interface GroupLink {
  /**
   * Takes one of this device's own envelopes (already in the gate). Resolves once the envelope is
   * delivered: stored durably and handed to at least one transport (the mailbox acknowledged it, or a
   * peer is connected). Until then the message it carries shows as pending.
   */
  deliver(envelope: Envelope): Promise<void>
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
 * What the app runs with until the Replica exists: groups live in memory only, so a reload forgets
 * them (the identity survives: it is in the keystore), and nothing carries envelopes anywhere, so
 * every message stays pending. Replace this with the Replica; nothing else in web/ has to change.
 */
export function memoryOnlySync(): GroupSync {
  return {
    persistent: false,
    knownGroups: async () => [],
    attach: async () => ({
      deliver: () => new Promise<void>(() => {}),
      close: async () => {},
    }),
  }
}
