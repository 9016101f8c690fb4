// recordLocal judges this peer's own edit where every other peer judges it: at its place in the
// timeline, against the document as the accepted envelopes make it. These tests interleave a remote
// envelope between a local edit (already in the document) and its record — what happens whenever a
// receive is judged while the session signs — and check that the author's own peer ends with the
// verdicts and documents of everyone else.

import { describe, expect, it, vi } from 'vitest'
import { encodeEnvelope, type Envelope } from '../envelope/envelope'
import { EVERYONE_ROLE } from '../group/documents'
import {
  acceptedIds,
  encodedState,
  groupOf,
  idOf,
  join,
  person,
  snapshot,
  sync,
  type Person,
} from '../../test/peers'

/** Runs `edit`; the first envelope `who` records afterwards is recorded only once `meanwhile` ran. */
async function whileSigning<T>(
  who: Person,
  meanwhile: () => Promise<unknown>,
  edit: () => Promise<T>,
): Promise<T> {
  const record = who.gate.recordLocal.bind(who.gate)
  const spy = vi.spyOn(who.gate, 'recordLocal').mockImplementationOnce(async (envelope: Envelope) => {
    await meanwhile()
    return record(envelope)
  })
  try {
    return await edit()
  } finally {
    spy.mockRestore()
  }
}

const deliver = (to: Person, envelopes: Envelope[]) => to.gate.receiveMany(envelopes.map(encodeEnvelope))

/** Everything each one produced reaches the other (twice, in both orders): nothing new is left. */
async function exchange(a: Person, b: Person): Promise<void> {
  for (let i = 0; i < 2; i++) {
    await deliver(b, a.outbox)
    await deliver(a, [...b.outbox].reverse())
  }
}

/**
 * Alice's group with Bob and Carol, and a #stage only a "speaker" may write in. Carol runs a modified
 * client: it signs what her own peer would refuse.
 */
async function stageGroup() {
  const { owner: alice } = await groupOf()
  const bob = await person('bob', alice.groupId)
  const carol = await person('carol', alice.groupId, { skipLocalChecks: true })
  await join(alice, bob)
  await join(alice, carol)
  const speaker = await alice.actions.createRole({ name: 'speaker', points: ['message'] })
  const stage = await alice.actions.createPanel({
    name: 'stage',
    overrides: {
      roles: {
        [EVERYONE_ROLE]: { allow: [], deny: ['message'] },
        [speaker]: { allow: ['message'], deny: [] },
      },
    },
  })
  await sync(alice, bob)
  await sync(alice, carol)
  return { alice, bob, carol, speaker, stage }
}

