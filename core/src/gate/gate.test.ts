import { describe, expect, it } from 'vitest'
import { encodedState, groupOf, join, person, sync } from '../../test/peers'
import { samePersonIn } from '../../test/views-helpers'
import { encodeEnvelope } from '../envelope/envelope'
import { GROUP_DOC_ID } from '../group/documents'
import { listMessages } from '../group/history'

describe('gate: honest peers', () => {
  it('a joined member sees the group and messages flow both ways', async () => {
    const { owner: alice, general } = await groupOf()
    const bob = await person('bob', alice.groupId)
    await join(alice, bob)
    expect(bob.gate.authority().info?.name).toBe('Tailmesh team')
    const { id: id } = await alice.actions.send(general, 'hello bob')
    const verdicts = await sync(alice, bob)
    expect(verdicts.map((v) => v.kind)).toContain('accept')
    expect(bob.actions.message(general, id)?.body).toBe('hello bob')
    const { id: reply } = await bob.actions.reply(general, id, 'hi alice')
    await sync(bob, alice)
    expect(alice.actions.message(general, reply)?.replyTo?.excerpt).toBe('hello bob')
  })
})

describe('gate: restoring what this device stored', () => {
  it('comes back with identical documents, keeps held envelopes aside, and judges new ones as before', async () => {
    const { owner: alice, general } = await groupOf()
    const bob = await person('bob', alice.groupId)
    await join(alice, bob)
    for (let i = 0; i < 5; i++) await alice.actions.send(general, `before reload ${i}`)
    // A message from Carol, who is not a member yet: Bob holds it aside.
    const carol = await person('carol', alice.groupId)
    await sync(alice, carol)
    const { secret } = await alice.actions.createInvite({ maxUses: 1 })
    await sync(alice, carol)
    await carol.actions.join(secret)
    await carol.actions.send(general, 'from carol')
    await sync(alice, bob)
    const carolsMessage = carol.outbox[carol.outbox.length - 1]!
    expect((await bob.gate.receive(encodeEnvelope(carolsMessage))).kind).toBe('defer')

    const stored = [
      ...[...bob.gate.accepted()].map((envelope) => ({ envelope, accepted: true })),
      ...bob.gate.deferred().map(({ envelope }) => ({ envelope, accepted: false })),
    ]
    const again = await samePersonIn('bob', bob.identity, alice.groupId)
    await again.gate.restore(stored)
    expect(encodedState(again)).toEqual(encodedState(bob))
    expect(again.gate.deferred().map((d) => d.reason)).toEqual([expect.stringMatching(/not a member/)])

    // Carol's join arrives: the held message is accepted, as it would have been without the reload.
    await sync(carol, again)
    expect(again.gate.deferred()).toEqual([])
    expect(listMessages(again.gate, general).messages.map((m) => m.body)).toContain('from carol')
    // The restored peer still refuses what it refused before (Carol cannot edit Alice's message).
    const id = listMessages(again.gate, general).messages[0]!.id
    const rogue = await person('carol', alice.groupId, { skipLocalChecks: true })
    await sync(again, rogue)
    await rogue.actions.edit(general, id, 'rewritten').catch(() => undefined)
    const forged = rogue.outbox.filter((e) => e.docId !== GROUP_DOC_ID)
    for (const v of await again.gate.receiveMany(forged.map(encodeEnvelope)))
      expect(v.kind).not.toBe('accept')
  })
})
