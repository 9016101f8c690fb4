// Authority that does not trust the clock (docs/adr/0009, the hardening issue's finding 1): a
// sanction binds what its target signs without having seen it, whatever date that claims; mutual
// concurrent sanctions both stand; a key that numbers two envelopes alike is no longer trusted.
// Every test ends with the honest peers byte-identical.

import { beforeEach, describe, expect, it } from 'vitest'
import { encodeEnvelope, signEnvelope, type Envelope } from '../envelope/envelope'
import { EQUIVOCATED, UNSEEN_SANCTION } from './gate'
import {
  BackdatingClock,
  acceptedIds,
  encodedState,
  groupOf,
  idOf,
  join,
  person,
  sync,
  type Person,
} from '../../test/peers'

const DAY = 24 * 60 * 60 * 1000
const deliver = (to: Person, envelopes: Envelope[]) => to.gate.receiveMany(envelopes.map(encodeEnvelope))
const last = (p: Person): Envelope => p.outbox[p.outbox.length - 1]!
/** The first envelope `action` makes `p` sign (a ban is followed by a key rotation of its own). */
async function first(p: Person, action: () => Promise<unknown>): Promise<Envelope> {
  const n = p.outbox.length
  // A modified client goes on after signing whatever its own checks say later (a banned member's
  // key rotation fails locally: it is no longer a member).
  await action().catch(() => undefined)
  return p.outbox[n]!
}
const isMember = (p: Person, who: Person) => p.gate.authority().members.has(who.identity.userId)
const isBanned = (p: Person, who: Person) => p.gate.authority().bans.has(who.identity.userId)
const heldReasons = (p: Person, e: Envelope) =>
  p.gate
    .deferred()
    .filter((d) => idOf(d.envelope) === idOf(e))
    .map((d) => d.reason)

let alice: Person
let carol: Person
let eve: Person
let dave: Person
let general: string
let daveClock: BackdatingClock
let aliceClock: BackdatingClock

/**
 * Alice owns a group made 40 days ago; Eve and Dave are moderators (manageUser) who joined 39 days
 * ago; Carol is an honest member. Dave runs a modified client whose clock dates anything anywhere.
 */
beforeEach(async () => {
  aliceClock = new BackdatingClock()
  aliceClock.backdate(40 * DAY)
  const g = await groupOf('alice', { clock: aliceClock })
  alice = g.owner
  general = g.general
  carol = await person('carol', alice.groupId)
  daveClock = new BackdatingClock()
  daveClock.backdate(39 * DAY)
  dave = await person('dave', alice.groupId, { skipLocalChecks: true, clock: daveClock })
  aliceClock.backdate(39 * DAY)
  await join(alice, dave)
  daveClock.backdate(0)
  // The rest of the set-up an hour ago: back-dating by seconds below stays after it.
  aliceClock.backdate(60 * 60 * 1000)
  await join(alice, carol)
  const eveClock = new BackdatingClock()
  eveClock.backdate(60 * 60 * 1000)
  eve = await person('eve', alice.groupId, { clock: eveClock })
  await join(alice, eve)
  eveClock.backdate(0)
  const mod = await alice.actions.createRole({
    name: 'mod',
    points: ['groupDetail', 'manageUser', 'deleteMessage'],
  })
  await alice.actions.assignRole(eve.identity.userId, mod)
  await alice.actions.assignRole(dave.identity.userId, mod)
  aliceClock.backdate(0)
  for (const p of [carol, eve, dave]) await sync(alice, p)
})

/** Alice and Carol hold identical documents and verdicts. */
function honestAgree(): void {
  expect(encodedState(carol)).toEqual(encodedState(alice))
  expect(acceptedIds(carol)).toEqual(acceptedIds(alice))
}

