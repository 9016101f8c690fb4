// Order-independence: the gate's verdicts depend on the envelopes and the group's authority history
// at their places (timestamps, and what a sanction's author had seen), never on arrival order. Honest peers that have seen the same envelopes hold
// byte-identical documents.

import { describe, expect, it } from 'vitest'
import { encodeEnvelope, type Envelope } from '../envelope/envelope'
import { openGroup } from '../group/create'
import { EVERYONE_ROLE } from '../group/documents'
import {
  acceptedIds,
  encodedState,
  groupOf,
  join,
  person,
  snapshot,
  sync,
  type Person,
} from '../../test/peers'

const deliver = (to: Person, envelopes: Envelope[]) => to.gate.receiveMany(envelopes.map(encodeEnvelope))
const last = (p: Person): Envelope => p.outbox[p.outbox.length - 1]!
/** Lets wall-clock time move on, so the next action is dated after the previous one on any clock. */
const tick = () => new Promise((r) => setTimeout(r, 5))

async function announcementGroup() {
  const { owner: alice, general } = await groupOf()
  const people = await Promise.all(['bob', 'carol', 'dave'].map((n) => person(n, alice.groupId)))
  const [bob, carol, dave] = people as [Person, Person, Person]
  for (const p of people) await join(alice, p)
  const speaker = await alice.actions.createRole({
    name: 'speaker',
    points: ['deleteMessage', 'groupDetail'],
  })
  // An announcement panel: everyone may read, only speakers may send.
  const news = await alice.actions.createPanel({
    name: 'announcements',
    overrides: {
      roles: {
        [EVERYONE_ROLE]: { allow: [], deny: ['message'] },
        [speaker]: { allow: ['message'], deny: [] },
      },
    },
  })
  await alice.actions.assignRole(bob.identity.userId, speaker)
  for (const p of people) await sync(alice, p)
  return { alice, bob, carol, dave, general, news, speaker }
}

