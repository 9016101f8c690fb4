// The poll's logic over real gates (core's test peers: real identities, signed envelopes, every
// peer's gate judging them): votes from two members converge, a second vote replaces the first, and
// a vote forged in another member's name is refused by every honest peer.

import { describe, expect, it } from 'vitest'
import {
  actOnCard,
  actionKey,
  cardActionsOf,
  cardRecordOf,
  closeCard,
  encodeEnvelope,
  openPluginState,
  PanelRoot,
  pluginDocId,
  PluginRoot,
  postCard,
} from '@tailmesh/core'
import { groupOf, join, person, sync, type Person } from '@tailmesh/core/test/peers'
import { manifest } from './manifest'
import {
  POLL_CARD,
  POLL_VERSION,
  VOTE_ACTION,
  parsePollCommand,
  tallyActions,
  pollBody,
  readPollData,
  tally,
  vote,
  voteName,
  withdrawVote,
} from './poll'

async function pollInGroup() {
  const { owner: alice, general } = await groupOf()
  const bob = await person('bob', alice.groupId)
  const carol = await person('carol', alice.groupId)
  for (const p of [bob, carol]) await join(alice, p)
  for (const p of [bob, carol]) await sync(alice, p)
  const parsed = parsePollCommand('Lunch? | Pizza | Soup | Salad')
  if (!parsed.ok) throw new Error('the poll should parse')
  const { id: id } = await alice.actions.send(general, pollBody(parsed.poll), {
    card: { pluginId: manifest.id, type: POLL_CARD, data: { ...parsed.poll } },
  })
  for (const p of [bob, carol]) await sync(alice, p)
  return { alice, bob, carol, general, id, poll: parsed.poll }
}

const stateOf = (p: Person, panelId: string) => openPluginState(p.session, manifest.id, panelId)

async function tallyOf(p: Person, panelId: string, messageId: string, author: Person) {
  const card = p.actions.message(panelId, messageId)?.card
  const poll = card && readPollData(card.data)
  if (!poll) throw new Error(`${p.name} does not see the poll`)
  return tally(await stateOf(p, panelId), messageId, poll, author.identity.userId)
}

describe('/poll', () => {
  it('parses a question and options, and says what is wrong otherwise (in both languages)', () => {
    expect(parsePollCommand(' Lunch? |Pizza| Soup ')).toEqual({
      ok: true,
      poll: { question: 'Lunch?', options: ['Pizza', 'Soup'] },
    })
    const one = parsePollCommand('Lunch? | Pizza')
    expect(one.ok).toBe(false)
    if (!one.ok) expect(one.problem['zh-CN']).toMatch(/至少两个选项/)
    expect(parsePollCommand(`Q | ${Array.from({ length: 11 }, (_, i) => `o${i}`).join(' | ')}`).ok).toBe(
      false,
    )
    expect(parsePollCommand('Q | same | same').ok).toBe(false)
    expect(pollBody({ question: 'Lunch?', options: ['Pizza', 'Soup'] })).toBe('📊 Lunch?\n1. Pizza\n2. Soup')
  })

  it('reads only well-formed poll data from a message', () => {
    expect(readPollData({ question: 'Q', options: ['a', 'b'] })).toEqual({
      question: 'Q',
      options: ['a', 'b'],
    })
    expect(readPollData({ question: 'Q', options: ['a'] })).toBeNull()
    expect(readPollData({ question: '', options: ['a', 'b'] })).toBeNull()
    expect(readPollData({ question: 'Q', options: ['a', 7] })).toBeNull()
  })
})

