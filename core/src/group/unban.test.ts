// Lifting a ban lets the person come back by invite; it does not make them a member by itself. The
// ban took them out (and rotated the key past them), so until they join again nobody may list them,
// and their own device, which holds no newer key, must agree with everyone else's.
import { describe, expect, it } from 'vitest'
import { groupOf, join, person, sync } from '../../test/peers'
import { isMember, memberIds } from './authority-state'

describe('unban', () => {
  it('an unbanned person is no member until they join again, and then they are one for everyone', async () => {
    const { owner: alice } = await groupOf()
    const bob = await person('bob', alice.groupId)
    const carol = await person('carol', alice.groupId)
    await join(alice, bob)
    await join(alice, carol)
    const bobId = bob.identity.userId

    await alice.actions.ban(bobId)
    await alice.actions.unban(bobId)
    await sync(alice, carol)
    await sync(alice, bob)
    for (const p of [alice, carol, bob]) {
      const state = p.gate.authority()
      expect(state.bans.has(bobId), `${p.name} still sees the ban`).toBe(false)
      expect(isMember(state, bobId), `${p.name} lists bob as a member`).toBe(false)
      expect(memberIds(state)).not.toContain(bobId)
    }

    // A fresh invite lets him back, and every gate accepts the join.
    const { secret } = await alice.actions.createInvite()
    await sync(alice, bob)
    await bob.actions.join(secret)
    const verdicts = [...(await sync(bob, alice)), ...(await sync(bob, carol))]
    expect(verdicts.length).toBeGreaterThan(0)
    expect(verdicts.every((v) => v.kind === 'accept')).toBe(true)
    for (const p of [alice, carol, bob]) expect(isMember(p.gate.authority(), bobId), p.name).toBe(true)
  })

  it('a ban lifted and imposed again still keeps the person out', async () => {
    const { owner: alice } = await groupOf()
    const bob = await person('bob', alice.groupId)
    await join(alice, bob)
    const bobId = bob.identity.userId
    await alice.actions.ban(bobId)
    await alice.actions.unban(bobId)
    await alice.actions.ban(bobId)
    await sync(alice, bob)
    const { secret } = await alice.actions.createInvite()
    await sync(alice, bob)
    await expect(bob.actions.join(secret)).rejects.toThrow(/banned/)
    expect(isMember(alice.gate.authority(), bobId)).toBe(false)
  })
})