describe('a sanction cannot be undone by back-dating', () => {
  it('counter-ban: Dave, having seen his ban, bans Eve dated before it — held everywhere', async () => {
    const eveBan = await first(eve, () => eve.actions.ban(dave.identity.userId))
    await deliver(dave, [eveBan])
    // 10 s back from his clock, which has observed Eve's ban: before it however slowly the test runs.
    daveClock.backdate(10_000)
    const daveBan = await first(dave, () => dave.actions.ban(eve.identity.userId))
    daveClock.backdate(0)
    expect(daveBan.hlc).toBeLessThan(eveBan.hlc)
    await dave.actions.send(general, 'free again')
    const later = last(dave)

    await deliver(alice, [eveBan, daveBan, later])
    await deliver(carol, [later, daveBan, eveBan])
    for (const p of [alice, carol]) {
      expect(isBanned(p, dave)).toBe(true)
      expect(isBanned(p, eve)).toBe(false)
      expect(isMember(p, eve)).toBe(true)
      expect(heldReasons(p, daveBan)).toEqual([expect.stringContaining(UNSEEN_SANCTION)])
      expect(heldReasons(p, later)).toHaveLength(1)
    }
    honestAgree()
  })

  it('counter-ban claiming not to have seen the ban (understated `seen`): both stand', async () => {
    const eveBan = await first(eve, () => eve.actions.ban(dave.identity.userId))
    await deliver(dave, [eveBan])
    // Dave's client lies about what it had seen: the two bans are then concurrent.
    dave.gate.seenFrontier = (users) => users.map((user) => ({ user, streams: [] }))
    daveClock.backdate(5000)
    const daveBan = await first(dave, () => dave.actions.ban(eve.identity.userId))
    daveClock.backdate(0)
    await dave.actions.send(general, 'after both')
    const later = last(dave)

    await deliver(alice, [eveBan, daveBan, later])
    await deliver(carol, [daveBan, later, eveBan])
    for (const p of [alice, carol]) {
      expect(isBanned(p, dave)).toBe(true)
      expect(isBanned(p, eve)).toBe(true)
      expect(heldReasons(p, later)).toHaveLength(1)
    }
    honestAgree()
  })

  it("a banned member's messages dated 1 s, 1 day and 38 days before the ban are held; seen ones stay", async () => {
    daveClock.backdate(2 * DAY)
    const { id: seenId } = await dave.actions.send(general, 'seen by Eve')
    const seen = last(dave)
    daveClock.backdate(0)
    await deliver(eve, [seen])
    const ban = await first(eve, () => eve.actions.ban(dave.identity.userId))
    await deliver(dave, [ban])
    const backdated: Envelope[] = []
    for (const back of [1000, DAY, 38 * DAY]) {
      daveClock.backdate(back + 500)
      await dave.actions.send(general, `dated ${back} ms before the ban`)
      backdated.push(last(dave))
    }
    daveClock.backdate(0)
    for (const e of backdated) expect(e.hlc).toBeLessThan(ban.hlc)

    await deliver(alice, [seen, ban, ...backdated])
    await deliver(carol, [...backdated].reverse())
    await deliver(carol, [ban, seen])
    for (const p of [alice, carol]) {
      expect(p.actions.message(general, seenId)?.body).toBe('seen by Eve')
      for (const e of backdated)
        expect(heldReasons(p, e)).toEqual([expect.stringMatching(/written after a sanction .*a ban/)])
    }
    honestAgree()
  })

  it('what the moderator had not received is held too (the stated loss): a gap stops `seen`', async () => {
    await dave.actions.send(general, 'one')
    const one = last(dave)
    const { id: twoId } = await dave.actions.send(general, 'two')
    const two = last(dave)
    await deliver(eve, [two]) // "one" is still in flight: Eve has a gap before "two"
    const ban = await first(eve, () => eve.actions.ban(dave.identity.userId))
    await deliver(alice, [one, two, ban])
    await deliver(carol, [ban, two, one])
    for (const p of [alice, carol]) {
      expect(p.actions.message(general, twoId)).toBeUndefined()
      expect(heldReasons(p, one)).toHaveLength(1)
      expect(heldReasons(p, two)).toHaveLength(1)
    }
    honestAgree()
  })

  it('a mute binds messages dated inside it; one dated after it ends is accepted', async () => {
    await eve.actions.mute(dave.identity.userId, 60_000)
    const mute = last(eve)
    await deliver(dave, [mute])
    daveClock.backdate(2000)
    await dave.actions.send(general, 'inside the mute')
    const inside = last(dave)
    daveClock.backdate(-61_000)
    const { id: afterId } = await dave.actions.send(general, 'after the mute')
    const after = last(dave)
    daveClock.backdate(0)
    await deliver(alice, [after, inside, mute])
    await deliver(carol, [mute, inside, after])
    for (const p of [alice, carol]) {
      expect(heldReasons(p, inside)).toEqual([expect.stringContaining(UNSEEN_SANCTION)])
      expect(p.actions.message(general, afterId)?.body).toBe('after the mute')
    }
    honestAgree()
  })

  it("a moderator demoted, deleting others' messages dated before the demotion: held", async () => {
    const { id } = await carol.actions.send(general, 'controversial')
    await sync(carol, alice)
    await sync(carol, dave)
    const mod = [...alice.gate.authority().roles].find(([, r]) => r.name === 'mod')![0]
    await alice.actions.unassignRole(dave.identity.userId, mod)
    const demotion = last(alice)
    await deliver(dave, [demotion])
    daveClock.backdate(3000)
    await dave.actions.deleteMessage(general, id)
    const del = last(dave)
    daveClock.backdate(0)
    expect(del.hlc).toBeLessThan(demotion.hlc)
    await deliver(carol, [del, demotion])
    await deliver(alice, [del])
    for (const p of [alice, carol]) expect(p.actions.message(general, id)?.body).toBe('controversial')
    honestAgree()
  })

  it('a sanction that stops being accepted releases what it claimed', async () => {
    await dave.actions.send(general, 'unseen by Eve')
    const message = last(dave)
    const ban = await first(eve, () => eve.actions.ban(dave.identity.userId))
    await deliver(alice, [message, ban])
    await deliver(carol, [ban, message])
    expect(heldReasons(carol, message)).toHaveLength(1)
    // Alice, who had not received the ban, takes Eve's role away dated before it.
    const mod = [...alice.gate.authority().roles].find(([, r]) => r.name === 'mod')![0]
    alice.gate.seenFrontier = (users) => users.map((user) => ({ user, streams: [] }))
    await alice.actions.unassignRole(eve.identity.userId, mod)
    const demotion = last(alice)
    await deliver(carol, [demotion])
    for (const p of [alice, carol]) {
      expect(isBanned(p, dave)).toBe(false)
      expect(heldReasons(p, message)).toEqual([])
      expect(p.gate.has(idOf(message))).toBe(true)
    }
    honestAgree()
  })
})

