// Cards with actions: who may press a card's buttons is the card's record, judged by every peer's
// gate; a closed card takes no more actions; only the card's author updates or closes it.

import { beforeEach, describe, expect, it } from 'vitest'
import { PermissionDeniedError } from '../errors'
import { encodeEnvelope } from '../envelope/envelope'
import { groupOf, join, person, sync, type Person } from '../../test/peers'
import { actionKey, cardKey } from './card-record'
import {
  actOnCard,
  cardActionProblem,
  cardActionsOf,
  cardActionsOnCardsBy,
  cardActionsWrittenBy,
  cardRecordOf,
  closeCard,
  postCard,
  updateCard,
} from './cards'
import { GROUP_DOC_ID, GroupRoot, PanelRoot } from './documents'
import type { MessageCard } from './message-card'

let hr: Person // the card's author (a bot, in the story)
let lead: Person // holds the "leads" role the card lists
let mallory: Person // a member without it, on a modified client
let general: string
let leads: string

const CARD: MessageCard = {
  pluginId: 'com.tailmesh.card',
  type: 'actions',
  data: {},
  controls: [
    { kind: 'select', id: 'slot', label: 'Interview slot', options: [{ value: 'mon', label: 'Monday' }] },
    { kind: 'button', id: 'approve', label: 'Approve', style: 'primary' },
    { kind: 'button', id: 'reject', label: 'Reject', style: 'danger' },
  ],
}

beforeEach(async () => {
  const g = await groupOf('hr')
  hr = g.owner
  general = g.general
  lead = await person('lead', hr.groupId)
  mallory = await person('mallory', hr.groupId)
  await join(hr, lead)
  await join(hr, mallory)
  leads = await hr.actions.createRole({ name: 'leads', points: [] })
  await hr.actions.assignRole(lead.identity.userId, leads)
  await sync(hr, lead)
  await sync(hr, mallory)
})

async function candidateCard(): Promise<string> {
  const { id } = await postCard(hr.actions, general, '**Ann Lee** applied', CARD, { who: { roles: [leads] } })
  await sync(hr, lead)
  await sync(hr, mallory)
  return id
}

/** Mallory's client skips the checks: she signs a press of "approve" in her own name. */
async function forgedPress(cardId: string): Promise<Uint8Array> {
  await mallory.session.transact(mallory.actions.docOf(general, cardId), (doc, hlc) =>
    doc
      .getMap(PanelRoot.actions)
      .set(actionKey(cardId, 'approve', mallory.identity.userId), { values: {}, at: hlc }),
  )
  return encodeEnvelope(mallory.outbox[mallory.outbox.length - 1]!)
}

