import { describe, expect, it } from 'vitest'
import { groupOf, join, person, sync } from '../../test/peers'
import { listMessages } from './history'

describe('session: local edits become envelopes', () => {
  it('sends one envelope per message when each send is awaited (no added delay)', async () => {
    const { owner: alice, general } = await groupOf()
    const before = alice.outbox.length
    for (let i = 0; i < 3; i++) await alice.actions.send(general, `one at a time ${i}`)
    expect(alice.outbox.length - before).toBe(3)
  })

  it('merges a burst of sends into few envelopes that peers receive whole and in order', async () => {
    const { owner: alice, general } = await groupOf()
    const bob = await person('bob', alice.groupId)
    await join(alice, bob)
    const before = alice.outbox.length

    const bodies = Array.from({ length: 20 }, (_, i) => `burst ${i}`)
    const ids = await Promise.all(bodies.map((b) => alice.actions.send(general, b)))

    const envelopes = alice.outbox.slice(before)
    // Sends made before the first envelope is signed share it; later ones share the next.
    expect(envelopes.length).toBeLessThanOrEqual(2)
    expect(new Set(ids).size).toBe(20)
    expect((await sync(alice, bob)).every((v) => v.kind === 'accept')).toBe(true)
    expect(listMessages(bob.gate, general).messages.map((m) => m.body)).toEqual(bodies)
    expect(listMessages(alice.gate, general).messages.map((m) => m.body)).toEqual(bodies)
  })
})
