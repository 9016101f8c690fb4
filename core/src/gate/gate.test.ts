import { describe, expect, it } from 'vitest'
import { groupOf, join, person, sync } from '../../test/peers'

describe('gate: honest peers', () => {
  it('a joined member sees the group and messages flow both ways', async () => {
    const { owner: alice, general } = await groupOf()
    const bob = await person('bob', alice.groupId)
    await join(alice, bob)
    expect(bob.gate.authority().info?.name).toBe('Tailmesh team')
    const id = await alice.actions.send(general, 'hello bob')
    const verdicts = await sync(alice, bob)
    expect(verdicts.map((v) => v.kind)).toContain('accept')
    expect(bob.actions.message(general, id)?.body).toBe('hello bob')
    const reply = await bob.actions.reply(general, id, 'hi alice')
    await sync(bob, alice)
    expect(alice.actions.message(general, reply)?.replyTo?.excerpt).toBe('hello bob')
  })
})
