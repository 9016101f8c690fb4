// The real GroupSync: core's Replica per group, over one IndexedDB storage adapter and one set of
// transports shared by every group of this app (the relay's mailbox, WebRTC peers found through the
// relay's /signal, and BroadcastChannel between tabs of this browser).
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
  WebrtcTransport,
  knownGroups,
  rememberGroup,
  type Link,
  type StorageAdapter,
  type Transport,
} from '@tailmesh/core'
import { IndexedDbStorage } from '@tailmesh/core/storage/indexeddb'
import { ICE_SERVERS, relayEndpoints } from './config'
import type { GroupLink, GroupSync, LinkStatus } from './sync'

export interface ReplicaSyncOptions {
  /** The IndexedDB adapter's database name (default 'tailmesh'). */
  storageName?: string
  /** Transports for every group (default: mailbox + WebRTC at this page's relay, BroadcastChannel). */
  transports?: () => Transport[]
  /** Mailbox entries processed before a replica offers a compacted snapshot. */
  compactAfter?: number
}

function defaultTransports(): Transport[] {
  const relay = relayEndpoints()
  return [
    new MailboxTransport({ url: relay.mailbox }),
    new WebrtcTransport({ signaling: [relay.signal], iceServers: ICE_SERVERS }),
    new BroadcastChannelTransport(),
  ]
}

export function replicaSync(options: ReplicaSyncOptions = {}): GroupSync {
  let storage: Promise<StorageAdapter> | null = null
  const openStorage = () => (storage ??= IndexedDbStorage.open({ name: options.storageName ?? 'tailmesh' }))
  let transports: Transport[] | null = null
  const shared = () => (transports ??= (options.transports ?? defaultTransports)())

  return {
    persistent: true,
    knownGroups: async () =>
      (await knownGroups(await openStorage())).map((g) => ({ groupId: g.groupId, groupKey: g.key.raw })),
    attach: async ({ groupId, key, gate, session }) => {
      const store = await openStorage()
      await rememberGroup(store, groupId, key)
      const links: { kind: string; link: Link }[] = []
      const listeners = new Set<() => void>()
      const changed = () => listeners.forEach((l) => l())
      const replica = await Replica.start({
        gate,
        key,
        // The session's envelopes reach `deliver` through the GroupHandle, which tracks messages.
        ...(session ? { session, takeSend: false } : {}),
        storage: store,
        transports: shared().map((t) => observed(t, (link) => links.push({ kind: t.kind, link }), changed)),
        ...(options.compactAfter !== undefined ? { compactAfter: options.compactAfter } : {}),
      })
      const offs = [replica.on('delivered', changed), replica.on('status', changed)]
      const link: GroupLink = {
        deliver: (envelope) => replica.deliver(envelope),
        pending: () => replica.pending(),
        status: (): LinkStatus => ({
          relay: links.some((l) => l.kind === 'mailbox' && l.link.online()),
          peers: links.filter((l) => l.kind === 'webrtc').reduce((n, l) => n + l.link.peers().length, 0),
        }),
        onChange: (listener) => {
          listeners.add(listener)
          return () => listeners.delete(listener)
        },
        close: async () => {
          offs.forEach((off) => off())
          listeners.clear()
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
          frame: (sealed, from, cursor) => handlers.frame(sealed, from, cursor),
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
