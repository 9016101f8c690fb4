// The end-to-end case of the libp2p scale bench: Replica + gate + Libp2pTransport for every member of
// a group built beforehand without network (all in one host process); a message is sent with
// actions.send by the owner and arrives when a member's gate accepts its envelope.
import { WebSocket } from 'ws'
import type { HostedPeer } from './host-peer'

export async function e2eGroup(
  n: number,
  relays: string[],
  listen: string[],
  onArrival: (peer: HostedPeer, index: number) => void,
): Promise<{ peers: HostedPeer[]; send(index: number): Promise<void> }> {
  const { Libp2pTransport } = await import('@tailmesh/core/sync/libp2p')
  const { MemoryStorage, Replica, envelopeId } = await import('@tailmesh/core')
  const { groupOf, join, person, sync } = await import('../../core/test/peers')
  const { owner, key, general } = await groupOf()
  const people = [owner]
  for (let i = 1; i < n; i++) {
    const p = await person(`p${i}`, owner.groupId)
    await join(owner, p)
    people.push(p)
  }
  for (const p of people.slice(1)) await sync(owner, p)
  const indexOf = new Map<string, number>()
  let sending = -1
  const peers: HostedPeer[] = []
  for (let i = 0; i < people.length; i += 25)
    peers.push(
      ...(await Promise.all(
        people.slice(i, i + 25).map(async (p) => {
          const transport = new Libp2pTransport({
            relays,
            WebSocket,
            listen,
            backoff: { minMs: 100, maxMs: 2000 },
          })
          p.gate.on('accepted', (e) => {
            const index = indexOf.get(envelopeId(e))
            if (index !== undefined && p !== owner) onArrival(peer, index)
          })
          const replica = await Replica.start({
            gate: p.gate,
            session: p.session,
            key,
            storage: new MemoryStorage(),
            transports: [transport],
            compactAfter: 0,
          })
          // The group's topic has the most members (the replica also opens pairwise channels).
          const links = (transport as unknown as { links: Map<string, { peers(): string[] }> }).links
          const linked = () => Math.max(0, ...[...links.values()].map((l) => l.peers().length))
          const peer: HostedPeer = {
            arrivals: new Map(),
            connections: () => transport.connectedPeers().length,
            bytes: () => 0,
            linked,
            close: () => replica.close(),
          }
          return peer
        }),
      )),
    )
  // The owner's envelopes, by the message index being sent when the session handed them over (after
  // Replica.start, which takes the session's send for itself).
  const send = owner.session.send
  owner.session.send = (e, carries) => {
    indexOf.set(envelopeId(e), sending)
    send(e, carries)
  }
  return {
    peers,
    send: async (index) => {
      sending = index
      await owner.actions.send(general, `message ${index}`)
    },
  }
}
