// Plugin documents through real gates: what a member may write in `x/<pluginId>/<scope>`, what every
// honest peer refuses (with the reason), and that honest peers end up with identical documents.
// Attackers are real identities writing through their session directly (a modified client).

import * as Y from 'yjs'
import { beforeEach, describe, expect, it } from 'vitest'
import { encodeEnvelope, type Envelope } from '../envelope/envelope'
import { EVERYONE_ROLE } from '../group/documents'
import { PluginRoot, ownKey, pluginDocId, textRoot } from '../group/plugin-docs'
import { PluginStateRefusedError, openPluginState } from '../group/plugin-state'
import { groupOf, join, person, sync, type Person } from '../../test/peers'
import type { Verdict } from './verdict'

const POLL = 'com.example.poll'

let alice: Person
let bob: Person
let carol: Person
let general: string

beforeEach(async () => {
  const g = await groupOf()
  alice = g.owner
  general = g.general
  bob = await person('bob', alice.groupId)
  carol = await person('carol', alice.groupId)
  await join(alice, bob)
  await join(alice, carol)
  for (const p of [bob, carol]) await sync(alice, p)
})

const last = (p: Person): Envelope => p.outbox[p.outbox.length - 1]!
const docState = (p: Person, docId: string): string =>
  Buffer.from(Y.encodeStateAsUpdate(p.gate.doc(docId))).toString('base64')

/** Writes straight into a plugin document through the session: a client that skips every check. */
async function forge(p: Person, docId: string, edit: (doc: Y.Doc) => void): Promise<Envelope> {
  await p.session.transact(docId, (doc) => edit(doc))
  return last(p)
}

/** Both honest peers (Alice, Carol) refuse `envelope` with `reason`; their plugin document is unchanged. */
async function refusedByAll(envelope: Envelope, reason: RegExp, docId: string): Promise<Verdict[]> {
  await sync(alice, carol)
  await sync(carol, alice)
  const before = [docState(alice, docId), docState(carol, docId)]
  const verdicts = [
    await alice.gate.receive(encodeEnvelope(envelope)),
    await carol.gate.receive(encodeEnvelope(envelope)),
  ]
  for (const v of verdicts) {
    expect(v.kind).not.toBe('accept')
    if (v.kind !== 'accept') expect(v.reason).toMatch(reason)
  }
  expect([docState(alice, docId), docState(carol, docId)]).toEqual(before)
  return verdicts
}

describe('own entries: one per member, written only by that member', () => {
  it("a member cannot write another member's entry", async () => {
    const docId = pluginDocId(POLL, general)
    const forged = await forge(bob, docId, (doc) =>
      doc.getMap(PluginRoot.own).set(ownKey('poll-1', carol.identity.userId), 0),
    )
    const [v] = await refusedByAll(forged, /own entry is written only by its member/, docId)
    // No authority change can ever allow it: refused for good, not held.
    expect(v?.kind).toBe('reject')
    // Nor delete one.
    const carolState = await openPluginState(carol.session, POLL, general)
    await carolState.change(() => carolState.own().set(carolState.ownKey('poll-1'), 1))
    await sync(carol, alice)
    await sync(carol, bob)
    const removal = await forge(bob, docId, (doc) =>
      doc.getMap(PluginRoot.own).delete(ownKey('poll-1', carol.identity.userId)),
    )
    await refusedByAll(removal, /own entry is written only by its member/, docId)
    expect(
      (await openPluginState(alice.session, POLL, general)).entries('poll-1').get(carol.identity.userId),
    ).toBe(1)
  })

  it('the change is refused on the author’s own device too, with the reason', async () => {
    const state = await openPluginState(bob.session, POLL, general)
    const attempt = state.change(() => state.own().set(ownKey('poll-1', carol.identity.userId), 0))
    await expect(attempt).rejects.toBeInstanceOf(PluginStateRefusedError)
    await expect(attempt).rejects.toThrow(/written only by its member/)
    expect(state.own().size).toBe(0)
  })

  it('a second vote replaces the first: a member never counts twice', async () => {
    const bobState = await openPluginState(bob.session, POLL, general)
    const carolState = await openPluginState(carol.session, POLL, general)
    await bobState.change(() => bobState.own().set(bobState.ownKey('poll-1'), 0))
    await bobState.change(() => bobState.own().set(bobState.ownKey('poll-1'), 2))
    await carolState.change(() => carolState.own().set(carolState.ownKey('poll-1'), 2))
    for (const from of [bob, carol]) await sync(from, alice)
    await sync(alice, bob)
    await sync(alice, carol)
    for (const p of [alice, bob, carol]) {
      const votes = (await openPluginState(p.session, POLL, general)).entries('poll-1')
      expect(Object.fromEntries(votes)).toEqual({ [bob.identity.userId]: 2, [carol.identity.userId]: 2 })
    }
    const docId = pluginDocId(POLL, general)
    expect(docState(alice, docId)).toEqual(docState(bob, docId))
    expect(docState(alice, docId)).toEqual(docState(carol, docId))
  })
})

