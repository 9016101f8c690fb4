import { describe, expect, it } from 'vitest'
import { groupOf, join, person, sync, syncAll } from '../../test/peers'
import {
  DAY_MS,
  ManualTime,
  groupWithClock,
  joinWithProfile,
  personWithProfile,
} from '../../test/views-helpers'
import { encodeEnvelope } from '../envelope/envelope'
import { PanelRoot, bucketOfWallMs, panelDocId } from './documents'
import { listMessages, olderBucketIds } from './history'

const bodies = (h: { messages: readonly { body: string }[] }) => h.messages.map((m) => m.body)

describe('history: a panel opens on its recent bucket', () => {
  it('leaves a message three weeks old out of the recent window and pages back to it', async () => {
    const now = Date.now()
    const time = new ManualTime(now - 21 * DAY_MS)
    const { owner: alice, general } = await groupWithClock(time)
    const { id: oldId } = await alice.actions.send(general, 'old news')
    time.ms = now
    await alice.actions.send(general, 'fresh')
    const bob = await personWithProfile('bob', alice.groupId)
    await joinWithProfile(alice, bob)
    await sync(alice, bob)

    const recent = listMessages(bob.gate, general, { now })
    expect(bodies(recent)).toEqual(['fresh'])
    expect(recent.loadedBuckets).toEqual([bucketOfWallMs(now)])
    expect(recent.hasOlder).toBe(true)

    // The old bucket is found without reading it, and loading it (or a wider window) shows it.
    const older = olderBucketIds(bob.gate, general, recent.oldestBucket)
    expect(older.map((o) => o.bucket)).toEqual([bucketOfWallMs(now) - 3])
    expect(bodies(listMessages(bob.gate, general, { before: recent.oldestBucket, buckets: 3 }))).toEqual([
      'old news',
    ])
    const wide = listMessages(bob.gate, general, { now, buckets: 4 })
    expect(bodies(wide)).toEqual(['old news', 'fresh'])
    expect(wide.messages[0]!.id).toBe(oldId)
    expect(wide.hasOlder).toBe(false)

    // Looking at the empty weeks in between did not create documents for them.
    for (const b of [1, 2]) expect(bob.gate.hasDoc(panelDocId(general, bucketOfWallMs(now) - b))).toBe(false)
  })

  it('orders messages of several authors by (hlc, id) and returns the same object until something changes', async () => {
    const { owner: alice, general } = await groupOf()
    const bob = await person('bob', alice.groupId)
    await join(alice, bob)
    await alice.actions.send(general, 'one')
    await sync(alice, bob)
    await bob.actions.send(general, 'two')
    await sync(bob, alice)
    await alice.actions.send(general, 'three')
    await syncAll([alice, bob])

    const a = listMessages(alice.gate, general)
    const b = listMessages(bob.gate, general)
    expect(bodies(a)).toEqual(['one', 'two', 'three'])
    expect(b.messages.map((m) => m.id)).toEqual(a.messages.map((m) => m.id))
    expect(a.messages.map((m) => m.author)).toEqual([
      alice.identity.userId,
      bob.identity.userId,
      alice.identity.userId,
    ])

    // Nothing changed: the very same result (cheap for a view to compare on every render).
    expect(listMessages(alice.gate, general)).toBe(a)
    await bob.actions.send(general, 'four')
    await sync(bob, alice)
    const after = listMessages(alice.gate, general)
    expect(after).not.toBe(a)
    expect(bodies(after)).toEqual(['one', 'two', 'three', 'four'])
  })
})

