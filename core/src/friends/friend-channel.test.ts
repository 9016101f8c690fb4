// The friend channel end to end over an in-process mailbox: requests while offline, accept and deny,
// caps, forgeries, restart from storage and a regenerated code. The real relay: relay/test/friends.test.ts.
import { afterEach, describe, expect, it } from 'vitest'
import { randomBytes } from '../bytes'
import { encodeInvitePayload } from '../group/invite-link'
import { Identity } from '../identity/identity'
import { signProfile } from '../identity/profile'
import { MemoryStorage } from '../storage/memory'
import { FriendChannel, type FriendEvent } from './friend-channel'
import { TestMailbox } from './test-mailbox'

const channels: FriendChannel[] = []
afterEach(async () => {
  for (const c of channels.splice(0)) await c.close()
})

const fakeInvite = () =>
  encodeInvitePayload({ groupId: 'A'.repeat(21) + 'Q', groupKey: randomBytes(32), secret: randomBytes(16) })

async function person(
  nickname: string,
  mailbox: TestMailbox,
  options: { identity?: Identity; storage?: MemoryStorage; now?: () => number; perHour?: number } = {},
) {
  const identity = options.identity ?? (await Identity.create())
  const storage = options.storage ?? new MemoryStorage()
  const events: FriendEvent[] = []
  const channel = await FriendChannel.start({
    identity,
    profile: await signProfile(identity, { nickname, updatedAt: 1 }),
    storage,
    transports: [mailbox.transport()],
    ...(options.now ? { now: options.now } : {}),
    ...(options.perHour ? { limits: { perHour: options.perHour } } : {}),
  })
  channel.on((e) => events.push(e))
  channels.push(channel)
  return { identity, storage, channel, events, nickname }
}

const settle = () => new Promise((r) => setTimeout(r, 20))

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await settle()
  if (!check()) throw new Error(`timed out waiting until ${what}`)
}

