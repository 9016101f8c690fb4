// The real GroupSync: core's Replica per group, over one IndexedDB storage adapter and one set of
// transports shared by every group of this app: always the mailbox of every relay of the device's
// list (relays.ts; by default the relay that served the app) and BroadcastChannel
// between tabs of this browser; then, by the group's size or pinned config (core's transport modes),
// either WebRTC peers found through the relay's /signal (the mesh) or libp2p gossipsub through the
// relay's libp2p node. Neither is in the app shell: the WebRTC code loads when a group first opens its
// mesh (webrtc-lazy.ts), libp2p only when a group enters libp2p mode (libp2p-lazy.ts).
//
//   attach   remembers the group (its key, so it reopens after a reload), then starts the Replica:
//            history is restored from IndexedDB before any transport opens, and what the gate already
//            holds (a new group's genesis, signed before the group was attached) is stored
//   deliver  the Replica's deliver: pending until the mailbox acknowledged the envelope or a peer got it
//
// The Replica is started without the session: the client's GroupHandle stays the session's `send`
// hook (it learns which envelope carries which message) and hands each envelope to `deliver` once.
import {
  BroadcastChannelTransport,
  MailboxTransport,
  Replica,
  knownGroups,
  rememberGroup,
  rememberLaterKeys,
  type Link,
  type StorageAdapter,
  type Transport,
} from '@tailmesh/core'
import { IndexedDbStorage } from '@tailmesh/core/storage/indexeddb'
import { ICE_SERVERS, relaysInUse } from './config'
import { originRelay } from './relays'
import { LazyLibp2pTransport } from './libp2p-lazy'
import { LazyWebrtcTransport } from './webrtc-lazy'
import { startPagePresence } from './presence'
import type { GroupLink, GroupSync, LinkStatus } from './sync'
import { framesByKind } from './frame-counts'

/** What carries every group: always-open transports, and those of each transport mode. */
export interface SyncTransports {
  transports: Transport[]
  modes?: { mesh?: Transport[]; libp2p?: Transport[]; memberLimit?: number; graceMs?: number }
}

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

/**
 * Every relay of the device's list (config.ts) carries the mailbox and signaling. Mailbox cursors
 * are kept per transport kind, and two relays' cursors mean nothing to each other: the app's own
 * relay keeps the kind 'mailbox' (devices resume where they were), each other relay gets its own.
 * libp2p bootstraps from the first relay. With no relay at all, tabs still sync over BroadcastChannel.
 */
function defaultTransports(): SyncTransports {
  const relays = relaysInUse()
  const origin = originRelay()
  const first = relays[0]
  return {
    transports: [
      ...relays.map((r) =>
        withKind(new MailboxTransport({ url: r.mailbox }), r.url === origin ? 'mailbox' : `mailbox@${r.url}`),
      ),
      new BroadcastChannelTransport(),
    ],
    modes: {
      mesh: first
        ? [new LazyWebrtcTransport({ signaling: relays.map((r) => r.signal), iceServers: ICE_SERVERS })]
        : [],
      libp2p: first ? [new LazyLibp2pTransport({ healthz: first.healthz, iceServers: ICE_SERVERS })] : [],
    },
  }
}

/** The same transport under another kind (what the Replica keys cursors by). */
function withKind(transport: Transport, kind: string): Transport {
  return { kind, open: (...args) => transport.open(...args), close: () => transport.close() }
}

/** Frames received per transport kind on this page (the test hooks read it). */
export { framesByKind }

export function replicaSync(options: ReplicaSyncOptions = {}): GroupSync {
  let storage: Promise<StorageAdapter> | null = null
  const openStorage = () => (storage ??= IndexedDbStorage.open({ name: options.storageName ?? 'tailmesh' }))
  let transports: SyncTransports | null = null
  const shared = () => (transports ??= (options.transports ?? defaultTransports)())

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
      const links: { kind: string; link: Link }[] = []
      const listeners = new Set<() => void>()
      const changed = () => listeners.forEach((l) => l())
      const watch = (t: Transport) => observed(t, (link) => links.push({ kind: t.kind, link }), changed)
      const { transports: always, modes } = shared()
      const replica = await Replica.start({
        gate,
        key,
        ...(knownKeys?.length ? { knownKeys } : {}),
        // The session's envelopes reach `deliver` through the GroupHandle, which tracks messages.
        ...(session ? { session, takeSend: false } : {}),
        storage: store,
        transports: always.map(watch),
        ...(modes
          ? {
              modes: {
                ...modes,
                ...(modes.mesh ? { mesh: modes.mesh.map(watch) } : {}),
                ...(modes.libp2p ? { libp2p: modes.libp2p.map(watch) } : {}),
              },
            }
          : {}),
        ...(options.compactAfter !== undefined ? { compactAfter: options.compactAfter } : {}),
      })
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
          relay: links.some((l) => l.kind.startsWith('mailbox') && l.link.online()),
          // Peers on the group's peer-to-peer network now: the WebRTC mesh's, or libp2p members (a
          // browser's are direct WebRTC data channels once upgraded, relayed until then). During a
          // switch's grace period the network being left still runs, but is not counted.
          peers: links
            .filter((l) => l.kind === (replica.transportMode() === 'libp2p' ? 'libp2p' : 'webrtc'))
            .reduce((n, l) => n + l.link.peers().length, 0),
        }),
        onChange: (listener) => {
          listeners.add(listener)
          return () => listeners.delete(listener)
        },
        close: async () => {
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
