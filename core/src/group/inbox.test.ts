import { describe, expect, it } from 'vitest'
import { groupOf, join, sync, syncAll, type Person } from '../../test/peers'
import { joinWithProfile, personWithProfile, samePersonIn } from '../../test/views-helpers'
import { hasUnread, inbox, markPanelRead, unreadCount, unreadCounts, unreadInboxCount } from './inbox'
import { ReadState } from './read-state'

/** Alice's group with Bob and Carol in it, everyone synced. */
async function team() {
  const { owner: alice, general } = await groupOf()
  const bob = await personWithProfile('bob', alice.groupId)
  const carol = await personWithProfile('carol', alice.groupId)
  await joinWithProfile(alice, bob)
  await joinWithProfile(alice, carol)
  await syncAll([alice, bob, carol])
  return { alice, bob, carol, general, everyone: [alice, bob, carol] as Person[] }
}

describe("inbox: what Bob's morning looks like", () => {
  it("shows Alice's @mention and her reply to him, unread first, newest first; marking read moves them", async () => {
    const { alice, bob, carol, general, everyone } = await team()
    const me = bob.identity.userId
    const { id: hello } = await bob.actions.send(general, 'morning all')
    await syncAll(everyone)
    const { id: mention } = await alice.actions.send(general, '@bob   can you\nlook at the release?', {
      mentions: { users: [me] },
    })
    const { id: reply } = await alice.actions.reply(general, hello, 'morning!')
    await carol.actions.send(general, 'unrelated chatter')
    const { id: gone } = await alice.actions.send(general, '@bob never mind', { mentions: { users: [me] } })
    await alice.actions.recall(general, gone)
    await bob.actions.send(general, 'note to self @bob', { mentions: { users: [me] } })
    await syncAll(everyone)

    const rs = new ReadState()
    let items = inbox([bob.gate], rs, me)
    expect(items.map((i) => [i.messageId, i.kind, i.read])).toEqual([
      [reply, 'reply', false],
      [mention, 'mention', false],
    ])
    expect(items[1]).toMatchObject({
      groupId: alice.groupId,
      panelId: general,
      author: alice.identity.userId,
      excerpt: '@bob can you look at the release?',
    })
    expect(unreadInboxCount(items)).toBe(2)
    // Alice's two, Carol's one; not Bob's own, not the recalled one.
    expect(unreadCount(bob.gate, general, rs, me)).toBe(3)
    expect(hasUnread(bob.gate, general, rs, me)).toBe(true)

    // Bob opens the mention on its own: it is read, the reply (newer) stays unread and first.
    rs.markItemRead(alice.groupId, general, mention)
    items = inbox([bob.gate], rs, me)
    expect(items.map((i) => [i.messageId, i.read])).toEqual([
      [reply, false],
      [mention, true],
    ])
    expect(unreadCount(bob.gate, general, rs, me)).toBe(2)

    // He opens the panel: everything in it is read.
    expect(markPanelRead(bob.gate, general, rs)).toBe(true)
    expect(inbox([bob.gate], rs, me).every((i) => i.read)).toBe(true)
    expect(unreadCount(bob.gate, general, rs, me)).toBe(0)
    expect(hasUnread(bob.gate, general, rs, me)).toBe(false)

    // A new message from Carol makes the panel unread again; Bob's own do not.
    await bob.actions.send(general, 'on it')
    expect(unreadCount(bob.gate, general, rs, me)).toBe(0)
    await carol.actions.send(general, 'thanks bob')
    await sync(carol, bob)
    expect(unreadCount(bob.gate, general, rs, me)).toBe(1)
    expect(hasUnread(bob.gate, general, rs, me)).toBe(true)
    expect(unreadCounts(bob.gate, rs, me)).toEqual(new Map([[general, 1]]))
  })

  it('gathers items from several groups and leaves out panels Bob may not view', async () => {
    const { alice, bob, general, everyone } = await team()
    const me = bob.identity.userId
    const secret = await alice.actions.createPanel({
      name: 'staff',
      overrides: { roles: { everyone: { allow: [], deny: ['viewPanel'] } } },
    })
    await alice.actions.send(secret, '@bob is not here to see this', { mentions: { users: [me] } })
    const { id: seen } = await alice.actions.send(general, 'hey @bob', { mentions: { users: [me] } })
    await syncAll(everyone)

    // Carol's own group, which Bob joins too, and where she mentions him.
    const other = await groupOf('carol')
    const bob2 = await samePersonIn('bob', bob.identity, other.owner.groupId)
    await join(other.owner, bob2)
    const { id: ping } = await other.owner.actions.send(other.general, '@bob over here', {
      mentions: { users: [me] },
    })
    await sync(other.owner, bob2)

    const items = inbox([bob.gate, bob2.gate], new ReadState(), me)
    expect(items.map((i) => [i.groupId, i.messageId])).toEqual([
      [other.owner.groupId, ping],
      [alice.groupId, seen],
    ])
    expect(unreadCounts(bob.gate, new ReadState(), me).has(secret)).toBe(false)
  })
})
