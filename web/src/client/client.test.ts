// The client seam with a stand-in for the Replica: a loopback GroupSync that carries envelopes
// between two clients' gates, as transports will. Shows the seam is enough for two people to chat.
import { describe, expect, it } from 'vitest'
import type { Envelope, Gate } from '@tailmesh/core'
import { createTailmeshClient, memoryKeystore, memoryOnlySync, payloadOfLink, type GroupSync } from './index'

/** Every attached gate of every client on the "network" receives every delivered envelope. */
function loopback() {
  const gates = new Map<string, Set<Gate>>()
  const delivered: Envelope[] = []
  const sync = (): GroupSync => ({
    persistent: false,
    knownGroups: async () => [],
    attach: async ({ groupId, gate, session }) => {
      const here = gates.get(groupId) ?? new Set()
      gates.set(groupId, here)
      here.add(gate)
      // A newcomer gets what was already said, in order.
      await gate.receiveMany(delivered.filter((e) => e.groupId === groupId))
      // Envelopes reach the others at once, so nothing is ever pending.
      session?.sendTo((envelope) => {
        delivered.push(envelope)
        for (const g of here) if (g !== gate) void g.receive(envelope)
      })
      return {
        pendingMessages: () => new Set<string>(),
        keyring: () => [],
        addKey: async () => {},
        status: () => ({ online: true, durable: true, peers: 0, transports: [] }),
        onChange: () => () => {},
        close: async () => void here.delete(gate),
      }
    },
  })
  return { sync }
}

const flush = () => new Promise((r) => setTimeout(r, 20))

describe('TailmeshClient', () => {
  it('keeps the identity in its keystore', async () => {
    const keystore = memoryKeystore()
    const a = createTailmeshClient({ keystore, sync: memoryOnlySync() })
    expect(await a.loadIdentity()).toBeNull()
    const me = await a.createIdentity('  Alice ')
    expect(me.nickname).toBe('Alice')
    const again = createTailmeshClient({ keystore, sync: memoryOnlySync() })
    expect(await again.loadIdentity()).toEqual(me)
    await expect(a.createIdentity('x'.repeat(33))).rejects.toThrow(/nickname/)
  })

  it('creates a group with "general"; without a transport a sent message stays pending', async () => {
    const c = createTailmeshClient({ keystore: memoryKeystore(), sync: memoryOnlySync() })
    await c.createIdentity('Alice')
    const g = await c.createGroup('Team')
    expect(g.info()?.name).toBe('Team')
    const [general] = g.panels()
    expect(general?.name).toBe('general')
    const changes: string[] = []
    g.onChange((c) => changes.push(c.kind))
    const id = await g.send(general!.id, 'hello **world**')
    const [m] = g.messages(general!.id)
    expect(m).toMatchObject({ id, body: 'hello **world**', status: 'pending', author: c.me!.userId })
    expect(changes.length).toBeGreaterThan(0)
    expect(g.members()).toEqual([{ userId: c.me!.userId, nickname: 'Alice' }])
  })

  it('two clients: invite link, join, messages both ways, delivered status', async () => {
    const net = loopback()
    const alice = createTailmeshClient({ keystore: memoryKeystore(), sync: net.sync() })
    const bob = createTailmeshClient({ keystore: memoryKeystore(), sync: net.sync() })
    await alice.createIdentity('Alice')
    await bob.createIdentity('Bob')
    const ga = await alice.createGroup('Team')
    const general = ga.panels()[0]!.id
    await ga.send(general, 'hi')
    const link = await ga.createInviteLink('http://127.0.0.1:8787/')
    const payload = payloadOfLink(link)!
    await flush()

    const { handle: preview } = await bob.openInvite(payload)
    expect(preview.info()?.name).toBe('Team')
    expect(preview.isMember()).toBe(false)
    const gb = await bob.join(payload)
    expect(gb).toBe(preview)
    expect(gb.isMember()).toBe(true)
    await gb.send(general, 'hello alice')
    await flush()

    expect(ga.messages(general).map((m) => [m.body, m.status ?? 'delivered'])).toEqual([
      ['hi', 'delivered'],
      ['hello alice', 'delivered'],
    ])
    expect(
      ga
        .members()
        .map((m) => m.nickname)
        .sort(),
    ).toEqual(['Alice', 'Bob'])
    expect(gb.messages(general).map((m) => ga.nickname(m.author))).toEqual(['Alice', 'Bob'])
  })
})