describe('card actions', () => {
  it('a listed role presses a button; every peer holds the action, and the author hears of it', async () => {
    const id = await candidateCard()
    expect(cardRecordOf(lead.gate.authority(), general, id)?.actions).toEqual(['approve', 'reject'])
    const envelope = await actOnCard(lead.actions, general, id, 'approve', { slot: 'mon' })
    const [v] = await hr.gate.receiveMany([encodeEnvelope(envelope!)])
    expect(v?.kind).toBe('accept')
    expect(cardActionsWrittenBy(hr.gate, envelope!)).toMatchObject([
      { cardId: id, actionId: 'approve', userId: lead.identity.userId, values: { slot: 'mon' } },
    ])
    const docId = hr.actions.docOf(general, id)
    expect(cardActionsOf(hr.gate, general, id, docId).map((a) => a.actionId)).toEqual(['approve'])
  })

  it("the presses on an author's cards are theirs to answer; presses on another's card are not", async () => {
    const id = await candidateCard()
    // Lead's own card for everyone, in the same panel: Mallory presses both.
    const { id: leadsCard } = await postCard(lead.actions, general, 'Lunch?', {
      ...CARD,
      controls: [{ kind: 'button', id: 'yes', label: 'Yes' }],
    })
    await sync(lead, hr)
    await sync(lead, mallory)
    const onHr = (await actOnCard(lead.actions, general, id, 'approve'))!
    const onLead = (await actOnCard(mallory.actions, general, leadsCard, 'yes'))!
    await hr.gate.receiveMany([onHr, onLead].map(encodeEnvelope))
    const hrId = hr.identity.userId
    expect(cardActionsOnCardsBy(hr.gate, onHr, hrId)).toMatchObject([{ cardId: id, actionId: 'approve' }])
    expect(cardActionsOnCardsBy(hr.gate, onLead, hrId)).toEqual([])
    expect(cardActionsOnCardsBy(hr.gate, onLead, lead.identity.userId)).toMatchObject([
      { cardId: leadsCard, actionId: 'yes', userId: mallory.identity.userId },
    ])
    // Someone with no card in the panel: nothing, without reading the envelope.
    expect(cardActionsOnCardsBy(hr.gate, onHr, mallory.identity.userId)).toEqual([])
  })

  it('a member the card does not list is refused by her client, and a forged press by every gate', async () => {
    const id = await candidateCard()
    expect(
      cardActionProblem(mallory.gate.authority(), mallory.identity.userId, general, id, 'approve'),
    ).toMatch(/the card is for the roles and members it lists/)
    await expect(actOnCard(mallory.actions, general, id, 'approve')).rejects.toThrow(/not allowed/)
    const forged = await forgedPress(id)
    for (const peer of [hr, lead]) {
      const [v] = await peer.gate.receiveMany([forged])
      expect(v?.kind).toBe('defer')
      if (v?.kind === 'defer') expect(v.reason).toMatch(/permission denied: the card is for the roles/)
      expect(cardActionsOf(peer.gate, general, id, peer.actions.docOf(general, id))).toEqual([])
    }
  })

  it('a press of a button the card does not have, or on a card with no record, is refused', async () => {
    const { id } = await hr.actions.send(general, 'no buttons here')
    await sync(hr, lead)
    const [v] = await hr.gate.receiveMany([await forgedPress(id)])
    expect(v?.kind).toBe('defer')
    if (v?.kind === 'defer') expect(v.reason).toMatch(/unknown card at this time/)
    const card = await candidateCard()
    await expect(actOnCard(lead.actions, general, card, 'hire')).rejects.toThrow(/no action "hire"/)
  })

  it('a closed card takes no more actions; a press dated before the close still counts', async () => {
    const id = await candidateCard()
    const early = await actOnCard(lead.actions, general, id, 'reject')
    // Two clocks in one millisecond can date the close before the press: let wall-clock time move on.
    await new Promise((r) => setTimeout(r, 5))
    await closeCard(hr.actions, general, id)
    await sync(hr, lead)
    expect(cardRecordOf(lead.gate.authority(), general, id)?.closed).toBeDefined()
    await expect(actOnCard(lead.actions, general, id, 'approve')).rejects.toThrow(/the card is closed/)
    // A modified client signs a press after the close: every gate refuses it, with the reason.
    await lead.session.transact(lead.actions.docOf(general, id), (doc, hlc) =>
      doc
        .getMap(PanelRoot.actions)
        .set(actionKey(id, 'approve', lead.identity.userId), { values: {}, at: hlc }),
    )
    const late = encodeEnvelope(lead.outbox[lead.outbox.length - 1]!)
    // Both reach the author after the close: the press made before it is judged at its own time and
    // counts, the one after is refused with the reason.
    const [w, v] = await hr.gate.receiveMany([encodeEnvelope(early!), late])
    expect(w?.kind).toBe('accept')
    expect(v?.kind).toBe('defer')
    if (v?.kind === 'defer') expect(v.reason).toMatch(/the card is closed/)
    const docId = hr.actions.docOf(general, id)
    expect(cardActionsOf(hr.gate, general, id, docId).map((a) => a.actionId)).toEqual(['reject'])
  })

  it('only the author updates or closes a card; a forged close is refused by every gate', async () => {
    const id = await candidateCard()
    await expect(updateCard(lead.actions, general, id, { status: 'Approved' })).rejects.toBeInstanceOf(
      PermissionDeniedError,
    )
    await expect(closeCard(lead.actions, general, id)).rejects.toBeInstanceOf(PermissionDeniedError)
    // A modified client writes the close into the card's record anyway.
    const record = cardRecordOf(lead.gate.authority(), general, id)!
    await lead.session.transact(GROUP_DOC_ID, (doc, hlc) =>
      doc.getMap(GroupRoot.cards).set(cardKey(general, id), { ...record, closed: { at: hlc } }),
    )
    const [v] = await hr.gate.receiveMany([encodeEnvelope(lead.outbox[lead.outbox.length - 1]!)])
    expect(v?.kind).toBe('defer')
    if (v?.kind === 'defer') expect(v.reason).toMatch(/only the card's author changes or closes it/)
    expect(cardRecordOf(hr.gate.authority(), general, id)?.closed).toBeUndefined()

    // The author turns the buttons into a status line and closes the card: everyone sees it.
    await updateCard(hr.actions, general, id, { controls: [], status: 'Approved by lead · 10:02' })
    await closeCard(hr.actions, general, id)
    await sync(hr, mallory)
    expect(mallory.actions.message(general, id)?.card?.status).toBe('Approved by lead · 10:02')
    expect(cardRecordOf(mallory.gate.authority(), general, id)).toMatchObject({ actions: [], closed: {} })
  })

  it('a card for everyone lets any member press; a closed card cannot be reopened', async () => {
    const { id } = await postCard(hr.actions, general, 'Lunch?', CARD)
    await sync(hr, mallory)
    const press = await actOnCard(mallory.actions, general, id, 'approve')
    expect((await hr.gate.receiveMany([encodeEnvelope(press!)]))[0]?.kind).toBe('accept')
    await closeCard(hr.actions, general, id)
    await sync(hr, mallory)
    const record = cardRecordOf(hr.gate.authority(), general, id)!
    const { closed: _, ...open } = record
    await hr.session.transact(GROUP_DOC_ID, (doc) =>
      doc.getMap(GroupRoot.cards).set(cardKey(general, id), open),
    )
    const reopen = encodeEnvelope(hr.outbox[hr.outbox.length - 1]!)
    const [v] = await mallory.gate.receiveMany([reopen])
    expect(v?.kind).not.toBe('accept')
    if (v?.kind !== 'accept') expect(v?.reason).toMatch(/a closed card stays closed/)
  })
  it('a muted member cannot act on a card; a press forged while muted is refused', async () => {
    const { id } = await postCard(hr.actions, general, 'Lunch?', CARD)
    await hr.actions.mute(mallory.identity.userId, 60 * 60 * 1000)
    await sync(hr, mallory)
    await expect(actOnCard(mallory.actions, general, id, 'approve')).rejects.toThrow(/muted/)
    const [v] = await hr.gate.receiveMany([await forgedPress(id)])
    expect(v?.kind).toBe('defer')
    if (v?.kind === 'defer') expect(v.reason).toMatch(/muted: a muted member does not act on cards/)
  })
})
