// Pinned messages: who may pin, and that every peer's gate holds a pin to the same rule as the
// pinner's own client (a modified client that skips its checks changes nobody's pins).

import { beforeEach, describe, expect, it } from 'vitest'
import { PermissionDeniedError } from '../errors'
import { groupOf, join, person, sync, type Person } from '../../test/peers'
import { encodeEnvelope } from '../envelope/envelope'
import { pinMessage, pinsOf, unpinMessage } from './pins'

let alice: Person
let carol: Person
let bob: Person
let general: string

beforeEach(async () => {
  const g = await groupOf()
  alice = g.owner
  general = g.general
  carol = await person('carol', alice.groupId)
  bob = await person('bob', alice.groupId, { skipLocalChecks: true })
  await join(alice, carol)
  await join(alice, bob)
  await sync(alice, carol)
  await sync(alice, bob)
})

const pinned = (p: Person) => pinsOf(p.session, general).map((x) => x.messageId)

describe('pinned messages', () => {
  it('the owner pins and unpins; every member sees the same list, newest pin first', async () => {
    const first = await alice.actions.send(general, 'rules: be kind')
    const second = await carol.actions.send(general, 'meeting at 10')
    await sync(carol, alice)
    await pinMessage(alice.actions, general, first.id)
    await pinMessage(alice.actions, general, second.id)
    await sync(alice, carol)
    expect(pinned(carol)).toEqual([second.id, first.id])
    expect(pinsOf(carol.session, general)[0]?.by).toBe(alice.identity.userId)
    await unpinMessage(alice.actions, general, second.id)
    await sync(alice, carol)
    expect(pinned(carol)).toEqual([first.id])
  })

  it('a member without pinMessage cannot pin: their client refuses, and every peer refuses it', async () => {
    const { id } = await alice.actions.send(general, 'pin me')
    await sync(alice, carol)
    await expect(pinMessage(carol.actions, general, id)).rejects.toBeInstanceOf(PermissionDeniedError)

    // Bob's modified client skips the check and signs the pin anyway.
    await sync(alice, bob)
    await pinMessage(bob.actions, general, id, { skipLocalChecks: true })
    const forged = bob.outbox[bob.outbox.length - 1]!
    for (const peer of [alice, carol]) {
      const [v] = await peer.gate.receiveMany([encodeEnvelope(forged)])
      expect(v?.kind).toBe('defer')
      if (v?.kind !== 'accept') expect(v?.reason).toMatch(/pinning messages needs "pinMessage"/)
      expect(pinned(peer)).toEqual([])
    }
    // His own gate refused it too: even his screen shows no pin.
    expect(pinned(bob)).toEqual([])
  })

  it('a role with pinMessage lets a member pin, and unpinning another member’s pin', async () => {
    const { id } = await alice.actions.send(general, 'pin me')
    const pinners = await alice.actions.createRole({ name: 'pinners', points: ['pinMessage'] })
    await alice.actions.assignRole(carol.identity.userId, pinners)
    await sync(alice, carol)
    await pinMessage(carol.actions, general, id)
    await sync(carol, alice)
    expect(pinned(alice)).toEqual([id])

    // Bob (no role) forges an unpin of Carol's pin: refused everywhere, the pin stays.
    await sync(alice, bob)
    await unpinMessage(bob.actions, general, id, { skipLocalChecks: true })
    const forged = bob.outbox[bob.outbox.length - 1]!
    const [v] = await alice.gate.receiveMany([encodeEnvelope(forged)])
    expect(v?.kind).not.toBe('accept')
    expect(pinned(alice)).toEqual([id])

    // The owner may unpin Carol's pin.
    await unpinMessage(alice.actions, general, id)
    await sync(alice, carol)
    expect(pinned(carol)).toEqual([])
  })

  it('a pin in a panel that has no messages (a category) is refused', async () => {
    const { id } = await alice.actions.send(general, 'x')
    const category = await alice.actions.createPanel({ name: 'cat', type: 'category' })
    await sync(alice, bob)
    await pinMessage(bob.actions, category, id, { skipLocalChecks: true })
    const [v] = await alice.gate.receiveMany([encodeEnvelope(bob.outbox[bob.outbox.length - 1]!)])
    expect(v?.kind).not.toBe('accept')
    if (v?.kind !== 'accept') expect(v?.reason).toMatch(/panel with messages/)
  })
})