describe('a role revoked concurrently with the revoked member acting', () => {
  it('revocation first (by timestamp): every peer refuses the message, whatever the arrival order', async () => {
    const { alice, bob, carol, dave, news, speaker } = await announcementGroup()
    expect(bob.actions.session.authority().assignments.get(bob.identity.userId)?.has(speaker)).toBe(true)
    await alice.actions.unassignRole(bob.identity.userId, speaker)
    const revoke = last(alice)
    await tick()
    // Bob has not heard of it yet and posts to the announcement panel.
    const { id: id } = await bob.actions.send(news, 'big news')
    const message = last(bob)
    expect(message.hlc).toBeGreaterThan(revoke.hlc)

    const [m1] = await deliver(carol, [message]) // Carol: message first, then revocation
    expect(m1?.kind).toBe('accept')
    expect(carol.actions.message(news, id)?.body).toBe('big news')
    await deliver(carol, [revoke])
    await deliver(dave, [revoke, message]) // Dave: revocation first
    await deliver(bob, [revoke])

    for (const p of [carol, dave, bob, alice]) {
      if (p !== alice) expect(p.actions.message(news, id)).toBeUndefined()
    }
    await deliver(alice, [message])
    expect(alice.actions.message(news, id)).toBeUndefined()
    expect(encodedState(carol)).toEqual(encodedState(dave))
    expect(snapshot(bob)).toEqual(snapshot(dave))
    expect(snapshot(alice)).toEqual(snapshot(carol))
    // Bob's client knows his message was not delivered, and says why.
    expect(bob.session.undelivered().map((u) => u.reason)).toEqual([expect.stringMatching(/"message"/)])
  })

  it('message first, and the revoker had received it: every peer accepts it, whatever the arrival order', async () => {
    const { alice, bob, carol, dave, news, speaker } = await announcementGroup()
    const { id: id } = await bob.actions.send(news, 'made it in time')
    const message = last(bob)
    await deliver(alice, [message])
    await tick()
    await alice.actions.unassignRole(bob.identity.userId, speaker)
    const revoke = last(alice)
    expect(message.hlc).toBeLessThan(revoke.hlc)
    await deliver(carol, [revoke, message])
    await deliver(dave, [message, revoke])
    for (const p of [carol, dave]) expect(p.actions.message(news, id)?.body).toBe('made it in time')
    expect(encodedState(carol)).toEqual(encodedState(dave))
  })

  it('message first, but the revoker had not received it: held on every peer (docs/adr/0009)', async () => {
    const { alice, bob, carol, dave, news, speaker } = await announcementGroup()
    const { id: id } = await bob.actions.send(news, 'in flight')
    const message = last(bob)
    await tick()
    await alice.actions.unassignRole(bob.identity.userId, speaker)
    const revoke = last(alice)
    expect(message.hlc).toBeLessThan(revoke.hlc)
    await deliver(carol, [revoke, message])
    await deliver(dave, [message, revoke])
    for (const p of [carol, dave]) {
      expect(p.actions.message(news, id)).toBeUndefined()
      expect(p.gate.deferred().map((d) => d.reason)).toEqual([
        expect.stringMatching(/written after a sanction its author had not seen \(a role taken away\)/),
      ])
    }
    expect(encodedState(carol)).toEqual(encodedState(dave))
  })

  it("a moderator's delete racing their demotion converges too", async () => {
    const { alice, bob, carol, dave, general, speaker } = await announcementGroup()
    const { id: id } = await carol.actions.send(general, 'controversial')
    for (const p of [alice, bob, dave]) await sync(carol, p)
    await alice.actions.unassignRole(bob.identity.userId, speaker)
    const revoke = last(alice)
    await tick()
    await bob.actions.deleteMessage(general, id)
    const del = last(bob)
    expect(revoke.hlc).toBeLessThan(del.hlc)
    await deliver(carol, [del, revoke])
    await deliver(dave, [revoke, del])
    expect(carol.actions.message(general, id)?.body).toBe('controversial')
    expect(dave.actions.message(general, id)?.body).toBe('controversial')
    expect(encodedState(carol)).toEqual(encodedState(dave))
  })

  it('a role grant that arrives after the message it allows lets the message in', async () => {
    const { alice, carol, dave, news, speaker } = await announcementGroup()
    await alice.actions.assignRole(carol.identity.userId, speaker)
    const grant = last(alice)
    await sync(alice, carol)
    const { id: id } = await carol.actions.send(news, 'my first announcement')
    const [v] = await deliver(dave, [last(carol)])
    expect(v).toEqual({ kind: 'defer', reason: expect.stringMatching(/"message"/) })
    await deliver(dave, [grant])
    expect(dave.actions.message(news, id)?.body).toBe('my first announcement')
  })
})

describe('concurrent joins beyond an invite usage limit', () => {
  it('admits the earliest joins by (time, envelope id) up to the limit, on every peer, whatever the arrival order', async () => {
    const { owner: alice } = await groupOf()
    const dave = await person('dave', alice.groupId)
    await join(alice, dave)
    const { secret } = await alice.actions.createInvite({ maxUses: 2 })
    const joiners = await Promise.all(['bob', 'carol', 'erin'].map((n) => person(n, alice.groupId)))
    // All three see the invite unused and join at about the same time.
    for (const p of joiners) await sync(alice, p)
    for (const p of joiners) await p.actions.join(secret)
    const joins = joiners.map(last)
    const order = [...joins].sort((a, b) =>
      a.hlc !== b.hlc ? a.hlc - b.hlc : idOfEnvelope(a) < idOfEnvelope(b) ? -1 : 1,
    )
    await sync(alice, dave)
    await deliver(alice, joins)
    await deliver(dave, [...joins].reverse())

    for (const p of [alice, dave]) {
      const members = p.gate.authority().members
      expect(members.has(order[0]!.author)).toBe(true)
      expect(members.has(order[1]!.author)).toBe(true)
      expect(members.has(order[2]!.author)).toBe(false)
      expect(p.gate.deferred().map((d) => d.reason)).toEqual([expect.stringMatching(/exhausted/)])
    }
    expect(encodedState(alice)).toEqual(encodedState(dave))
  })
})

