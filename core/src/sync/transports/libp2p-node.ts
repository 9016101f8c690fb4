// The libp2p node of a client (browser or Node). This is the only core file that imports libp2p at
// module level: the transport (libp2p.ts) loads it with a dynamic import inside its first open(), so a
// browser bundle puts libp2p in a chunk of its own, fetched only when a group uses this transport.
//
// WebSockets reach the relay; circuit relay v2 lets peers reach each other through it (and listen on
// it: a reservation); in browsers WebRTC upgrades a relayed connection to a direct one. Noise, yamux,
// identify (which the circuit relay transport needs to find relays), gossipsub. No bootstrap list, no
// public STUN server: the relays given in the options are the only addresses dialled by themselves.
import { createLibp2p } from 'libp2p'
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { gossipsub, TopicValidatorResult } from '@libp2p/gossipsub'
import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { peerIdFromString } from '@libp2p/peer-id'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { LIBP2P_RPC_OVERHEAD, gossipCopyId } from './libp2p-wire'

export { multiaddr, peerIdFromString, TopicValidatorResult }

export interface ClientNodeOptions {
  /** Add the WebRTC transport (browsers): relayed connections upgrade to direct data channels. */
  webrtc: boolean
  /** ICE servers for WebRTC; none by default (host candidates only). */
  iceServers: unknown[]
  maxFrameBytes: number
  /** Extra listen addresses (a Node peer that others may dial directly, e.g. `/ip4/0.0.0.0/tcp/0/ws`). */
  listen: string[]
  /**
   * Whether to take a connection from `peer` (relayed, or direct once its noise handshake names it):
   * the cap on peers per node. A peer already connected is always taken (a browser's WebRTC upgrade
   * of a relayed link arrives as a second connection from it).
   */
  acceptPeer: (peer: string) => boolean
}

export async function createClientNode(options: ClientNodeOptions) {
  const transports = [webSockets(), circuitRelayTransport()]
  if (options.webrtc) {
    const { webRTC } = await import('@libp2p/webrtc')
    // RTCIceServer is a DOM type, which core is type-checked without: the caller's array goes through
    // unchanged.
    const init = { rtcConfiguration: { iceServers: options.iceServers } } as NonNullable<
      Parameters<typeof webRTC>[0]
    >
    transports.push(webRTC(init))
  }
  return createLibp2p({
    addresses: {
      listen: [...(options.webrtc ? ['/p2p-circuit', '/webrtc'] : ['/p2p-circuit']), ...options.listen],
    },
    transports,
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    // Browsers refuse private addresses by default; a relay on the LAN or 127.0.0.1 must work.
    // A connection from a new peer beyond the cap is refused, relayed or direct: in a large group
    // everyone finds everyone through the relay, and without it popular peers end up with dozens of
    // connections. Direct ones are judged once noise has named the peer, so that a second connection
    // from a peer already linked (the WebRTC upgrade of a relayed link) is never refused.
    connectionGater: {
      denyDialMultiaddr: () => false,
      denyInboundRelayedConnection: (_relay, peer) => !options.acceptPeer(peer.toString()),
      denyInboundEncryptedConnection: (peer) => !options.acceptPeer(peer.toString()),
    },
    services: {
      identify: identify(),
      pubsub: gossipsub({
        // The transport holds a frame until the topic has a peer (see libp2p.ts): never an error here.
        allowPublishToZeroTopicPeers: true,
        ignoreDuplicatePublishError: true,
        emitSelf: false,
        // Known copies recognised before their signature is checked (libp2p-wire.ts).
        fastMsgIdFn: gossipCopyId,
        maxInboundDataLength: options.maxFrameBytes + LIBP2P_RPC_OVERHEAD,
        // Relayed connections between Node peers are the only path between them.
        runOnLimitedConnection: true,
        // One message at a time per peer stream, in arrival order (with the link's validation chain, a
        // sender's frames come out in the order they went in, whichever path each copy took first).
        awaitRpcHandler: true,
        awaitRpcMessageHandler: true,
        // Peers reached through a relay all appear at the relay's address: no colocation penalty.
        scoreParams: { IPColocationFactorWeight: 0 },
      }),
    },
  })
}

export type ClientNode = Awaited<ReturnType<typeof createClientNode>>
