// Replicas catching each other up through peer summaries, over BroadcastChannel (in-process, real
// channel). The relay-backed paths (mailbox, WebRTC) are in relay/test/replica.test.ts.
import { afterEach, describe, expect, it } from 'vitest'
import { acceptedIds, groupOf, join, person, type Person } from '../../test/peers'
import { listMessages } from '../group/history'
import { GroupKey } from '../keys/group-key'
import { MemoryStorage } from '../storage/memory'
import { Replica } from './replica'
import { BroadcastChannelTransport } from './transports/broadcast-channel'
import type { Transport } from './transport'
import { until } from '../../test/until'

const started: Replica[] = []

/** Kinds of the transports with a link open now. */
const openKinds = (r: Replica): string[] =>
  r
    .status()
    .transports.filter((t) => t.links > 0)
    .map((t) => t.kind)

/** A real BroadcastChannel transport under another kind, standing in for the mesh or libp2p. */
function renamed(kind: string, namespace: string): Transport {
  const inner = new BroadcastChannelTransport({ namespace })
  return {
    id: kind,
    kind,
    durable: false,
    sameUser: false,
    open: (a, h) => inner.open(a, h),
    close: () => inner.close(),
  }
}
afterEach(async () => {
  for (const r of started.splice(0)) await r.close()
})

let run = 0
async function connect(p: Person, key: GroupKey, namespace: string): Promise<Replica> {
  const replica = await Replica.start({
    gate: p.gate,
    session: p.session,
    key,
    storage: new MemoryStorage(),
    transports: [new BroadcastChannelTransport({ namespace })],
  })
  started.push(replica)
  return replica
}

async function connectWith(p: Person, key: GroupKey, transports: Transport[]): Promise<Replica> {
  const replica = await Replica.start({
    gate: p.gate,
    session: p.session,
    key,
    storage: new MemoryStorage(),
    transports,
  })
  started.push(replica)
  return replica
}

describe('replica: peers catch each other up', () => {
  it('two peers that both wrote while apart end with the same envelopes and documents', async () => {
    const namespace = `replica-test-${run++}-${Date.now()}`
    const { owner: alice, key, general } = await groupOf()
    const bob = await person('bob', alice.groupId)
    await join(alice, bob)
    for (let i = 0; i < 30; i++) await alice.actions.send(general, `alice ${i}`)
    for (let i = 0; i < 20; i++) await bob.actions.send(general, `bob ${i}`)
    await alice.actions.createPanel({ name: 'random' })

    await connect(alice, key, namespace)
    await connect(bob, key, namespace)
    await until('both hold the same envelopes', () => acceptedIds(alice).join() === acceptedIds(bob).join())
    expect(listMessages(bob.gate, general).messages).toHaveLength(50)
    expect([...bob.gate.authority().panels.values()].map((p) => p.name)).toContain('random')
  })

  it('a newcomer with nothing gets the whole group from a peer, and a peer without the key gets nothing', async () => {
    const namespace = `replica-test-${run++}-${Date.now()}`
    const { owner: alice, key, general } = await groupOf()
    await alice.actions.send(general, 'for members only')
    await connect(alice, key, namespace)

    const stranger = await person('eve', alice.groupId)
    await connect(stranger, await GroupKey.generate(), namespace)
    const newcomer = await person('carol', alice.groupId)
    await connect(newcomer, key, namespace)
    await until('carol has the history', () => listMessages(newcomer.gate, general).messages.length === 1)
    await new Promise((r) => setTimeout(r, 100))
    expect([...stranger.gate.accepted()]).toEqual([])
  })
})

describe('replica: transport mode follows the group', () => {
  const named = (kind: string, namespace: string) => renamed(kind, `${namespace}-${kind}`)

  async function pair(memberLimit: number) {
    const namespace = `mode-test-${run++}-${Date.now()}`
    const { owner: alice, key, general } = await groupOf()
    const bob = await person('bob', alice.groupId)
    await join(alice, bob)
    const start = (p: Person) =>
      Replica.start({
        gate: p.gate,
        session: p.session,
        key,
        storage: new MemoryStorage(),
        transports: [],
        modes: {
          mesh: [named('mesh', namespace)],
          libp2p: [named('libp2p', namespace)],
          memberLimit,
          graceMs: 100,
        },
      }).then((r) => (started.push(r), r))
    return { alice, bob, general, a: await start(alice), b: await start(bob) }
  }

  it('a small group uses the mesh; pinning libp2p in the config moves both peers, with nothing lost', async () => {
    const { alice, bob, general, a, b } = await pair(20)
    expect([a.transportMode(), b.transportMode()]).toEqual(['mesh', 'mesh'])
    await alice.actions.send(general, 'over the mesh')
    await until('bob has it', () => listMessages(bob.gate, general).messages.length === 1)

    await alice.actions.updateConfig({ transport: 'libp2p' })
    await until('both switched', () => a.transportMode() === 'libp2p' && b.transportMode() === 'libp2p')
    await bob.actions.send(general, 'during the switch')
    await until('the mesh closed after the grace period', () =>
      [a, b].every((r) => openKinds(r).join() === 'libp2p'),
    )
    await alice.actions.send(general, 'over libp2p')
    await until('bob has everything once', () => listMessages(bob.gate, general).messages.length === 3)
    await until('alice too', () => listMessages(alice.gate, general).messages.length === 3)
  })

  it('a group above the member limit uses libp2p without any config', async () => {
    const { a, b } = await pair(1)
    expect([a.transportMode(), b.transportMode()]).toEqual(['libp2p', 'libp2p'])
  })
})

