// The real GroupSync: core's Replica per group, over one IndexedDB storage adapter and one set of
// transports shared by every group of this app (relay-transports.ts): always the mailbox of every
// relay of the device's list (relays.ts; by default the relay that served the app) and BroadcastChannel
// between tabs of this browser; then, by the group's size or pinned config (core's transport modes),
// either WebRTC peers found through the relays' /signal (the mesh) or libp2p gossipsub through the
// relay's libp2p node. Neither is in the app shell: the WebRTC code loads when a group first opens its
// mesh (webrtc-lazy.ts), libp2p only when a group enters libp2p mode (libp2p-lazy.ts). When the set
// changes (the person edits the relay list) every open group follows: Replica.add/removeTransport.
//
//   attach   remembers the group (its key, so it reopens after a reload), then starts the Replica:
//            history is restored from IndexedDB before any transport opens, and what the gate already
//            holds (a new group's genesis, signed before the group was attached) is stored
//   deliver  the Replica's deliver: pending until the mailbox acknowledged the envelope or a peer got it
//
// The Replica is started without the session: the client's GroupHandle stays the session's `send`
// hook (it learns which envelope carries which message) and hands each envelope to `deliver` once.
import {
  Replica,
  knownGroups,
  rememberGroup,
  rememberLaterKeys,
  type Link,
  type StorageAdapter,
  type Transport,
  type TransportMode,
} from '@tailmesh/core'
import { IndexedDbStorage } from '@tailmesh/core/storage/indexeddb'
import { relayTransports, type SyncTransports } from './relay-transports'
import { startPagePresence } from './presence'
import type { GroupLink, GroupSync, LinkStatus } from './sync'
import { framesByKind } from './frame-counts'

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

/** One open group: its replica and, per shared transport, the group's own view of it (observed). */
interface Carried {
  replica: Replica
  views: Map<Transport, Transport>
  /** Makes the group's view of a shared transport (kept in `views`, its links in `links`). */
  view(shared: Transport): Transport
  readonly links: { shared: Transport; link: Link }[]
  changed(): void
}

/** Brings a group's replica in step with the shared set: adds what is new, removes what left. */
async function follow(group: Carried, set: SyncTransports): Promise<void> {
  const want = wanted(set)
  for (const [shared, view] of [...group.views])
    if (!want.has(shared)) {
      group.views.delete(shared)
      await group.replica.removeTransport(view)
      for (let i = group.links.length - 1; i >= 0; i--)
        if (group.links[i]!.shared === shared) group.links.splice(i, 1)
    }
  for (const [shared, mode] of want)
    if (!group.views.has(shared)) await group.replica.addTransport(group.view(shared), mode)
  group.changed()
}

/** Frames received per transport kind on this page (the test hooks read it). */
export { framesByKind }

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
      const listeners = new Set<() => void>()
      const set = shared()
      const views = new Map<Transport, Transport>()
      const links: Carried['links'] = []
      const changed = () => listeners.forEach((l) => l())
      const view = (t: Transport) => {
        const v = observed(t, (link) => links.push({ shared: t, link }), changed)
        views.set(t, v)
        return v
      }
      const { transports: always, modes } = set
      const replica = await Replica.start({
        gate,
        key,
        ...(knownKeys?.length ? { knownKeys } : {}),
        // The session's envelopes reach `deliver` through the GroupHandle, which tracks messages.
        ...(session ? { session, takeSend: false } : {}),
        storage: store,
        transports: always.map(view),
        ...(modes
          ? {
              modes: {
                ...modes,
                ...(modes.mesh ? { mesh: modes.mesh.map(view) } : {}),
                ...(modes.libp2p ? { libp2p: modes.libp2p.map(view) } : {}),
              },
            }
          : {}),
        ...(options.compactAfter !== undefined ? { compactAfter: options.compactAfter } : {}),
      })
      const group: Carried = { replica, views, view, links, changed }
      open.add(group)
      // The set may have changed while the replica started.
      await follow(group, set)
      const offs = [replica.on('delivered', changed), replica.on('status', changed)]
      // Presence statements are signed by the member (or this linked device) and go to live peers only.
      const live = session ? startPagePresence(replica, session.identity) : null
      const link: GroupLink = {
        deliver: (envelope) => replica.deliver(envelope),
        pending: () => replica.pending(),
        keyring: () => replica.keyring(),
        blobs: replica.blobs,
        ...(live ? { presence: live.presence } : {}),
        status: (): LinkStatus => ({
          relay: links.some((l) => l.shared.kind.startsWith('mailbox') && l.link.online()),
          // Peers on the group's peer-to-peer network now: the WebRTC mesh's, or libp2p members (a
          // browser's are direct WebRTC data channels once upgraded, relayed until then). During a
          // switch's grace period the network being left still runs, but is not counted.
          peers: links
            .filter((l) => l.shared.kind === (replica.transportMode() === 'libp2p' ? 'libp2p' : 'webrtc'))
            .reduce((n, l) => n + l.link.peers().length, 0),
        }),
        onChange: (listener) => {
          listeners.add(listener)
          return () => listeners.delete(listener)
        },
        close: async () => {
          open.delete(group)
          offs.forEach((off) => off())
          listeners.clear()
          await live?.stop()
          await replica.close()
        },
      }
      // Peers that connected while the replica was starting.
      changed()
      return link
    },
  }
}

/** A transport whose links this sync can see (for the status line) and that reports peer changes. */
function observed(transport: Transport, opened: (link: Link) => void, changed: () => void): Transport {
  return {
    kind: transport.kind,
    ...(transport.relay !== undefined && { relay: transport.relay }),
    open: async (access, handlers, resumeAfter) => {
      const link = await transport.open(
        access,
        {
          frame: (sealed, from, cursor) => {
            framesByKind.set(transport.kind, (framesByKind.get(transport.kind) ?? 0) + 1)
            handlers.frame(sealed, from, cursor)
          },
          peerJoined: (peer) => {
            handlers.peerJoined?.(peer)
            changed()
          },
          peerLeft: (peer) => {
            handlers.peerLeft?.(peer)
            changed()
          },
          status: (online) => {
            handlers.status?.(online)
            changed()
          },
          // Gossipsub asks the gate before forwarding a frame.
          ...(handlers.validate ? { validate: handlers.validate } : {}),
        },
        resumeAfter,
      )
      opened(link)
      return link
    },
    // Shared by every group: closed with the page, never by one group's replica.
    close: async () => {},
  }
}