const idOfEnvelope = (e: Envelope) => Buffer.from(e.signature).toString('base64url')

describe('joins by an unlimited invite, taken in out of order', () => {
  it('a newcomer holds what a peer that took everything in order holds, without walking per join', async () => {
    const { owner: alice, general } = await groupOf()
    const { secret } = await alice.actions.createInvite({})
    const joiners = await Promise.all(
      ['bob', 'carol', 'dave', 'erin', 'frank'].map((n) => person(n, alice.groupId)),
    )
    for (const p of joiners) await sync(alice, p)
    // Each joins, then speaks; Carol is given a role and moderates after it.
    for (const p of joiners) {
      await p.actions.join(secret)
      await tick()
    }
    const mods = await alice.actions.createRole({ name: 'mods', points: ['deleteMessage', 'groupDetail'] })
    const [bob, carol] = joiners as [Person, Person]
    for (const p of joiners) await sync(p, alice)
    await alice.actions.assignRole(carol.identity.userId, mods)
    for (const p of joiners) await sync(alice, p)
    for (const p of joiners) await p.actions.send(general, `hello from ${p.name}`)
    await sync(bob, carol)
    const { id } = (await bob.actions.send(general, 'spam')) ?? {}
    await sync(bob, carol)
    await carol.actions.deleteMessage(general, id!)
    const everything = [alice, ...joiners].flatMap((p) => p.outbox)

    const inOrder = await person('grace', alice.groupId)
    await deliver(
      inOrder,
      [...everything].sort((a, b) => a.hlc - b.hlc),
    )
    for (let run = 0; run < 4; run++) {
      const newcomer = await person(`newcomer ${run}`, alice.groupId)
      // The genesis first (nothing is judged without it), then everything else shuffled.
      const [genesis, ...rest] = [...everything].sort((a, b) => a.hlc - b.hlc)
      const shuffled = rest
        .map((e) => ({ e, k: Math.random() }))
        .sort((a, b) => a.k - b.k)
        .map(({ e }) => e)
      await deliver(newcomer, [genesis!])
      for (const e of shuffled) await deliver(newcomer, [e])
      expect(acceptedIds(newcomer)).toEqual(acceptedIds(inOrder))
      expect(encodedState(newcomer)).toEqual(encodedState(inOrder))
      expect(newcomer.actions.message(general, id!)?.deleted?.by).toBe(carol.identity.userId)
      expect(newcomer.gate.authority().members.size).toBe(6)
    }
  })
})

describe('two joins by one person', () => {
  it('the later join arriving first does not stay accepted once the earlier one arrives', async () => {
    const { owner: alice } = await groupOf()
    const { secret } = await alice.actions.createInvite({})
    const bob = await person('bob', alice.groupId)
    await sync(alice, bob)
    await bob.actions.join(secret)
    const first = last(bob)
    await tick()
    // Bob's other tab had not seen his join: it joins again, with another clientID.
    const sent: Envelope[] = []
    const tab = await openGroup(bob.identity, alice.groupId, { send: (e) => sent.push(e) })
    await deliver(tab as unknown as Person, alice.outbox)
    await tab.actions.join(secret)
    const second = sent[sent.length - 1]!
    expect(second.hlc).toBeGreaterThan(first.hlc)

    const inOrder = await person('carol', alice.groupId)
    await deliver(inOrder, [...alice.outbox, first, second])
    const reversed = await person('dave', alice.groupId)
    await deliver(reversed, [...alice.outbox, second, first])
    expect(acceptedIds(reversed)).toEqual(acceptedIds(inOrder))
    expect(encodedState(reversed)).toEqual(encodedState(inOrder))
  })
})
