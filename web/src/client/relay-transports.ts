// The transports made from the device's relay list (relays.ts), shared by every group of the page,
// and kept in step with the list while the app runs: a relay added gets its mailbox at once (and
// joins the mesh's signaling), a removed one's are closed once every group has let go of them.
//
//   mailbox    one per relay, named by its URL (this device hands on to it what members who do not
//              use it send: core's relay bridge); its id, and so its cursors, come from the URL
//   mesh       one WebRTC transport signaling through every relay: a changed list replaces it (its
//              peers reconnect through the new set), since a signaling client's URLs are fixed
//   libp2p     bootstraps from the first relay: replaced when the first relay changes
//   tabs       BroadcastChannel, whatever the list: with no relay at all, tabs still sync
import { BroadcastChannelTransport, MailboxTransport, type Transport } from '@tailmesh/core'
import { ICE_SERVERS, relaysInUse } from './config'
import { onRelaysChanged } from './relays'
import { LazyLibp2pTransport } from './libp2p-lazy'
import { LazyWebrtcTransport } from './webrtc-lazy'
import { appLogger } from '../diagnostics'

/** What carries every group now: always-open transports, and those of each transport mode. */
export interface SyncTransports {
  transports: Transport[]
  modes?: { mesh?: Transport[]; libp2p?: Transport[]; memberLimit?: number; graceMs?: number }
  /**
   * Set when the set changes while the app runs: `listener` runs after each change (the fields above
   * then hold the new set) and is awaited before the transports that left are closed.
   */
  onChange?(listener: () => Promise<void>): () => void
}

type Relay = ReturnType<typeof relaysInUse>[number]

export function relayTransports(): SyncTransports {
  const logger = appLogger()
  const tabs = new BroadcastChannelTransport({ logger })
  const mailboxes = new Map<string, Transport>()
  const mailboxOf = (r: Relay): Transport => {
    let t = mailboxes.get(r.url)
    if (!t) {
      // `relay` as member records name it: what others send is handed on to it (the relay bridge).
      t = new MailboxTransport({ url: r.mailbox, relay: r.url, logger })
      mailboxes.set(r.url, t)
    }
    return t
  }
  let relays: Relay[] = []
  let mesh: Transport | null = null
  let libp2p: Transport | null = null
  const set: SyncTransports = { transports: [], modes: {} }

  /** Makes `set` match the list; returns the transports that left it. */
  function follow(next: Relay[]): Transport[] {
    const left: Transport[] = []
    for (const [url, t] of mailboxes)
      if (!next.some((r) => r.url === url)) {
        mailboxes.delete(url)
        left.push(t)
      }
    const signals = (list: Relay[]) => list.map((r) => r.signal).join(' ')
    if (!mesh || signals(next) !== signals(relays)) {
      if (mesh) left.push(mesh)
      mesh = next.length
        ? new LazyWebrtcTransport({ signaling: next.map((r) => r.signal), iceServers: ICE_SERVERS, logger })
        : null
    }
    if (!libp2p || next[0]?.healthz !== relays[0]?.healthz) {
      if (libp2p) left.push(libp2p)
      libp2p = next[0]
        ? new LazyLibp2pTransport({ healthz: next[0].healthz, iceServers: ICE_SERVERS, logger })
        : null
    }
    relays = next
    set.transports = [...next.map(mailboxOf), tabs]
    set.modes = { mesh: mesh ? [mesh] : [], libp2p: libp2p ? [libp2p] : [] }
    return left
  }
  follow(relaysInUse())

  const listeners = new Set<() => Promise<void>>()
  let changing = Promise.resolve()
  // Changes are followed one at a time, in order: each group catches up with one before the next.
  const change = () =>
    (changing = changing.then(async () => {
      const left = follow(relaysInUse())
      for (const l of [...listeners])
        await l().catch((e) => console.warn('relays: a group did not follow', e))
      await Promise.all(left.map((t) => t.close().catch(() => undefined)))
    }))
  let unwatch: (() => void) | null = null
  set.onChange = (listener) => {
    listeners.add(listener)
    unwatch ??= onRelaysChanged(() => void change())
    return () => listeners.delete(listener)
  }
  return set
}