describe('friend channel', () => {
  it('Alice asks Bob while he is away; he accepts later and both are friends with the DM invite', async () => {
    const mailbox = new TestMailbox()
    const bob = await person('Bob', mailbox)
    const bobCode = bob.channel.code()
    const bobStorage = bob.storage
    await bob.channel.close()

    const alice = await person('Alice', mailbox)
    const sent = await alice.channel.request(bobCode)
    expect(alice.channel.view().outgoing).toEqual([sent])

    // Bob comes back (same storage): the request waited in the mailbox.
    const bobAgain = await person('Bob', mailbox, { identity: bob.identity, storage: bobStorage })
    expect(bobAgain.channel.code()).toBe(bobCode)
    await until('Bob sees the request', () => bobAgain.channel.view().incoming.length === 1)
    const request = bobAgain.channel.view().incoming[0]!
    expect(request).toMatchObject({ from: alice.identity.userId, nickname: 'Alice' })

    const invite = fakeInvite()
    const friend = await bobAgain.channel.accept(request.id, async (who) => {
      expect(who.from).toBe(alice.identity.userId)
      return invite
    })
    expect(friend).toMatchObject({
      userId: alice.identity.userId,
      nickname: 'Alice',
      dm: 'A'.repeat(21) + 'Q',
    })
    expect(bobAgain.channel.view().incoming).toEqual([])

    await until('Alice hears the answer', () => alice.channel.view().friends.length === 1)
    expect(alice.channel.view().friends[0]).toMatchObject({ userId: bob.identity.userId, nickname: 'Bob' })
    expect(alice.channel.view().outgoing).toEqual([])
    expect(alice.channel.view().invites).toMatchObject([
      { from: bob.identity.userId, invite, kind: 'accept' },
    ])
    await alice.channel.inviteHandled('A'.repeat(21) + 'Q')
    expect(alice.channel.view().invites).toEqual([])
  })

  it('a denied person is told, and their repeated requests are never shown again (also after a restart)', async () => {
    const mailbox = new TestMailbox()
    const alice = await person('Alice', mailbox)
    const carol = await person('Carol', mailbox)
    await carol.channel.request(alice.channel.code())
    await until('Alice sees Carol', () => alice.channel.view().incoming.length === 1)
    await alice.channel.deny(alice.channel.view().incoming[0]!.id)
    await until('Carol hears no', () => carol.channel.view().outgoing[0]?.status === 'denied')
    expect(carol.channel.view().invites).toEqual([])

    await alice.channel.close()
    const again = await person('Alice', mailbox, { identity: alice.identity, storage: alice.storage })
    await carol.channel.request(alice.channel.code())
    await carol.channel.request(alice.channel.code())
    await until('both repeats are dropped', () => (again.channel.drops.get('denied') ?? 0) === 2)
    expect(again.channel.view().incoming).toEqual([])
    expect(again.channel.view().friends).toEqual([])
  })

  it('caps new requests per hour, shows one request per person, and drops forged or junk frames', async () => {
    const mailbox = new TestMailbox()
    let now = Date.now()
    const bob = await person('Bob', mailbox, { now: () => now, perHour: 3 })
    const askers = await Promise.all(['A', 'B', 'C', 'D', 'E'].map((n) => person(n, mailbox)))
    for (const a of askers) await a.channel.request(bob.channel.code())
    await askers[0]!.channel.request(bob.channel.code())
    await until(
      'all are judged',
      () => bob.channel.drops.get('rate') === 2 && bob.channel.drops.get('repeat') === 1,
    )
    expect(bob.channel.view().incoming.map((r) => r.nickname)).toEqual(['A', 'B', 'C'])
    expect(bob.channel.drops.get('repeat')).toBe(1)
    // An hour later there is room again.
    now += 61 * 60 * 1000
    const late = await person('F', mailbox)
    await late.channel.request(bob.channel.code())
    await until('F is shown', () => bob.channel.view().incoming.length === 4)

    // Junk on Bob's topic from someone holding his card: dropped, nothing shown.
    const topicId = [...mailbox.topics.keys()].find((id) => mailbox.topics.get(id)!.length >= 7)!
    mailbox.append(topicId, randomBytes(200))
    mailbox.append(topicId, new Uint8Array(64 * 1024))
    await until('junk dropped', () => (bob.channel.drops.get('unreadable') ?? 0) === 2)
    expect(bob.channel.view().incoming).toHaveLength(4)
  })

  it('answers and invites count only when expected: no friendship from an unasked accept or a stranger', async () => {
    const mailbox = new TestMailbox()
    const alice = await person('Alice', mailbox)
    const mallory = await person('Mallory', mailbox)
    // Mallory asks Alice, then pretends Alice asked her by "accepting" a request that never was.
    await mallory.channel.request(alice.channel.code())
    await until('Alice sees Mallory', () => alice.channel.view().incoming.length === 1)
    const bob = await person('Bob', mailbox)
    await bob.channel.request(alice.channel.code())
    await until('Alice sees Bob', () => alice.channel.view().incoming.length === 2)
    const fromBob = alice.channel.view().incoming.find((r) => r.nickname === 'Bob')!
    await alice.channel.accept(fromBob.id, async () => fakeInvite())
    await until('Bob is a friend', () => bob.channel.view().friends.length === 1)
    // Mallory cannot invite Alice to a DM: she is not a friend.
    await expect(mallory.channel.inviteToDm([alice.identity.userId], fakeInvite())).rejects.toThrow(/friends/)
    // Bob can.
    const dm = fakeInvite()
    await bob.channel.inviteToDm([alice.identity.userId], dm)
    await until('Alice has the invite', () => alice.channel.view().invites.some((i) => i.invite === dm))
    expect(alice.channel.view().friends.map((f) => f.nickname)).toEqual(['Bob'])
  })

  it('a regenerated code: the old topic is no longer read, friends get the new card', async () => {
    const mailbox = new TestMailbox()
    const alice = await person('Alice', mailbox)
    const bob = await person('Bob', mailbox)
    await bob.channel.request(alice.channel.code())
    await until('Alice sees Bob', () => alice.channel.view().incoming.length === 1)
    await alice.channel.accept(alice.channel.view().incoming[0]!.id, async () => fakeInvite())
    await until('friends', () => bob.channel.view().friends.length === 1)

    const oldCode = alice.channel.code()
    const newCode = await alice.channel.regenerate()
    expect(newCode).not.toBe(oldCode)
    await until('Bob has the new card', () => bob.channel.view().friends[0]!.card === newCode)
    const carol = await person('Carol', mailbox)
    await carol.channel.request(oldCode)
    await settle()
    await settle()
    expect(alice.channel.view().incoming).toEqual([])
    await carol.channel.request(newCode)
    await until('Carol reaches the new topic', () => alice.channel.view().incoming.length === 1)
    // Bob's invites reach the new topic too.
    const dm = fakeInvite()
    await bob.channel.inviteToDm([alice.identity.userId], dm)
    await until('invite arrives', () => alice.channel.view().invites.some((i) => i.invite === dm))
  })
})
