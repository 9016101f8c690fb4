// The relay as a libp2p node (DESIGN.md, Transports: libp2p): the bootstrap of core's Libp2pTransport.
// Loaded with a dynamic import by server.ts, only when libp2p is enabled.
//
// - A WebSocket listener on its own port (@libp2p/websockets runs its own HTTP server; the relay's
//   HTTP port keeps serving the PWA, /signal and /mailbox exactly as before).
// - A circuit relay v2 server: members reach each other through it, and browsers upgrade the relayed
//   connection to WebRTC. Relayed connections carry no data or time limit (Node peers have no other
//   path to each other); the number of reservations is capped.
// - A gossipsub peer that subscribes to every topic its clients subscribe to (and leaves it when the
//   last one has gone), so members that are not connected to each other still hear each other.
//   Its topic validator rejects a message whose topic signature does not verify under the key the
//   mailbox registered for the topic; topics the mailbox does not know are forwarded unchecked.
// - Mailbox: a message on a topic the mailbox knows is appended to it with the member's own topic
//   signature (libp2p-wire.ts), so members who are offline find it there; a duplicate of an entry the
//   member also appended itself is recognised as such. The relay cannot register a topic itself.
// - `/tailmesh/peers/1.0.0`: who else is subscribed to a topic, so members can dial each other.
// - Its identity key lives in the data directory (`libp2p-key`): the peer id survives restarts.
import { readFile, writeFile, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { createLibp2p } from 'libp2p'
import { peerIdFromString } from '@libp2p/peer-id'
import { circuitRelayServer } from '@libp2p/circuit-relay-v2'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { gossipsub, TopicValidatorResult } from '@libp2p/gossipsub'
import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import {
  LIBP2P_MAX_FRAME_BYTES,
  LIBP2P_MAX_PEERS_ANSWER,
  LIBP2P_PEERS_PROTOCOL,
  LIBP2P_RPC_OVERHEAD,
  LengthPrefixedReader,
  chunkBytes,
  decodePublished,
  gossipCopyId,
  isTopicId,
  lengthPrefixed,
  publishedSigningBytes,
  topicIdBytes,
} from '@tailmesh/core/sync/libp2p'
import { verifyEd25519 } from './ed25519'
import type { Limits } from './limits'
import type { Logger } from './logger'
import type { MailboxStore } from './mailbox-store'
import { joinLibp2pCluster, type Libp2pCluster } from './libp2p-cluster'
import type { RedisLink } from './redis-link'

export interface RelayLibp2pOptions {
  host: string
  port: number
  dataDir: string
  store: MailboxStore
  limits: Limits
  log: Logger
  /** The Redis of a relay cluster: the nodes find each other there and stay connected. */
  cluster?: RedisLink | null
}

export interface RelayLibp2pStats {
  peerId: string
  multiaddrs: string[]
  connections: number
  topics: number
  reservations: number
}

export interface RelayLibp2p {
  peerId: string
  stats(): RelayLibp2pStats
  close(): Promise<void>
}

const KEY_FILE = 'libp2p-key'
/** Topics the relay joins at most (a gossipsub topic costs a mesh and a message cache slice). */
const MAX_TOPICS = 100_000
const MAX_RESERVATIONS = 4096
// The mailbox's append frame around an entry (see core's mailbox transport).
const APPEND_OVERHEAD = 1 + 5 + 33 + 33 + 5 + 65

async function loadKey(dataDir: string) {
  const path = join(dataDir, KEY_FILE)
  try {
    return privateKeyFromProtobuf(new Uint8Array(await readFile(path)))
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
  }
  const key = await generateKeyPair('Ed25519')
  await writeFile(`${path}.tmp`, privateKeyToProtobuf(key), { mode: 0o600 })
  await rename(`${path}.tmp`, path)
  return key
}

function listenAddress(host: string, port: number): string {
  return host.includes(':') ? `/ip6/${host}/tcp/${port}/ws` : `/ip4/${host}/tcp/${port}/ws`
}

export async function startRelayLibp2p(options: RelayLibp2pOptions): Promise<RelayLibp2p> {
  const { store, log, limits } = options
  const privateKey = await loadKey(options.dataDir)
  const node = await createLibp2p({
    privateKey,
    addresses: { listen: [listenAddress(options.host, options.port)] },
    transports: [webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    // The same connection cap and per-IP rate as the relay's WebSockets (libp2p's own default lets 5
    // connections per second from one address in, which one household's reconnecting tabs exceed).
    connectionManager: {
      maxConnections: limits.maxConnections,
      inboundConnectionThreshold: limits.connectionsPerSecondPerIp,
    },
    services: {
      identify: identify(),
      relay: circuitRelayServer({
        reservations: { maxReservations: MAX_RESERVATIONS, applyDefaultLimit: false },
      }),
      pubsub: gossipsub({
        allowPublishToZeroTopicPeers: true,
        emitSelf: false,
        // Known copies recognised before their signature is checked (core's libp2p-wire.ts).
        fastMsgIdFn: gossipCopyId,
        maxInboundDataLength: LIBP2P_MAX_FRAME_BYTES + LIBP2P_RPC_OVERHEAD,
        runOnLimitedConnection: true,
        // Forward each peer's messages in the order they came (see core's libp2p-node.ts).
        awaitRpcHandler: true,
        awaitRpcMessageHandler: true,
        // Many members share an address (one household, a carrier's NAT; in tests all of them): the
        // colocation penalty would graylist them. Connections per address are limited above instead.
        scoreParams: { IPColocationFactorWeight: 0 },
      }),
    },
  })
  const pubsub = node.services.pubsub
  const self = node.peerId.toString()
  let cluster: Libp2pCluster | null = null
  // Other relays of the cluster subscribe to their own members' topics: that must neither make this
  // relay join a topic nor keep it in one (two relays would hold each other's topics forever).
  const isMember = (peer: string): boolean => peer !== self && !(cluster?.relays.has(peer) ?? false)

  const join = (topic: string): void => {
    if (pubsub.getTopics().includes(topic) || pubsub.getTopics().length >= MAX_TOPICS) return
    pubsub.topicValidators.set(topic, async (_peer, message) => {
      const published = decodePublished(message.data)
      if (published === null) return TopicValidatorResult.Reject
      // A shared store that cannot be asked refuses the message rather than letting a forgery through.
      const key = await store.publicKeyOf(topic).catch(() => undefined)
      if (key === undefined) return TopicValidatorResult.Ignore
      if (key === null) return TopicValidatorResult.Accept
      return verifyEd25519(key, published.signature, publishedSigningBytes(topic, published.sealed))
        ? TopicValidatorResult.Accept
        : TopicValidatorResult.Reject
    })
    pubsub.subscribe(topic)
  }
  const leaveIfEmpty = (topic: string): void => {
    if (!pubsub.getTopics().includes(topic)) return
    if (pubsub.getSubscribers(topic).some((p) => isMember(p.toString()))) return
    pubsub.unsubscribe(topic)
    pubsub.topicValidators.delete(topic)
  }

  pubsub.addEventListener('subscription-change', (e) => {
    if (!isMember(e.detail.peerId.toString())) return
    for (const { topic, subscribe } of e.detail.subscriptions) {
      if (!isTopicId(topic)) continue
      if (subscribe) join(topic)
      else leaveIfEmpty(topic)
    }
  })
  // Gossipsub forgets a peer's topics when it disconnects, after this event: look a moment later.
  let sweep: ReturnType<typeof setTimeout> | null = null
  node.addEventListener('peer:disconnect', (e) => {
    // A reservation would otherwise outlive its peer by its whole TTL (2 h) and count against the cap;
    // a peer that comes back reserves again.
    const reservation = node.services.relay.reservations.get(e.detail)
    if (reservation !== undefined) {
      reservation.signal.clear()
      node.services.relay.reservations.delete(e.detail)
    }
    sweep ??= setTimeout(() => {
      sweep = null
      for (const topic of pubsub.getTopics()) leaveIfEmpty(topic)
    }, 1000)
  })

  pubsub.addEventListener('message', (e) => {
    const { topic, data } = e.detail
    const published = decodePublished(data)
    if (published === null) return
    if (published.sealed.length + APPEND_OVERHEAD > limits.maxFrameBytes) return
    // An unknown topic is refused by append itself (no key given): the relay never registers from gossipsub.
    store.append(topicIdBytes(topic), null, published.sealed.slice(), published.signature.slice()).then(
      (r) => {
        if (!r.duplicate)
          log.debug({ topic: topic.slice(0, 8), cursor: r.cursor }, 'libp2p: stored a message')
      },
      (err: unknown) =>
        log.debug({ topic: topic.slice(0, 8), reason: (err as Error).message }, 'libp2p: message not stored'),
    )
  })

  await node.handle(
    LIBP2P_PEERS_PROTOCOL,
    async (stream, connection) => {
      const asker = connection.remotePeer.toString()
      const askerIsLocal = isLoopback(connection.remoteAddr.toString())
      const reader = new LengthPrefixedReader(256)
      try {
        for await (const chunk of stream) {
          const [request] = reader.push(chunkBytes(chunk))
          if (request === undefined) continue
          const topic = new TextDecoder().decode(request)
          const peers = isTopicId(topic)
            ? pubsub
                .getSubscribers(topic)
                .map((p) => p.toString())
                .filter((p) => p !== asker && isMember(p))
            : []
          // A random few, so that members of a large group spread their connections.
          for (let i = peers.length - 1; i > 0; i--) {
            const j = Math.floor(Math.random() * (i + 1))
            ;[peers[i], peers[j]] = [peers[j]!, peers[i]!]
          }
          // With each peer, the addresses it listens on itself (a Node peer, a bot), so the asker can
          // dial it directly instead of through this relay's circuit. Loopback ones only to a local asker.
          const answer = await Promise.all(
            peers.slice(0, LIBP2P_MAX_PEERS_ANSWER).map(async (p) => {
              const direct = await directAddresses(node, p, askerIsLocal)
              return direct.length ? `${p}=${direct.join('|')}` : p
            }),
          )
          stream.send(lengthPrefixed(new TextEncoder().encode(answer.join(' '))))
          await stream.close()
          return
        }
      } catch {
        stream.abort(new Error('bad peers request'))
      }
    },
    { runOnLimitedConnection: true },
  )

  const multiaddrs = () => node.getMultiaddrs().map((a) => a.toString())
  log.info({ peerId: self, multiaddrs: multiaddrs() }, 'libp2p listening')
  if (options.cluster) cluster = joinLibp2pCluster(node, options.cluster, log)
  return {
    peerId: self,
    stats: () => ({
      peerId: self,
      multiaddrs: multiaddrs(),
      connections: node.getConnections().length,
      topics: pubsub.getTopics().length,
      reservations: node.services.relay.reservations.size,
    }),
    close: async () => {
      if (sweep !== null) clearTimeout(sweep)
      await cluster?.stop()
      await node.stop()
    },
  }
}

const isLoopback = (address: string): boolean => /^\/(ip4\/127\.|ip6\/::1\/)/.test(address)

/** A peer's own listen addresses the relay learnt through identify: WebSockets / TCP, not circuits. */
async function directAddresses(
  node: Pick<Awaited<ReturnType<typeof createLibp2p>>, 'peerStore'>,
  peer: string,
  includeLoopback: boolean,
): Promise<string[]> {
  try {
    const known = await node.peerStore.get(peerIdFromString(peer))
    return known.addresses
      .map((a) => a.multiaddr.toString())
      .filter(
        (a) => !a.includes('/p2p-circuit') && !a.includes('/webrtc') && (includeLoopback || !isLoopback(a)),
      )
      .slice(0, 4)
  } catch {
    return []
  }
}
