// THE seam where the Replica (core/src/sync: gate + documents + storage + transports) plugs into the
// app; replica-sync.ts is the real one. The client hands every group it opens, with its session, to a
// GroupSync, which delivers the session's envelopes from then on; the sync layer feeds remote and stored envelopes into the
// group's gate, which is the only thing that ever applies them. The UI never sees any of this: it
// re-reads the gate's documents, and asks the link which of its messages are still pending.
import { parseDocId } from '@tailmesh/core'
import type {
  BlobTransfer,
  CallHub,
  Gate,
  GroupKey,
  GroupSession,
  Presence,
  ReplicaStatus,
} from '@tailmesh/core'

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
   * This member's session in the group: the sync layer delivers its envelopes from now on (those
   * signed before too, like a new group's genesis); its identity opens rotated group keys, and the
   * owner's client rotates the key after a leave.
   */
  session?: GroupSession
  /** Later keys this device was handed when it was linked to its user (oldest first). */
  knownKeys?: GroupKey[]
}

/** How this device reaches the others for one group, as the UI shows it. */
export interface LinkStatus {
  /** A relay's mailbox is connected (messages reach members who are offline). */
  relay: boolean
  /** Peers connected on the group's peer-to-peer network (WebRTC mesh or libp2p). */
  peers: number
}

/** What changed on a link: one of my envelopes was queued or delivered, or the links' status. */
export type LinkChange = 'delivery' | 'status'

export interface GroupLink {
  /**
   * Ids of my messages in `panelId` that have not left this device (core's Replica.pendingMessages:
   * queued, or held aside by my own gate); kept across reloads.
   */
  pendingMessages(panelId: string): ReadonlySet<string>
  status(): ReplicaStatus
  /** Every group key this device holds, oldest first (handed to a device being linked). */
  keyring(): GroupKey[]
  /**
   * Holds one more key from now on, kept across reloads (an invite link's, newer than any this
   * device could open: its person was removed, then let back in).
   */
  addKey(key: GroupKey): Promise<void>
  /** Who is online and typing (live peers only; absent where nothing carries the group). */
  presence?: Presence
  /** Calls: who is in which room, ringing, this page's room (absent where nothing carries the group). */
  calls?: CallHub
  /** This group's files (content-addressed; absent where nothing carries the group). */
  blobs?: BlobTransfer
  onChange(listener: (change: LinkChange) => void): () => void
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

const NO_LINKS: ReplicaStatus = { online: false, durable: false, peers: 0, transports: [] }

/**
 * A stand-in for the unit tests (the app runs with `replicaSync()`, replica-sync.ts): groups live in
 * memory only, so a reload forgets them, and nothing carries envelopes anywhere, so every message
 * stays pending.
 */
export function memoryOnlySync(): GroupSync {
  return {
    persistent: false,
    knownGroups: async () => [],
    attach: async ({ session }) => {
      const kept: { docId: string; carries: readonly string[] }[] = []
      session?.sendTo((envelope, carries) => kept.push({ docId: envelope.docId, carries }))
      return {
        pendingMessages: (panelId) => {
          const inPanel = kept.filter((k) => {
            const doc = parseDocId(k.docId)
            return doc?.kind === 'panel' && doc.panelId === panelId
          })
          return new Set(inPanel.flatMap((k) => k.carries))
        },
        status: () => NO_LINKS,
        keyring: () => [],
        addKey: async () => {},
        onChange: () => () => {},
        close: async () => {},
      }
    },
  }
}