describe('votes over real gates', () => {
  it('votes from two members converge, whatever order each peer receives them in', async () => {
    const { alice, bob, carol, general, id } = await pollInGroup()
    await vote(await stateOf(bob, general), id, 0)
    await vote(await stateOf(carol, general), id, 1)
    const [bobVote, carolVote] = [bob.outbox.at(-1)!, carol.outbox.at(-1)!]
    await alice.gate.receiveMany([carolVote, bobVote].map(encodeEnvelope))
    await bob.gate.receive(encodeEnvelope(carolVote))
    await carol.gate.receive(encodeEnvelope(bobVote))
    for (const p of [alice, bob, carol]) {
      const t = await tallyOf(p, general, id, alice)
      expect(t.counts).toEqual([1, 1, 0])
      expect(t.total).toBe(2)
      expect(t.voters[0]).toEqual([bob.identity.userId])
    }
    expect((await tallyOf(bob, general, id, alice)).mine).toBe(0)
    expect((await tallyOf(carol, general, id, alice)).mine).toBe(1)
    expect((await tallyOf(alice, general, id, alice)).mine).toBeNull()
  })

  it('a second vote by the same member replaces the first, never adds; withdrawing removes it', async () => {
    const { alice, bob, general, id } = await pollInGroup()
    const state = await stateOf(bob, general)
    await vote(state, id, 0)
    await vote(state, id, 2)
    await vote(state, id, 2)
    await sync(bob, alice)
    expect((await tallyOf(alice, general, id, alice)).counts).toEqual([0, 0, 1])
    await withdrawVote(state, id)
    await sync(bob, alice)
    expect((await tallyOf(alice, general, id, alice)).total).toBe(0)
  })

  it("a vote forged in another member's name is refused by every honest peer", async () => {
    const { alice, bob, carol, general, id } = await pollInGroup()
    // Bob's modified client writes Carol's vote key straight through his session.
    await bob.session.transact(pluginDocId(manifest.id, general), (doc) =>
      doc.getMap(PluginRoot.own).set(`${voteName(id)}@${carol.identity.userId}`, 2),
    )
    const forged = encodeEnvelope(bob.outbox.at(-1)!)
    for (const p of [alice, carol]) {
      const verdict = await p.gate.receive(forged)
      expect(verdict).toEqual({
        kind: 'reject',
        reason: 'invalid write: an own entry is written only by its member',
      })
      expect((await tallyOf(p, general, id, alice)).total).toBe(0)
    }
  })

  it('a value that is not an option is not counted', async () => {
    const { alice, bob, general, id } = await pollInGroup()
    const state = await stateOf(bob, general)
    await state.change(() => state.own().set(state.ownKey(voteName(id)), 99))
    await sync(bob, alice)
    expect((await tallyOf(alice, general, id, alice)).total).toBe(0)
  })
})

describe('polls of card actions (closed by the gate)', () => {
  async function cardPoll() {
    const { owner: alice, general } = await groupOf()
    const bob = await person('bob', alice.groupId)
    await join(alice, bob)
    await sync(alice, bob)
    const poll = { question: 'Lunch?', options: ['Pizza', 'Soup'] }
    const { id } = await postCard(
      alice.actions,
      general,
      pollBody(poll),
      { pluginId: manifest.id, type: POLL_CARD, data: { ...poll, v: POLL_VERSION } },
      { actions: [VOTE_ACTION] },
    )
    await sync(alice, bob)
    const votes = (p: Person) =>
      tallyActions(
        cardActionsOf(p.gate, general, id, p.actions.docOf(general, id)),
        poll,
        p.identity.userId,
        cardRecordOf(p.gate.authority(), general, id)?.closed !== undefined,
      )
    return { alice, bob, general, id, votes }
  }

  it('one vote per member, replaced by voting again; a vote after closing is refused by every gate', async () => {
    const { alice, bob, general, id, votes } = await cardPoll()
    await actOnCard(bob.actions, general, id, VOTE_ACTION, { option: '0' })
    await actOnCard(bob.actions, general, id, VOTE_ACTION, { option: '1' })
    await sync(bob, alice)
    expect(votes(alice)).toMatchObject({ counts: [0, 1], total: 1 })
    expect(votes(bob).mine).toBe(1)

    await closeCard(alice.actions, general, id)
    await sync(alice, bob)
    expect(votes(bob).closed).toBe(true)
    await expect(actOnCard(bob.actions, general, id, VOTE_ACTION, { option: '0' })).rejects.toThrow(
      /the card is closed/,
    )
    // Bob's modified client votes anyway: Alice's gate refuses it, and the tally stays.
    await bob.session.transact(bob.actions.docOf(general, id), (doc, hlc) =>
      doc.getMap(PanelRoot.actions).set(actionKey(id, VOTE_ACTION, bob.identity.userId), {
        values: { option: '0' },
        at: hlc,
      }),
    )
    const [v] = await alice.gate.receiveMany([encodeEnvelope(bob.outbox[bob.outbox.length - 1]!)])
    expect(v?.kind).toBe('defer')
    if (v?.kind === 'defer') expect(v.reason).toMatch(/the card is closed/)
    expect(votes(alice)).toMatchObject({ counts: [0, 1], closed: true })
  })

  it('a value that is not an option is not counted', async () => {
    const { alice, bob, general, id, votes } = await cardPoll()
    await actOnCard(bob.actions, general, id, VOTE_ACTION, { option: '7' })
    await actOnCard(alice.actions, general, id, VOTE_ACTION, { option: '01' })
    await sync(bob, alice)
    expect(votes(alice)).toMatchObject({ counts: [0, 0], total: 0 })
  })
})
