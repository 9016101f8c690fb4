// The calendar's events and RSVPs over real gates (core's test peers: real identities, signed
// envelopes, every peer's gate judging them): only a role holding the plugin's point creates events,
// one RSVP per member holds by construction, and an RSVP written in another member's name is refused
// by every honest peer.
import { describe, expect, it } from 'vitest'
import { encodeEnvelope, openPluginState, PluginRoot, pluginDocId } from '@tailmesh/core'
import { groupOf, join, person, sync, type Person } from '@tailmesh/core/test/peers'
import {
  CALENDAR_PANEL,
  answer,
  eventKey,
  listEvents,
  rsvpCounts,
  rsvpName,
  rsvpsOf,
  saveEvent,
  type EventDraft,
} from './events'
import { manifest } from './manifest'

const POINT = `plugin.${manifest.id}.createEvent` as const

const draft: EventDraft = {
  title: 'Friday live stream',
  start: Date.UTC(2026, 2, 6, 12, 0),
  end: Date.UTC(2026, 2, 6, 13, 30),
  zone: 'Asia/Shanghai',
  repeat: 'weekly',
  link: 'https://live.example/alice',
}

async function calendarGroup() {
  const { owner: alice } = await groupOf()
  const bob = await person('bob', alice.groupId)
  const carol = await person('carol', alice.groupId)
  for (const p of [bob, carol]) await join(alice, p)
  const panel = await alice.actions.createPanel({
    name: 'streams',
    type: 'plugin',
    meta: { pluginId: manifest.id, panelType: CALENDAR_PANEL },
  })
  for (const p of [bob, carol]) await sync(alice, p)
  return { alice, bob, carol, panel }
}

const stateOf = (p: Person, panel: string) => openPluginState(p.session, manifest.id, panel)

describe('calendar over real gates', () => {
  it('a member without the point cannot create an event; every peer refuses it with the reason', async () => {
    const { alice, bob, carol, panel } = await calendarGroup()
    await expect(saveEvent(await stateOf(bob, panel), draft)).rejects.toThrow(
      /needs "plugin\.com\.tailmesh\.calendar\.createEvent"/,
    )
    const attempt = encodeEnvelope(bob.outbox.at(-1)!)
    for (const p of [alice, carol]) {
      expect((await p.gate.receive(attempt)).kind).not.toBe('accept')
      expect(listEvents(await stateOf(p, panel))).toEqual([])
    }
    // A role with the point can; the owner holds every point.
    const streamer = await alice.actions.createRole({ name: 'Streamer', points: [POINT] })
    await alice.actions.assignRole(bob.identity.userId, streamer)
    await sync(alice, bob)
    const made = await saveEvent(await stateOf(bob, panel), draft)
    for (const p of [alice, carol]) await sync(bob, p)
    expect(listEvents(await stateOf(carol, panel)).map((e) => [e.title, e.by])).toEqual([
      ['Friday live stream', bob.identity.userId],
    ])
    // Carol cannot change or delete Bob's event either.
    const c = await stateOf(carol, panel)
    await expect(c.change(() => c.shared().delete(eventKey(made.id)))).rejects.toThrow(/createEvent/)
  })

  it('one RSVP per member: answering again replaces, and answers from two members converge', async () => {
    const { alice, bob, carol, panel } = await calendarGroup()
    const event = await saveEvent(await stateOf(alice, panel), draft)
    for (const p of [bob, carol]) await sync(alice, p)
    await answer(await stateOf(bob, panel), event.id, 'maybe')
    await answer(await stateOf(bob, panel), event.id, 'going')
    await answer(await stateOf(carol, panel), event.id, 'going')
    for (const from of [bob, carol])
      for (const to of [alice, bob, carol]) if (from !== to) await sync(from, to)
    for (const p of [alice, bob, carol]) {
      const answers = rsvpsOf(await stateOf(p, panel), event.id)
      expect(answers.size).toBe(2)
      expect(rsvpCounts(answers)).toEqual({ going: 2, maybe: 0, no: 0 })
    }
  })

  it("an RSVP written in another member's name is refused by every honest peer", async () => {
    const { alice, bob, carol, panel } = await calendarGroup()
    const event = await saveEvent(await stateOf(alice, panel), draft)
    for (const p of [bob, carol]) await sync(alice, p)
    // Bob's modified client writes "no" as Carol, straight into the document.
    await bob.session.transact(pluginDocId(manifest.id, panel), (doc) =>
      doc.getMap(PluginRoot.own).set(`${rsvpName(event.id)}@${carol.identity.userId}`, 'no'),
    )
    const forged = encodeEnvelope(bob.outbox.at(-1)!)
    for (const p of [alice, carol]) {
      const verdict = await p.gate.receive(forged)
      expect(verdict).toMatchObject({ reason: expect.stringMatching(/written only by its member/) })
      expect(rsvpsOf(await stateOf(p, panel), event.id).size).toBe(0)
    }
  })

  it('refuses a draft that cannot be an event, with the reason in both languages', async () => {
    const { alice, panel } = await calendarGroup()
    const s = await stateOf(alice, panel)
    await expect(saveEvent(s, { ...draft, end: draft.start })).rejects.toThrow('must end after it starts')
    await expect(saveEvent(s, { ...draft, zone: 'Mars/Olympus' })).rejects.toThrow('Unknown time zone')
    await expect(saveEvent(s, { ...draft, link: 'javascript:alert(1)' })).rejects.toThrow('https://')
    await expect(saveEvent(s, { ...draft, description: '"'.repeat(1000) })).rejects.toThrow(
      'too long to store',
    )
    expect(listEvents(s)).toEqual([])
  })
})