describe('who may write plugin state at all', () => {
  it('a stranger who never joined is refused', async () => {
    const mallory = await person('mallory', alice.groupId)
    await sync(alice, mallory)
    const docId = pluginDocId(POLL, general)
    const forged = await forge(mallory, docId, (doc) =>
      doc.getMap(PluginRoot.own).set(ownKey('poll-1', mallory.identity.userId), 0),
    )
    await refusedByAll(forged, /not a member/, docId)
  })

  it('a muted member is refused, and can vote again once unmuted', async () => {
    await alice.actions.mute(bob.identity.userId, 10 * 60_000)
    await sync(alice, bob)
    await sync(alice, carol)
    const state = await openPluginState(bob.session, POLL, general)
    await expect(state.change(() => state.own().set(state.ownKey('poll-1'), 0))).rejects.toThrow(/muted/)
    const docId = pluginDocId(POLL, general)
    const forged = await forge(bob, docId, (doc) =>
      doc.getMap(PluginRoot.own).set(ownKey('poll-1', bob.identity.userId), 0),
    )
    await refusedByAll(forged, /muted/, docId)
    await new Promise((r) => setTimeout(r, 5))
    await alice.actions.unmute(bob.identity.userId)
    await sync(alice, bob)
    await state.change(() => state.own().set(state.ownKey('poll-1'), 1))
    await sync(bob, alice)
    expect(
      (await openPluginState(alice.session, POLL, general)).entries('poll-1').get(bob.identity.userId),
    ).toBe(1)
  })

  it('without "message" in the panel (an announcement panel), a member is refused', async () => {
    const news = await alice.actions.createPanel({
      name: 'news',
      overrides: { roles: { [EVERYONE_ROLE]: { allow: [], deny: ['message'] } } },
    })
    await sync(alice, bob)
    await sync(alice, carol)
    const docId = pluginDocId(POLL, news)
    const forged = await forge(bob, docId, (doc) =>
      doc.getMap(PluginRoot.own).set(ownKey('poll-1', bob.identity.userId), 0),
    )
    await refusedByAll(forged, /permission denied: .*needs "message"/, docId)
  })

  it("a guarded name needs the plugin's point, held through a role", async () => {
    const docId = pluginDocId(POLL, general)
    const state = await openPluginState(bob.session, POLL, general)
    const close = () => state.change(() => state.shared().set('closed#close', true))
    await expect(close()).rejects.toThrow(/needs "plugin\.com\.example\.poll\.close"/)
    await refusedByAll(last(bob), /needs "plugin\.com\.example\.poll\.close"/, docId)
    // An unguarded name next to it is no way around the guard: the plugin reads the guarded one.
    const closer = await alice.actions.createRole({
      name: 'closer',
      points: ['plugin.com.example.poll.close'],
    })
    await alice.actions.assignRole(bob.identity.userId, closer)
    await sync(alice, bob)
    await sync(alice, carol)
    await close()
    await sync(bob, alice)
    await sync(bob, carol)
    for (const p of [alice, carol])
      expect((await openPluginState(p.session, POLL, general)).shared().get('closed#close')).toBe(true)
  })

  it('group-wide shared state needs groupConfig; own entries there need only membership', async () => {
    const docId = pluginDocId(POLL, 'group')
    const forged = await forge(bob, docId, (doc) => doc.getMap(PluginRoot.shared).set('setting', 'x'))
    await refusedByAll(forged, /needs "groupConfig"/, docId)
    const own = await openPluginState(bob.session, POLL, 'group')
    await own.change(() => own.own().set(own.ownKey('seen'), 1))
    await sync(bob, alice)
    expect(
      (await openPluginState(alice.session, POLL, 'group')).entries('seen').get(bob.identity.userId),
    ).toBe(1)
  })
})

