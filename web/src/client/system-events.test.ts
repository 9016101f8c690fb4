// The system rows' events read from a real group document that two members hold: Alice's group,
// Bob and Carol join by her invite, Bob is muted then kicked, Carol banned — the same list on
// Alice's device and on Dave's, who only received the envelopes.
import { describe, expect, it } from 'vitest'
import {
  Identity,
  createGroup,
  encodeEnvelope,
  openGroup,
  type Envelope,
  type OpenGroup,
} from '@tailmesh/core'
import { systemEvents } from './system-events'

interface Member extends OpenGroup {
  id: string
  outbox: Envelope[]
}

async function member(groupId: string): Promise<Member> {
  const identity = await Identity.create()
  const outbox: Envelope[] = []
  return {
    id: identity.userId,
    outbox,
    ...(await openGroup(identity, groupId, { send: (e) => outbox.push(e) })),
  }
}

/** Hands `to` every envelope `from` accepted that `to` lacks. */
async function sync(from: OpenGroup, to: OpenGroup): Promise<void> {
  await to.gate.receiveMany([...from.gate.accepted()].map(encodeEnvelope))
}

describe('system events', () => {
  it('joins with whose invite, a mute with its length, a kick and a ban, in order, the same for everyone', async () => {
    const aliceId = await Identity.create()
    const alice = await createGroup(aliceId, { name: 'Quay' }, { send: () => {} })
    const [bob, carol, dave] = [
      await member(alice.groupId),
      await member(alice.groupId),
      await member(alice.groupId),
    ]
    for (const who of [bob, carol, dave]) {
      const { secret } = await alice.actions.createInvite()
      await sync(alice, who)
      await who.actions.join(secret)
      await sync(who, alice)
    }
    await alice.actions.mute(bob.id, 10 * 60_000)
    await alice.actions.kick(bob.id)
    await alice.actions.ban(carol.id)
    await sync(alice, dave)

    const seen = systemEvents(alice.gate.authority())
    expect(seen.map((e) => [e.kind, e.who])).toEqual([
      ['join', bob.id],
      ['join', carol.id],
      ['join', dave.id],
      ['mute', bob.id],
      ['kick', bob.id],
      ['ban', carol.id],
    ])
    expect(seen.filter((e) => e.kind === 'join').every((e) => e.via === aliceId.userId)).toBe(true)
    expect(seen.find((e) => e.kind === 'mute')).toMatchObject({ minutes: 10, by: aliceId.userId })
    expect(seen.find((e) => e.kind === 'kick')).toMatchObject({ by: aliceId.userId })
    // Dave, who only received the envelopes, reads the same events.
    expect(systemEvents(dave.gate.authority())).toEqual(seen)
  })
})
