// The Replica as the one owner of delivery: it takes the session's envelopes (those signed before it
// started too), keeps the messages they carry pending across a restart, says when they are delivered,
// and settles every delivery when it closes. Over BroadcastChannel (a real in-process channel).
import { afterEach, describe, expect, it } from 'vitest'
import { createGroup, openGroup } from '../group/create'
import { listMessages } from '../group/history'
import { Identity } from '../identity/identity'
import { MemoryStorage } from '../storage/memory'
import { until } from '../../test/until'
import { Replica, type ReplicaOptions } from './replica'
import type { Transport } from './transport'
import { BroadcastChannelTransport } from './transports/broadcast-channel'

const started: Replica[] = []
afterEach(async () => {
  for (const r of started.splice(0)) await r.close()
})

let run = 0
/** A BroadcastChannel standing in for a peer-to-peer network that reaches someone else. */
function peers(namespace: string): Transport {
  const inner = new BroadcastChannelTransport({ namespace })
  return {
    id: 'peers',
    kind: 'webrtc',
    durable: false,
    sameUser: false,
    open: (a, h) => inner.open(a, h),
    close: () => inner.close(),
  }
}

async function start(options: ReplicaOptions): Promise<Replica> {
  const replica = await Replica.start(options)
  started.push(replica)
  return replica
}

describe('replica: the one owner of delivery', () => {
  it('delivers what the session signed before it started (a new group’s genesis)', async () => {
    const namespace = `delivery-${run++}-${Date.now()}`
    const identity = await Identity.create()
    // No sender: the genesis waits in the session.
    const created = await createGroup(identity, { name: 'Early' })
    const storage = new MemoryStorage()
    const alice = await start({
      gate: created.gate,
      session: created.session,
      key: created.key,
      storage,
      transports: [peers(namespace)],
    })
    expect(alice.pending().length).toBeGreaterThan(0)
    const bob = await openGroup(await Identity.create(), created.groupId)
    await start({
      gate: bob.gate,
      key: created.key,
      storage: new MemoryStorage(),
      transports: [peers(namespace)],
    })
    await until('bob has the group', () => bob.gate.authority().info?.name === 'Early')
    await until('nothing pending', () => alice.pending().length === 0)
  })

  it('keeps a message pending across a restart, by its id, until a peer gets it', async () => {
    const namespace = `delivery-${run++}-${Date.now()}`
    const identity = await Identity.create()
    const created = await createGroup(identity, { name: 'Offline' })
    const general = created.panelIds[0]!
    const storage = new MemoryStorage()
    const first = await start({
      gate: created.gate,
      session: created.session,
      key: created.key,
      storage,
      transports: [],
    })
    const { id } = await created.actions.send(general, 'written offline')
    expect([...first.pendingMessages(general)]).toEqual([id])
    const closed = first.deliver(first.pending()[0]!)
    await first.close()
    // Closing settles every delivery waited for, instead of leaving it hanging.
    expect(await closed).toBe('closed')

    // The same device again, over the same storage.
    const again = await openGroup(identity, created.groupId)
    const second = await start({
      gate: again.gate,
      session: again.session,
      key: created.key,
      storage,
      transports: [],
    })
    expect([...second.pendingMessages(general)]).toEqual([id])
    const delivered: string[] = []
    second.on('delivered', (_envelope, carries) => delivered.push(...carries))

    const bob = await openGroup(await Identity.create(), created.groupId)
    await start({
      gate: bob.gate,
      key: created.key,
      storage: new MemoryStorage(),
      transports: [peers(namespace)],
    })
    await second.addTransport(peers(namespace))
    await until('bob has the message', () => listMessages(bob.gate, general).messages.length === 1)
    await until('delivered', () => delivered.includes(id))
    expect(second.pendingMessages(general).size).toBe(0)
  })

  it('a tab of the same person does not count as delivery', async () => {
    const namespace = `delivery-${run++}-${Date.now()}`
    const identity = await Identity.create()
    const created = await createGroup(identity, { name: 'Tabs' })
    const general = created.panelIds[0]!
    const alice = await start({
      gate: created.gate,
      session: created.session,
      key: created.key,
      storage: new MemoryStorage(),
      transports: [new BroadcastChannelTransport({ namespace })],
    })
    const tab = await openGroup(identity, created.groupId)
    await start({
      gate: tab.gate,
      key: created.key,
      storage: new MemoryStorage(),
      transports: [new BroadcastChannelTransport({ namespace })],
    })
    const { id } = await created.actions.send(general, 'only my tabs saw this')
    await until('the other tab has it', () => listMessages(tab.gate, general).messages.length === 1)
    expect(alice.pendingMessages(general).has(id)).toBe(true)
    expect(alice.status().peers).toBe(0)
  })
})