describe('replica: a transport that cannot start', () => {
  it('does not keep the group from opening over the others', async () => {
    const namespace = `broken-test-${run++}-${Date.now()}`
    const { owner: alice, key, general } = await groupOf()
    await alice.actions.send(general, 'still here')
    const broken: Transport = {
      id: 'broken',
      kind: 'broken',
      durable: false,
      sameUser: false,
      open: () => Promise.reject(new Error('no network stack here')),
      close: async () => {},
    }
    const replica = await connectWith(alice, key, [broken, new BroadcastChannelTransport({ namespace })])
    expect(openKinds(replica)).toEqual(['broadcastchannel'])
    const newcomer = await person('carol', alice.groupId)
    await connect(newcomer, key, namespace)
    await until('carol has the history', () => listMessages(newcomer.gate, general).messages.length === 1)
  })
})

describe('replica: transports added and removed while the group is open', () => {
  /** A real BroadcastChannel as a peer-to-peer transport reaching others (a delivery counts). */
  const peerNet = (namespace: string, kind = 'webrtc') => renamed(kind, namespace)

  it('an added transport carries the group at once; a removed one carries nothing more', async () => {
    const namespace = `live-test-${run++}-${Date.now()}`
    const { owner: alice, key, general } = await groupOf()
    await alice.actions.send(general, 'before any network')
    const a = await connectWith(alice, key, [])
    expect(openKinds(a)).toEqual([])
    // Alice has nothing to send on: her message waits.
    void alice.actions.send(general, 'sent while alone')
    await until('pending', () => a.pending().length === 1)

    const carol = await person('carol', alice.groupId)
    await connectWith(carol, key, [peerNet(namespace)])
    const net = peerNet(namespace)
    await a.addTransport(net)
    expect(openKinds(a)).toEqual(['webrtc'])
    await until('carol has the history', () => listMessages(carol.gate, general).messages.length === 2)
    await until('what waited is delivered', () => a.pending().length === 0)
    await alice.actions.send(general, 'live')
    await until('carol has it', () => listMessages(carol.gate, general).messages.length === 3)

    await a.removeTransport(net)
    expect(openKinds(a)).toEqual([])
    void alice.actions.send(general, 'after removal')
    await new Promise((r) => setTimeout(r, 200))
    expect(listMessages(carol.gate, general).messages.map((m) => m.body)).not.toContain('after removal')
    expect(a.pending()).toHaveLength(1)
    // Adding the same transport twice opens it once.
    const again = peerNet(namespace)
    await Promise.all([a.addTransport(again), a.addTransport(again)])
    expect(openKinds(a)).toEqual(['webrtc'])
    await until('carol has it now', () => listMessages(carol.gate, general).messages.length === 4)
  })

  it('a transport added for a mode opens only while the group is in that mode', async () => {
    const namespace = `live-mode-test-${run++}-${Date.now()}`
    const { owner: alice, key } = await groupOf()
    const a = await Replica.start({
      gate: alice.gate,
      session: alice.session,
      key,
      storage: new MemoryStorage(),
      transports: [],
      modes: { mesh: [], libp2p: [] },
    })
    started.push(a)
    expect(a.transportMode()).toBe('mesh')
    const mesh = peerNet(`${namespace}-mesh`, 'mesh')
    await a.addTransport(peerNet(`${namespace}-libp2p`, 'libp2p'), 'libp2p')
    await a.addTransport(mesh, 'mesh')
    expect(openKinds(a)).toEqual(['mesh'])
    await a.removeTransport(mesh)
    expect(openKinds(a)).toEqual([])
  })
})
