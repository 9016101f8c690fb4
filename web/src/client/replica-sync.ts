// The real GroupSync: core's Replica per group, over one IndexedDB storage adapter and one set of
// transports shared by every group of this app (relay-transports.ts): always the mailbox of every
// relay of the device's list (relays.ts; by default the relay that served the app) and BroadcastChannel
// between tabs of this browser; then, by the group's size or pinned config (core's transport modes),
// either WebRTC peers found through the relays' /signal (the mesh) or libp2p gossipsub through the
// relay's libp2p node. Neither is in the app shell: the WebRTC code loads when a group first opens its
// mesh (webrtc-lazy.ts), libp2p only when a group enters libp2p mode (libp2p-lazy.ts). When the set
// changes (the person edits the relay list) every open group follows: Replica.add/removeTransport.
//
// attach remembers the group (its key, so it reopens after a reload), then starts the Replica, which
// restores history from IndexedDB before any transport opens and delivers the session's envelopes
// from then on (a new group's genesis included).
import {
  Replica,
  knownGroups,
  rememberGroup,
  rememberLaterKeys,
  type StorageAdapter,
  type Transport,
  type TransportMode,
} from '@tailmesh/core'
import { IndexedDbStorage } from '@tailmesh/core/storage/indexeddb'
import { relayTransports, type SyncTransports } from './relay-transports'
import { startPageCalls, startPagePresence } from './presence'
import { appLogger } from '../diagnostics'
import type { GroupLink, GroupSync, LinkChange } from './sync'

export type { SyncTransports }

export interface ReplicaSyncOptions {
  /** The IndexedDB adapter's database name (default 'tailmesh'). */
  storageName?: string
  /**
   * Transports for every group (default: mailbox and BroadcastChannel always; WebRTC mesh or libp2p
   * at this page's relay, by transport mode).
   */
  transports?: () => SyncTransports
  /** Mailbox entries processed before a replica offers a compacted snapshot. */
  compactAfter?: number
}

/** Every shared transport of `set`, with how a replica uses it. */
function wanted(set: SyncTransports): Map<Transport, TransportMode | 'always'> {
  const out = new Map<Transport, TransportMode | 'always'>()
  for (const t of set.transports) out.set(t, 'always')
  for (const t of set.modes?.mesh ?? []) out.set(t, 'mesh')
  for (const t of set.modes?.libp2p ?? []) out.set(t, 'libp2p')
  return out
}

/** One open group: its replica and the shared transports it was given. */
interface Carried {
  replica: Replica
  given: Set<Transport>
}

/** Brings a group's replica in step with the shared set: adds what is new, removes what left. */
async function follow(group: Carried, set: SyncTransports): Promise<void> {
  const want = wanted(set)
  for (const t of [...group.given])
    if (!want.has(t)) {
      group.given.delete(t)
      await group.replica.removeTransport(t)
    }
  for (const [t, mode] of want)
    if (!group.given.has(t)) {
      group.given.add(t)
      await group.replica.addTransport(t, mode)
    }
}

export function replicaSync(options: ReplicaSyncOptions = {}): GroupSync {
  let storage: Promise<StorageAdapter> | null = null
  const openStorage = () => (storage ??= IndexedDbStorage.open({ name: options.storageName ?? 'tailmesh' }))
  const open = new Set<Carried>()
  let transports: SyncTransports | null = null
  const shared = () => {
    if (!transports) {
      const set = (transports = (options.transports ?? relayTransports)())
      set.onChange?.(async () => {
        for (const group of [...open]) await follow(group, set)
      })
    }
    return transports
  }

  return {
    persistent: true,
    knownGroups: async () =>
      (await knownGroups(await openStorage())).map((g) => ({
        groupId: g.groupId,
        groupKey: g.key.raw,
        laterKeys: g.laterKeys.map((k) => k.raw),
      })),
    attach: async ({ groupId, key, gate, session, knownKeys }) => {
      const store = await openStorage()
      await rememberGroup(store, groupId, key)
      if (knownKeys?.length) await rememberLaterKeys(store, groupId, knownKeys)
      const set = shared()
      const replica = await Replica.start({
        gate,
        key,
        ...(knownKeys?.length ? { knownKeys } : {}),
        ...(session ? { session } : {}),
        storage: store,
        transports: set.transports,
        ...(set.modes ? { modes: set.modes } : {}),
        ...(options.compactAfter !== undefined ? { compactAfter: options.compactAfter } : {}),
        // Settings → Diagnostics keeps what it says (nothing while off).
        logger: appLogger(),
      })
      const group: Carried = { replica, given: new Set(wanted(set).keys()) }
      open.add(group)
      // The set may have changed while the replica started.
      await follow(group, set)
      const listeners = new Set<(change: LinkChange) => void>()
      const changed = (change: LinkChange) => listeners.forEach((l) => l(change))
      const offs = [
        replica.on('queued', () => changed('delivery')),
        replica.on('delivered', () => changed('delivery')),
        replica.on('status', () => changed('status')),
      ]
      // Presence statements are signed by the member (or this linked device) and go to live peers only.
      const live = session ? startPagePresence(replica, session.identity) : null
      // Call statements ride the same live links, signed and sealed like presence (core/src/calls).
      const calls = session ? startPageCalls(replica, session.identity) : null
      const link: GroupLink = {
        pendingMessages: (panelId) => replica.pendingMessages(panelId),
        status: () => replica.status(),
        keyring: () => replica.keyring(),
        addKey: async (added) => {
          await replica.addKey(added)
          // The ring after the first key, in order: a reload opens it as it is now.
          await rememberLaterKeys(store, groupId, replica.keyring().slice(1))
        },
        blobs: replica.blobs,
        ...(live ? { presence: live.presence } : {}),
        ...(calls ? { calls: calls.hub } : {}),
        onChange: (listener) => {
          listeners.add(listener)
          return () => listeners.delete(listener)
        },
        close: async () => {
          open.delete(group)
          offs.forEach((off) => off())
          listeners.clear()
          await calls?.stop()
          await live?.stop()
          await replica.close()
        },
      }
      return link
    },
  }
}
