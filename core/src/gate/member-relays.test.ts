// The relays a member records in the group (MemberRecord.relays): written by that member only, and
// only as a short list of relay URLs an invite link could carry. Honest peers (Alice, the owner, and
// Carol) judge what Bob, running a modified client (skipLocalChecks), writes.
import { beforeEach, describe, expect, it } from 'vitest'
import { encodeEnvelope, type Envelope } from '../envelope/envelope'
import { GROUP_DOC_ID, GroupRoot } from '../group/documents'
import { inviteRelaysOf, relayKeepers, relaysOfMembers } from '../group/member-relays'
import { encodedState, groupOf, join, person, sync, type Person } from '../../test/peers'

let alice: Person
let carol: Person
let bob: Person

beforeEach(async () => {
  alice = (await groupOf()).owner
  carol = await person('carol', alice.groupId)
  bob = await person('bob', alice.groupId, { skipLocalChecks: true })
  await join(alice, carol)
  await join(alice, bob)
  await sync(alice, carol)
  await sync(alice, bob)
})

const relaysOf = (judge: Person, member: Person) =>
  judge.gate.authority().members.get(member.identity.userId)?.relays

/** Bob writes `relays` into the member record of `whose` as it stands, bypassing every local check. */
async function bobWrites(whose: Person, relays: unknown): Promise<Envelope> {
  const current = bob.gate.authority().members.get(whose.identity.userId)
  const e = await bob.session.transact(GROUP_DOC_ID, (doc) =>
    doc.getMap(GroupRoot.members).set(whose.identity.userId, { ...current, relays }),
  )
  return e!
}

/** Both honest peers refuse `e` with `reason`, and keep their documents as they were. */
async function refusedByAll(e: Envelope, reason: RegExp): Promise<void> {
  const before = [encodedState(alice), encodedState(carol)]
  for (const judge of [alice, carol]) {
    const [v] = await judge.gate.receiveMany([encodeEnvelope(e)])
    expect(v?.kind).not.toBe('accept')
    if (v && v.kind !== 'accept') expect(v.reason).toMatch(reason)
  }
  expect([encodedState(alice), encodedState(carol)]).toEqual(before)
}

describe("a member's relays in the group", () => {
  it('a member records its own relays, every peer sees them, and can change them again', async () => {
    await bob.actions.updateRelays(['https://relay-a.example', 'http://127.0.0.1:8787/tm'])
    await sync(bob, alice)
    await sync(bob, carol)
    expect(relaysOf(alice, bob)).toEqual(['https://relay-a.example', 'http://127.0.0.1:8787/tm'])
    expect(relaysOf(carol, bob)).toEqual(['https://relay-a.example', 'http://127.0.0.1:8787/tm'])
    // The rest of the record is kept as it was: still a member, same join.
    expect(alice.gate.authority().members.get(bob.identity.userId)?.joinedAt).toBe(
      bob.gate.authority().members.get(bob.identity.userId)?.joinedAt,
    )

    const writes = bob.outbox.length
    await bob.actions.updateRelays(['https://relay-a.example', 'http://127.0.0.1:8787/tm'])
    expect(bob.outbox.length).toBe(writes) // unchanged: nothing signed
    await bob.actions.updateRelays([])
    await sync(bob, alice)
    expect(relaysOf(alice, bob)).toBeUndefined()
  })

  it("a member writing another member's relays is refused, with the reason", async () => {
    await refusedByAll(
      await bobWrites(carol, ['https://bobs-relay.example']),
      /^invalid write: a member's record is written only by that member/,
    )
    expect(relaysOf(alice, carol)).toBeUndefined()
  })

  it('malformed relay lists are refused for good, with the reason', async () => {
    const cases: [unknown, RegExp][] = [
      ['https://one.example', /member relays must be a list of at most 4/],
      [['javascript:alert(1)'], /member relays\[0\] is not a relay URL/],
      [['wss://relay.example'], /member relays\[0\] is not a relay URL/],
      [['https://user:secret@relay.example'], /is not a relay URL/],
      [['https://relay.example/#frag'], /is not a relay URL/],
      [[`https://relay.example/${'x'.repeat(200)}`], /is not a relay URL/],
      [[42], /is not a relay URL/],
      [['a', 'b', 'c', 'd', 'e'].map((h) => `https://${h}.example`), /at most 4/],
      [['https://same.example', 'https://same.example'], /listed twice/],
    ]
    for (const [relays, reason] of cases) {
      const e = await bobWrites(bob, relays)
      await refusedByAll(e, reason)
      const [v] = await alice.gate.receiveMany([encodeEnvelope(e)])
      // Permanent: the gate remembers it refused this envelope for good.
      expect(v).toMatchObject({
        kind: 'reject',
        reason: expect.stringMatching(/refused before: invalid record/),
      })
    }
    expect(relaysOf(alice, bob)).toBeUndefined()
  })

  it('an honest client refuses a malformed list before signing anything', async () => {
    const honest = await person('dave', alice.groupId)
    await join(alice, honest)
    const writes = honest.outbox.length
    await expect(honest.actions.updateRelays(['ftp://relay.example'])).rejects.toThrow(/not a relay URL/)
    expect(honest.outbox.length).toBe(writes)
  })
})