describe('gate: a local edit recorded after a concurrent receive', () => {
  it('a removal of a struct the receive took out of the document is held, as every other peer holds it', async () => {
    const { owner: alice, general } = await groupOf()
    const bob = await person('bob', alice.groupId)
    await join(alice, bob)
    const { id: hello } = await alice.actions.send(general, 'hello')
    await deliver(bob, alice.outbox)

    // Alice mutes Bob; Bob has not heard of it when he reacts, at a later time.
    await alice.actions.mute(bob.identity.userId, 60_000)
    const mute = alice.outbox[alice.outbox.length - 1]!
    bob.session.clock.observe(mute.hlc)
    await bob.actions.react(general, hello, '👍')
    const reaction = bob.outbox[bob.outbox.length - 1]!
    expect(bob.gate.deferred()).toEqual([])

    // Bob takes the reaction back; the mute is judged while the removal is being signed. It refuses the
    // reaction (Bob was muted) and rebuilds the panel's document without it: the removal now removes a
    // struct this document does not hold, and no other peer can apply it either.
    await whileSigning(
      bob,
      () => deliver(bob, [mute]),
      () => bob.actions.unreact(general, hello, '👍'),
    )
    const removal = bob.outbox[bob.outbox.length - 1]!
    expect(removal).not.toBe(reaction)

    await exchange(alice, bob)
    const held = (p: Person) =>
      p.gate.deferred().map((d) => [idOf(d.envelope), d.reason.startsWith('missing dependency')])
    expect(held(alice)).toEqual([
      [idOf(reaction), false],
      [idOf(removal), true],
    ])
    expect(held(bob)).toEqual(held(alice))
    expect(acceptedIds(bob)).toEqual(acceptedIds(alice))
    expect(snapshot(bob)).toEqual(snapshot(alice))
    expect(encodedState(bob)).toEqual(encodedState(alice))
  })

  it('a removal of a struct the rebuilt document still holds is applied, as every other peer applies it', async () => {
    const { owner: alice, general } = await groupOf()
    const bob = await person('bob', alice.groupId)
    await join(alice, bob)
    const { id: hello } = await alice.actions.send(general, 'hello')
    await deliver(bob, alice.outbox)

    // Bob reacts before the mute (Alice has it when she mutes him: the mute does not claim it); his
    // message comes after it (he has not heard of it yet).
    await bob.actions.react(general, hello, '👍')
    await deliver(alice, bob.outbox.slice(-1))
    await alice.actions.mute(bob.identity.userId, 60_000)
    const mute = alice.outbox[alice.outbox.length - 1]!
    bob.session.clock.observe(mute.hlc)
    await bob.actions.send(general, 'while muted')

    // The mute, judged while Bob's removal of his reaction is signed, refuses the message and rebuilds
    // the document: the reaction is in it again, the removal not yet.
    await whileSigning(
      bob,
      () => deliver(bob, [mute]),
      () => bob.actions.unreact(general, hello, '👍'),
    )

    await exchange(alice, bob)
    expect(bob.gate.deferred().map((d) => d.reason)).toEqual([expect.stringMatching(/muted|permission/)])
    expect(acceptedIds(bob)).toEqual(acceptedIds(alice))
    expect(snapshot(bob)).toEqual(snapshot(alice))
    expect(encodedState(bob)).toEqual(encodedState(alice))
  })

  it('an accepted local group edit lets held envelopes after it in, as its arrival does elsewhere', async () => {
    const { alice, bob, carol, speaker, stage } = await stageGroup()

    // Carol speaks on the stage before she may, her clock a second ahead of Alice's: both hold it.
    carol.session.clock.observe(alice.session.clock.last + 4096 * 1000)
    await carol.actions.send(stage, 'too early')
    const early = carol.outbox[carol.outbox.length - 1]!
    await deliver(alice, [early])
    await deliver(bob, [early])
    expect(alice.gate.deferred().map((d) => idOf(d.envelope))).toEqual([idOf(early)])

    // Alice makes her a speaker, dated before the message (her clock never saw it): every peer that
    // receives the grant lets the message in; so must Alice's own peer, which records it.
    await alice.actions.assignRole(carol.identity.userId, speaker)
    expect(alice.outbox[alice.outbox.length - 1]!.hlc).toBeLessThan(early.hlc)
    await exchange(alice, bob)
    expect(bob.gate.deferred()).toEqual([])
    expect(alice.gate.deferred()).toEqual([])
    expect(acceptedIds(alice)).toEqual(acceptedIds(bob))
    expect(snapshot(alice)).toEqual(snapshot(bob))
  })

  it('a receive judged while a local group edit is signed is not judged with that edit', async () => {
    const { alice, bob, carol, speaker, stage } = await stageGroup()

    // Carol speaks on the stage before she may; Alice makes her a speaker afterwards, and the message
    // reaches Alice while the grant is being signed (it is in her group document, not yet recorded).
    await carol.actions.send(stage, 'too early')
    const early = carol.outbox[carol.outbox.length - 1]!
    alice.session.clock.observe(early.hlc)
    await whileSigning(
      alice,
      () => deliver(alice, [early]),
      () => alice.actions.assignRole(carol.identity.userId, speaker),
    )
    expect(alice.outbox[alice.outbox.length - 1]!.hlc).toBeGreaterThan(early.hlc)
    await deliver(bob, [early])
    await exchange(alice, bob)
    // Dated before the grant, the message is held everywhere: on Alice's peer too.
    expect(bob.gate.deferred().map((d) => idOf(d.envelope))).toEqual([idOf(early)])
    expect(alice.gate.deferred().map((d) => idOf(d.envelope))).toEqual([idOf(early)])
    expect(acceptedIds(alice)).toEqual(acceptedIds(bob))
    expect(snapshot(alice)).toEqual(snapshot(bob))
  })
})
