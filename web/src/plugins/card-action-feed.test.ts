// A plugin answers presses on its cards in the background (`api.onCardAction`), over real gates
// (core's test peers) and nothing drawn: Alice's plugin sends a candidate card, Bob presses Approve,
// Alice's device hands the press to her plugin — also when it arrived before the plugin listened —
// and the plugin updates the card and replies, which Bob's gate accepts. Presses on another plugin's
// card, or on a card someone else sent, are not this plugin's.
import { actOnCard, encodeEnvelope, type Envelope } from '@tailmesh/core'
import { groupOf, join, person, sync, type Person } from '@tailmesh/core/test/peers'
import type { CardActionEvent } from '@tailmesh/plugin-sdk'
import { beforeEach, describe, expect, it } from 'vitest'
import { GroupHandle } from '../client/group-handle'
import { CardActionFeed } from './card-action-feed'
import { sender } from './sender'

const HR = 'com.example.hr'
const POLL = 'com.example.poll'

let alice: Person
let bob: Person
let general: string
let handle: GroupHandle
let feed: CardActionFeed

beforeEach(async () => {
  const g = await groupOf('alice')
  alice = g.owner
  general = g.general
  bob = await person('bob', alice.groupId)
  await join(alice, bob)
  handle = new GroupHandle(alice, g.key)
  feed = new CardActionFeed({ list: () => [handle], onGroupsChanged: () => () => {} })
})

/** Alice's plugin `pluginId` sends a card with Approve / Reject; Bob receives it. Its id. */
async function aliceSendsCard(pluginId: string): Promise<string> {
  await sender(
    handle,
    pluginId,
    general,
  )('**Ann Lee** applied', {
    card: {
      type: 'candidate',
      data: { name: 'Ann Lee' },
      controls: [
        { kind: 'button', id: 'approve', label: 'Approve' },
        { kind: 'button', id: 'reject', label: 'Reject' },
      ],
    },
  })
  await sync(alice, bob)
  return handle.messages(general).at(-1)!.id
}

/** Bob presses a button; his envelope reaches Alice's gate (her device, the card nowhere drawn). */
async function bobPresses(cardId: string, actionId: string): Promise<void> {
  const envelope = (await actOnCard(bob.actions, general, cardId, actionId)) as Envelope
  const [verdict] = await alice.gate.receiveMany([encodeEnvelope(envelope)])
  expect(verdict?.kind).toBe('accept')
}

describe('api.onCardAction: presses on my plugin cards, in the background', () => {
  it("delivers Bob's press to the card's plugin, which updates the card and replies", async () => {
    const cardId = await aliceSendsCard(HR)
    const heard: CardActionEvent[] = []
    const others: CardActionEvent[] = []
    feed.on(POLL, (e) => others.push(e))
    feed.on(HR, (e) => {
      heard.push(e)
      void e.update({ controls: [], status: `Approved by ${e.userName}` })
      void e.reply('Ann Lee passed the first review')
    })
    await bobPresses(cardId, 'approve')
    expect(heard).toHaveLength(1)
    expect(heard[0]).toMatchObject({
      groupId: alice.groupId,
      panelId: general,
      cardId,
      actionId: 'approve',
      userId: bob.identity.userId,
      card: { pluginId: HR, type: 'candidate', data: { name: 'Ann Lee' } },
    })
    expect(others).toEqual([])

    // What the plugin answered is an ordinary signed edit every gate judges: Bob sees it.
    const bobs = new GroupHandle(bob, handle.key)
    const reply = () => bobs.messages(general).find((m) => m.replyTo?.id === cardId)
    await expect
      .poll(async () => (await sync(alice, bob), reply() && bob.actions.message(general, cardId)?.card))
      .toMatchObject({ status: `Approved by ${heard[0]!.userName}`, controls: [] })
    expect(reply()?.body).toBe('Ann Lee passed the first review')
  })

  it('a press that arrived before the plugin listened waits for it, and is delivered once', async () => {
    const cardId = await aliceSendsCard(HR)
    await bobPresses(cardId, 'reject')
    const heard: string[] = []
    feed.on(HR, (e) => heard.push(e.actionId))
    expect(heard).toEqual(['reject'])
    // A second listener of another plugin, later, does not bring it back.
    feed.on(POLL, () => heard.push('poll'))
    expect(heard).toEqual(['reject'])
    // Alice's own press counts too (she may answer her own card the same way).
    await actOnCard(alice.actions, general, cardId, 'approve')
    await expect.poll(() => heard).toEqual(['reject', 'approve'])
  })

  it("presses on another plugin's card wait for that plugin; on Bob's own card they are not Alice's", async () => {
    const pollCard = await aliceSendsCard(POLL)
    const heard: string[] = []
    feed.on(HR, (e) => heard.push(`hr:${e.cardId}`))
    await bobPresses(pollCard, 'approve')
    expect(heard).toEqual([])
    feed.on(POLL, (e) => heard.push(`poll:${e.cardId}`))
    expect(heard).toEqual([`poll:${pollCard}`])

    // Bob's card (his own plugin, on his device): Alice presses, and nothing reaches Alice's plugins.
    const bobsHandle = new GroupHandle(bob, handle.key)
    await sender(
      bobsHandle,
      HR,
      general,
    )('Lunch?', {
      card: { type: 'ask', data: {}, controls: [{ kind: 'button', id: 'approve', label: 'Yes' }] },
    })
    await sync(bob, alice)
    const bobsCard = bobsHandle.messages(general).at(-1)!.id
    const press = (await actOnCard(alice.actions, general, bobsCard, 'approve')) as Envelope
    await expect.poll(() => [...alice.gate.accepted()].includes(press)).toBe(true)
    expect(heard).toEqual([`poll:${pollCard}`])
  })
})