describe('where plugin state may live', () => {
  it('a plugin document for a panel that does not exist is refused', async () => {
    const docId = pluginDocId(POLL, 'no-such-panel')
    const forged = await forge(bob, docId, (doc) =>
      doc.getMap(PluginRoot.own).set(ownKey('poll-1', bob.identity.userId), 0),
    )
    await refusedByAll(forged, /unknown panel/, docId)
  })

  it("a plugin panel's state belongs to its plugin only", async () => {
    const notes = await alice.actions.createPanel({
      name: 'notes',
      type: 'plugin',
      meta: { pluginId: 'com.example.notes', panelType: 'notes' },
    })
    await sync(alice, bob)
    await sync(alice, carol)
    const docId = pluginDocId(POLL, notes)
    const forged = await forge(bob, docId, (doc) => doc.getMap(PluginRoot.shared).set('x', 1))
    await refusedByAll(forged, /belongs to another plugin \(com\.example\.notes\)/, docId)
    const mine = await openPluginState(bob.session, 'com.example.notes', notes)
    await mine.change(() => mine.text('body').insert(0, 'hello'))
    await sync(bob, alice)
    expect((await openPluginState(alice.session, 'com.example.notes', notes)).text('body').toString()).toBe(
      'hello',
    )
  })

  it('a category has no plugin state; unknown maps and non-JSON values are refused for good', async () => {
    const cat = await alice.actions.createPanel({ name: 'cat', type: 'category' })
    await sync(alice, bob)
    await sync(alice, carol)
    await refusedByAll(
      await forge(bob, pluginDocId(POLL, cat), (doc) => doc.getMap(PluginRoot.shared).set('x', 1)),
      /no plugin state/,
      pluginDocId(POLL, cat),
    )
    const docId = pluginDocId(POLL, general)
    const [v] = await refusedByAll(
      await forge(bob, docId, (doc) => doc.getMap('secrets').set('x', 1)),
      /unknown map "secrets"/,
      docId,
    )
    expect(v?.kind).toBe('reject')
    await refusedByAll(
      await forge(bob, docId, (doc) => doc.getMap(PluginRoot.shared).set('nested', new Y.Map())),
      /plain values/,
      docId,
    )
    await refusedByAll(
      await forge(bob, docId, (doc) => doc.getMap(PluginRoot.shared).set('big', 'x'.repeat(3000))),
      /larger than 2048/,
      docId,
    )
  })

  it('plugin text is plain text: formats and map-style writes into it are refused', async () => {
    const docId = pluginDocId(POLL, general)
    await refusedByAll(
      await forge(bob, docId, (doc) => doc.getText(textRoot('body')).insert(0, 'bold', { bold: true })),
      /plain text only/,
      docId,
    )
  })
})

describe('concurrent edits converge', () => {
  it('two members typing into one text at once, delivered in opposite orders', async () => {
    const [b, c] = await Promise.all([
      openPluginState(bob.session, POLL, general),
      openPluginState(carol.session, POLL, general),
    ])
    await b.change(() => b.text('notes').insert(0, 'shared start. '))
    await sync(bob, carol)
    await sync(bob, alice)
    // Both edit without having seen the other's edit.
    await b.change(() => b.text('notes').insert(b.text('notes').length, 'Bob was here. '))
    await c.change(() => c.text('notes').insert(0, 'Carol first! '))
    await c.change(() => c.text('notes').delete(13, 6)) // Carol deletes Bob's "shared"
    const fromBob = bob.outbox.slice(-1)
    const fromCarol = carol.outbox.slice(-2)
    await alice.gate.receiveMany([...fromCarol, ...fromBob].map(encodeEnvelope))
    await bob.gate.receiveMany(fromCarol.map(encodeEnvelope))
    await carol.gate.receiveMany(fromBob.map(encodeEnvelope))
    const docId = pluginDocId(POLL, general)
    const texts = await Promise.all(
      [alice, bob, carol].map(async (p) =>
        (await openPluginState(p.session, POLL, general)).text('notes').toString(),
      ),
    )
    expect(new Set(texts).size).toBe(1)
    expect(texts[0]).toContain('Carol first!')
    expect(texts[0]).toContain('Bob was here.')
    expect(texts[0]).not.toContain('shared')
    expect(docState(alice, docId)).toEqual(docState(bob, docId))
    expect(docState(alice, docId)).toEqual(docState(carol, docId))
  })

  it('a vote and a concurrent mute: every peer decides by the timestamps, whatever the order', async () => {
    const state = await openPluginState(bob.session, POLL, general)
    await alice.actions.mute(bob.identity.userId, 10 * 60_000)
    const mute = last(alice)
    await new Promise((r) => setTimeout(r, 5))
    // Bob has not heard of the mute and votes after it.
    await state.change(() => state.own().set(state.ownKey('poll-1'), 1))
    const vote = last(bob)
    await carol.gate.receiveMany([vote, mute].map(encodeEnvelope))
    await alice.gate.receiveMany([vote].map(encodeEnvelope))
    await bob.gate.receiveMany([mute].map(encodeEnvelope))
    const docId = pluginDocId(POLL, general)
    for (const p of [alice, bob, carol])
      expect((await openPluginState(p.session, POLL, general)).entries('poll-1').size).toBe(0)
    expect(docState(alice, docId)).toEqual(docState(carol, docId))
    expect(docState(alice, docId)).toEqual(docState(bob, docId))
  })
})

describe('message cards', () => {
  it('a card travels with its message; an oversized or malformed card is refused', async () => {
    const { id: id } = await bob.actions.send(general, 'Poll: lunch?', {
      card: { pluginId: POLL, type: 'poll', data: { question: 'lunch?', options: ['pizza', 'soup'] } },
    })
    await sync(bob, alice)
    expect(alice.actions.message(general, id)?.card).toEqual({
      pluginId: POLL,
      type: 'poll',
      data: { question: 'lunch?', options: ['pizza', 'soup'] },
    })
    await expect(
      bob.actions.send(general, 'big', {
        card: { pluginId: POLL, type: 'poll', data: { x: 'y'.repeat(5000) } },
      }),
    ).rejects.toThrow(/card data must be at most 4096/)
    await expect(
      bob.actions.send(general, 'bad', { card: { pluginId: 'Not An Id', type: 'poll', data: {} } }),
    ).rejects.toThrow(/not a plugin id/)
  })
})
