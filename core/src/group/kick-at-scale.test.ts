// Removal in a large group (issue 18): a kick among 5,000 members rotates the key in parts of 1,000
// wraps per record, every remaining member can open the new key, and the removed one cannot.

import { describe, expect, it } from 'vitest'
import { crowd } from '../../test/crowd'
import { groupOf, person, sync } from '../../test/peers'
import { encodeEnvelope } from '../envelope/envelope'
import { keyRecipients } from './authority-state'
import { openKeyring } from './keyring'
import { LIMITS, parseKeyRotationPartKey } from './records'

const MEMBERS = 5000

describe('kick at 5,000 members', () => {
  it('rotates the key for the 5,000 who stay, in parts; they open it and the kicked member does not', async () => {
    const { owner: alice, key } = await groupOf()
    const { secret } = await alice.actions.createInvite({})
    const { identities, joins } = await crowd(alice, secret, MEMBERS)
    const eve = await person('eve', alice.groupId)
    await sync(alice, eve)
    await eve.actions.join(secret)
    // The owner takes every join in through the gate, in catch-up batches.
    for (let i = 0; i < joins.length; i += 500)
      for (const v of await alice.gate.receiveMany(joins.slice(i, i + 500).map(encodeEnvelope)))
        expect(v.kind).toBe('accept')
    await sync(eve, alice)
    expect(keyRecipients(alice.gate.authority())).toHaveLength(MEMBERS + 2)

    await alice.actions.kick(eve.identity.userId)
    const state = alice.gate.authority()
    expect(keyRecipients(state)).toHaveLength(MEMBERS + 1)
    const parts = [...state.keyParts].map((k) => parseKeyRotationPartKey(k)!)
    expect(parts.length).toBe(Math.ceil((MEMBERS + 1) / LIMITS.keyRecipients) - 1)
    const [rotation] = [...state.rotations.values()]
    expect(Object.keys(rotation!.wrapped)).toHaveLength(MEMBERS + 1)
    expect(rotation!.wrapped[eve.identity.userId]).toBeUndefined()

    // Whatever Eve's device receives, nothing in the record opens for her.
    const eveRing = await openKeyring(
      state,
      alice.groupId,
      eve.identity.userId,
      await eve.identity.boxKeys(),
      key,
    )
    expect(eveRing.keys).toHaveLength(1)
    // The first joiner and the last open the new key from the owner's record of it.
    const ring = await openKeyring(
      state,
      alice.groupId,
      alice.identity.userId,
      await alice.identity.boxKeys(),
      key,
    )
    for (const member of [identities[0]!, identities[MEMBERS - 1]!]) {
      const theirs = await openKeyring(state, alice.groupId, member.userId, await member.boxKeys(), key)
      expect(theirs.current.raw).toEqual(ring.current.raw)
      expect(theirs.current.raw).not.toEqual(key.raw)
    }
  }, 300_000)
})
