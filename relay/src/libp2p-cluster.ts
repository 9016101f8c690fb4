// The libp2p nodes of one relay cluster find each other through the Redis they share and stay
// connected, so gossipsub carries a message published through one relay to members attached to
// another (both relays subscribe to the topics their own members join, and mesh with each other).
// Each node writes its peer id and multiaddrs into the hash tm:libp2p every few seconds, and dials
// every other entry seen recently that it is not connected to. Discovery runs on a timer; messages
// never go through Redis.
import { multiaddr } from '@multiformats/multiaddr'
import type { Libp2p } from 'libp2p'
import { WebSocket } from 'ws'
import type { Logger } from './logger'
import type { RedisLink } from './redis-link'

const KEY = 'tm:libp2p'
const EVERY_MS = 2000
/** An entry not refreshed for this long belongs to a relay that is gone. */
const STALE_MS = 15_000

export interface Libp2pCluster {
  /** Peer ids of the other relays of the cluster (not members). */
  readonly relays: Set<string>
  stop(): Promise<void>
}

export function joinLibp2pCluster(node: Libp2p, link: RedisLink, log: Logger): Libp2pCluster {
  // Dialing goes through @libp2p/websockets, which uses the global WebSocket (Node 22 has one, 20 not).
  if (globalThis.WebSocket === undefined) Object.assign(globalThis, { WebSocket })
  const self = node.peerId.toString()
  const relays = new Set<string>()
  const dialing = new Set<string>()
  const round = async (): Promise<void> => {
    const addrs = node.getMultiaddrs().map((a) => a.toString())
    await link.cmd.hset(KEY, self, JSON.stringify({ addrs, at: Date.now() }))
    const all = await link.cmd.hgetall(KEY)
    for (const [peer, value] of Object.entries(all)) {
      if (peer === self) continue
      let entry: { addrs?: unknown; at?: unknown }
      try {
        entry = JSON.parse(value) as typeof entry
      } catch {
        continue
      }
      if (typeof entry.at !== 'number' || Date.now() - entry.at > STALE_MS) {
        if (typeof entry.at === 'number' && Date.now() - entry.at > 4 * STALE_MS)
          await link.cmd.hdel(KEY, peer)
        continue
      }
      relays.add(peer)
      const connected = node.getConnections().some((c) => c.remotePeer.toString() === peer)
      if (connected || dialing.has(peer) || !Array.isArray(entry.addrs)) continue
      const targets = entry.addrs.filter((a): a is string => typeof a === 'string').map((a) => multiaddr(a))
      if (targets.length === 0) continue
      dialing.add(peer)
      node
        .dial(targets)
        .then(() => log.info({ peer: peer.slice(-8) }, 'libp2p: connected to a relay of the cluster'))
        .catch((err: Error) => log.debug({ err: err.message }, 'libp2p: cluster relay not reachable'))
        .finally(() => dialing.delete(peer))
    }
  }
  const timer = setInterval(() => void round().catch(() => {}), EVERY_MS)
  timer.unref()
  void round().catch(() => {})
  return {
    relays,
    stop: async () => {
      clearInterval(timer)
      await link.cmd.hdel(KEY, self).catch(() => {})
    },
  }
}