describe('history: reactions, replies, edits and tombstones', () => {
  it('aggregates reactions from two people per emoji, and an unreact removes one', async () => {
    const { owner: alice, general } = await groupOf()
    const bob = await person('bob', alice.groupId)
    await join(alice, bob)
    const { id: id } = await alice.actions.send(general, 'ship it?')
    await sync(alice, bob)
    await alice.actions.react(general, id, '👍')
    await bob.actions.react(general, id, '👍')
    await bob.actions.react(general, id, '🎉')
    await syncAll([alice, bob])

    for (const p of [alice, bob]) {
      const [m] = listMessages(p.gate, general).messages
      expect(m!.reactions).toEqual([
        { emoji: '🎉', userIds: [bob.identity.userId], count: 1 },
        { emoji: '👍', userIds: [alice.identity.userId, bob.identity.userId].sort(), count: 2 },
      ])
    }
    await bob.actions.unreact(general, id, '🎉')
    await sync(bob, alice)
    const [m] = listMessages(alice.gate, general).messages
    expect(m!.reactions.map((r) => [r.emoji, r.count])).toEqual([['👍', 2]])
  })

  it('shows a recalled message as recalled without its body or reactions, and a deleted one as deleted', async () => {
    const { owner: alice, general } = await groupOf()
    const bob = await person('bob', alice.groupId)
    await join(alice, bob)
    const { id: oops } = await bob.actions.send(general, 'my password is hunter2')
    const { id: bye } = await alice.actions.send(general, 'to be deleted')
    await syncAll([alice, bob])
    await alice.actions.react(general, oops, '😱')
    await sync(alice, bob)
    await bob.actions.recall(general, oops)
    await alice.actions.deleteMessage(general, bye)
    await syncAll([alice, bob])

    for (const p of [alice, bob]) {
      // Two people's clocks may date these in either order: find them by id.
      const messages = listMessages(p.gate, general).messages
      const recalled = messages.find((m) => m.id === oops)
      const deleted = messages.find((m) => m.id === bye)
      expect(recalled).toMatchObject({ id: oops, state: 'recalled', body: '', reactions: [] })
      expect(recalled!.recalled?.by).toBe(bob.identity.userId)
      expect(JSON.stringify(recalled)).not.toContain('hunter2')
      expect(deleted).toMatchObject({ id: bye, state: 'deleted', body: '' })
    }
  })

  it('carries the reply quote and the edit marker', async () => {
    const { owner: alice, general } = await groupOf()
    const bob = await person('bob', alice.groupId)
    await join(alice, bob)
    const { id: q } = await alice.actions.send(general, 'lunch at noon?')
    await sync(alice, bob)
    const { id: r } = await bob.actions.reply(general, q, 'yes')
    await bob.actions.edit(general, r, 'yes, at the usual place')
    await sync(bob, alice)
    const reply = listMessages(alice.gate, general).messages.find((m) => m.id === r)
    expect(reply).toMatchObject({
      body: 'yes, at the usual place',
      replyTo: { id: q, author: alice.identity.userId, excerpt: 'lunch at noon?' },
    })
    expect(reply!.editedAt).toBeGreaterThan(reply!.hlc)
  })

  it('is empty for a panel with no history here, without creating its document', async () => {
    const { owner: alice } = await groupOf()
    const h = listMessages(alice.gate, 'nopanel', { buckets: 3 })
    expect(h.messages).toEqual([])
    expect(h.loadedBuckets).toHaveLength(3)
    expect(alice.gate.hasDoc(panelDocId('nopanel', h.newestBucket))).toBe(false)
  })
})

describe('a call started in a text panel', () => {
  it('its row travels with the call id; anyone in the call records how long it lasted, once', async () => {
    const { owner: alice, general } = await groupOf()
    const bob = await person('bob', alice.groupId)
    await join(alice, bob)
    const { id } = await alice.actions.send(general, '', { call: { id: 'c4ll-Id_1' } })
    await sync(alice, bob)
    expect(listMessages(bob.gate, general).messages.at(-1)).toMatchObject({ id, call: { id: 'c4ll-Id_1' } })
    // Alice closed her page long ago: Bob, last in the call, records its end.
    const ended = Date.now()
    expect(await bob.actions.endCall(general, 'c4ll-Id_1', ended)).toBe(true)
    await sync(bob, alice)
    const row = listMessages(alice.gate, general).messages.at(-1)!
    expect(row.call).toEqual({ id: 'c4ll-Id_1', endedAt: ended })
    expect(row.editedAt).toBeUndefined()
    // Recorded once: Alice's page, seeing the room empty later, leaves it as it is.
    expect(await alice.actions.endCall(general, 'c4ll-Id_1', ended + 60_000)).toBe(false)
    expect(await alice.actions.endCall(general, 'no-such-call', ended)).toBe(false)
    expect(listMessages(alice.gate, general).messages.at(-1)!.call).toEqual({
      id: 'c4ll-Id_1',
      endedAt: ended,
    })
    await expect(alice.actions.send(general, '', { call: { id: 'not an id!' } })).rejects.toThrow(
      /call id is not an id/,
    )
  })

  it("every gate takes a call's end once, dated within the call, from a member who may join calls", async () => {
    const { owner: alice, general } = await groupOf()
    const mallory = await person('mallory', alice.groupId, { skipLocalChecks: true })
    await join(alice, mallory)
    const stage = await alice.actions.createPanel({
      name: 'stage',
      overrides: { roles: { everyone: { allow: [], deny: ['callJoin'] } } },
    })
    const { id } = await alice.actions.send(general, '', { call: { id: 'c4ll' } })
    const { id: onStage } = await alice.actions.send(stage, '', { call: { id: 'st4ge' } })
    await sync(alice, mallory)
    const verdictOf = async (panel: string, message: string, value: unknown) => {
      await mallory.session.transact(panelDocId(panel, bucketOfWallMs(Date.now())), (doc) =>
        doc.getMap(PanelRoot.callEnds).set(message, value),
      )
      const [v] = await alice.gate.receiveMany([encodeEnvelope(mallory.outbox.at(-1)!)])
      return v?.kind === 'accept' ? 'accept' : v?.reason
    }
    expect(await verdictOf(general, id, { endedAt: 1 })).toMatch(/a call ends after it started/)
    expect(await verdictOf(general, id, { endedAt: Date.now() + 3_600_000 })).toMatch(
      /a call ends after it started and before its end is written/,
    )
    expect(await verdictOf(stage, onStage, { endedAt: Date.now() })).toMatch(/needs "callJoin"/)
    expect(await verdictOf(general, id, { endedAt: Date.now(), by: 'me' })).toMatch(/unknown field "by"/)
    expect(await verdictOf(general, id, { endedAt: Date.now() })).toBe('accept')
    // Written once: changing it later (here to claim a longer call) is refused.
    expect(await verdictOf(general, id, { endedAt: Date.now() + 1 })).toMatch(/a call end is written once/)
  })
})