describe('the relays an invite link names', () => {
  it("the inviter's own first, then the group's others most used, never the link's own relay, at most 4", async () => {
    const dave = await person('dave', alice.groupId)
    await join(alice, dave)
    await sync(alice, bob)
    await bob.actions.updateRelays(['https://app.example', 'https://b.example', 'https://z.example'])
    await carol.actions.updateRelays(['https://app.example', 'https://b.example', 'https://c.example'])
    await dave.actions.updateRelays(['https://app.example', 'https://d.example'])
    for (const p of [bob, carol, dave]) await sync(p, alice)
    const state = alice.gate.authority()
    expect(relaysOfMembers(state)).toEqual([
      { url: 'https://app.example', members: 3 },
      { url: 'https://b.example', members: 2 },
      { url: 'https://c.example', members: 1 },
      { url: 'https://d.example', members: 1 },
      { url: 'https://z.example', members: 1 },
    ])
    expect(
      inviteRelaysOf(state, ['https://app.example', 'https://mine.example'], ['https://app.example']),
    ).toEqual(['https://mine.example', 'https://b.example', 'https://c.example', 'https://d.example'])
    // A member who left no longer counts.
    await carol.actions.leave()
    await sync(carol, alice)
    expect(inviteRelaysOf(alice.gate.authority(), [], ['https://app.example'])).toEqual([
      'https://b.example',
      'https://d.example',
      'https://z.example',
    ])
  })
})

describe('who hands envelopes on to a relay their author does not use', () => {
  it('one member per relay, reached outwards from the relays the author uses; none for those it uses', async () => {
    const dave = await person('dave', alice.groupId)
    await join(alice, dave)
    await sync(alice, bob)
    await alice.actions.updateRelays(['https://a.example', 'https://b.example'])
    await bob.actions.updateRelays(['https://a.example'])
    await carol.actions.updateRelays(['https://b.example', 'https://c.example'])
    await dave.actions.updateRelays(['https://c.example'])
    for (const p of [bob, carol, dave]) await sync(p, alice)
    const state = alice.gate.authority()
    const id = (p: Person) => p.identity.userId
    // Bob's envelopes: A holds them; Alice (on A and B) fills B; then Carol (on B and C) fills C.
    expect(relayKeepers(state, id(bob))).toEqual(
      new Map([
        ['https://b.example', id(alice)],
        ['https://c.example', id(carol)],
      ]),
    )
    // Dave's: C holds them; Carol fills B; Alice fills A.
    expect(relayKeepers(state, id(dave))).toEqual(
      new Map([
        ['https://b.example', id(carol)],
        ['https://a.example', id(alice)],
      ]),
    )
    // Alice's go to A and B by herself: only C is filled by someone else.
    expect(relayKeepers(state, id(alice))).toEqual(new Map([['https://c.example', id(carol)]]))
  })

  it('of two members who could fill a relay, the one with the lower id does', async () => {
    await alice.actions.updateRelays(['https://a.example', 'https://c.example'])
    await carol.actions.updateRelays(['https://a.example', 'https://c.example'])
    await bob.actions.updateRelays(['https://a.example'])
    for (const p of [bob, carol]) await sync(p, alice)
    const [a, c] = [alice.identity.userId, carol.identity.userId]
    expect(relayKeepers(alice.gate.authority(), bob.identity.userId).get('https://c.example')).toBe(
      a < c ? a : c,
    )
  })

  it("a join names the joiner's relays from the start: others' gates take it, and hand on its envelopes", async () => {
    await alice.actions.updateRelays(['https://a.example', 'https://c.example'])
    const dave = await person('dave', alice.groupId)
    const { secret } = await alice.actions.createInvite({ maxUses: 1 })
    await sync(alice, dave)
    await dave.actions.join(secret, undefined, ['https://c.example'])
    await sync(dave, alice)
    const state = alice.gate.authority()
    expect(state.members.get(dave.identity.userId)?.relays).toEqual(['https://c.example'])
    expect(relayKeepers(state, dave.identity.userId)).toEqual(
      new Map([['https://a.example', alice.identity.userId]]),
    )
  })

  it('an author with no record is taken to use the relay its envelope came through', async () => {
    await alice.actions.updateRelays(['https://a.example', 'https://c.example'])
    await sync(alice, bob)
    const state = alice.gate.authority()
    expect(relayKeepers(state, bob.identity.userId)).toEqual(new Map())
    expect(relayKeepers(state, bob.identity.userId, ['https://a.example'])).toEqual(
      new Map([['https://c.example', alice.identity.userId]]),
    )
  })
})