describe('concurrent mutual sanctions', () => {
  it('both stand, in either arrival order', async () => {
    const eveBan = await first(eve, () => eve.actions.ban(dave.identity.userId))
    const daveBan = await first(dave, () => dave.actions.ban(eve.identity.userId))
    await deliver(alice, [eveBan, daveBan])
    await deliver(carol, [daveBan, eveBan])
    for (const p of [alice, carol]) {
      expect(isBanned(p, dave)).toBe(true)
      expect(isBanned(p, eve)).toBe(true)
    }
    honestAgree()
  })
})

describe('equivocation', () => {
  it('two envelopes with one number: both refused in either order, and the key from then on', async () => {
    await dave.actions.send(general, 'before')
    const before = last(dave)
    await dave.actions.send(general, 'one')
    const one = last(dave)
    await dave.actions.send(general, 'two')
    const two = last(dave)
    const { signature: _s, version: _v, ...rest } = two
    const twin = await signEnvelope(dave.identity, { ...rest, seq: one.seq })
    expect(idOf(twin)).not.toBe(idOf(one))

    await deliver(alice, [before, one, twin, two])
    await deliver(carol, [twin, two, before, one])
    for (const p of [alice, carol]) {
      expect(p.gate.has(idOf(before)), `${p.name} keeps what came before`).toBe(true)
      for (const [name, e] of Object.entries({ one, twin, two }))
        expect(p.gate.has(idOf(e)), `${p.name} refuses ${name}`).toBe(false)
    }
    const [again] = await deliver(alice, [two])
    expect(again).toMatchObject({ kind: 'reject', reason: expect.stringMatching(/equivocation/) })
    expect(EQUIVOCATED).toMatch(/equivocation/)
    honestAgree()
  })
})

describe('what a sanction must say', () => {
  it('a ban dated before its target joined is refused (it would undo their membership)', async () => {
    // Frank's clock runs a minute ahead (within the 5 minutes the gate allows); Alice's clock, which
    // has observed his join, dates the ban 30 s back: before the join however slowly the test runs.
    const ahead = new BackdatingClock()
    ahead.backdate(-60_000)
    const frank = await person('frank', alice.groupId, { clock: ahead })
    await join(alice, frank)
    await sync(alice, carol)
    const frankJoin = last(frank)
    aliceClock.backdate(30_000)
    const ban = await first(alice, () => alice.actions.ban(frank.identity.userId))
    aliceClock.backdate(0)
    expect(ban.hlc).toBeLessThan(frankJoin.hlc)
    const [v] = await deliver(carol, [ban])
    expect(v).toEqual({ kind: 'defer', reason: expect.stringMatching(/had not joined/) })
    expect(isMember(carol, frank)).toBe(true)
  })

  it('a ban that does not list its target in `seen` is refused for good', async () => {
    eve.gate.seenFrontier = () => []
    const ban = await first(eve, () => eve.actions.ban(dave.identity.userId))
    const [v] = await deliver(alice, [ban])
    expect(v).toEqual({ kind: 'reject', reason: expect.stringMatching(/lists them in `seen`/) })
    expect(isBanned(alice, dave)).toBe(false)
  })
})
