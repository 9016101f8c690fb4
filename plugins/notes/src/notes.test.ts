// The notes' logic over real gates (core's test peers): two members typing into the one shared text
// at the same time converge on every peer, and members who may not speak in the panel are refused.

import { describe, expect, it } from 'vitest'
import { EVERYONE_ROLE, encodeEnvelope, openPluginState, pluginDocId, textRoot } from '@tailmesh/core'
import { groupOf, join, person, sync, type Person } from '@tailmesh/core/test/peers'
import { manifest } from './manifest'
import { NOTES_PANEL, NOTES_TEXT, editNotes, moveCursor, readNotes, spliceOf } from './notes'

async function notesPanel(overrides?: Parameters<Person['actions']['createPanel']>[0]['overrides']) {
  const { owner: alice } = await groupOf()
  const bob = await person('bob', alice.groupId)
  const carol = await person('carol', alice.groupId)
  for (const p of [bob, carol]) await join(alice, p)
  const panel = await alice.actions.createPanel({
    name: 'notes',
    type: 'plugin',
    meta: { pluginId: manifest.id, panelType: NOTES_PANEL },
    overrides,
  })
  for (const p of [bob, carol]) await sync(alice, p)
  return { alice, bob, carol, panel }
}

const notesOf = async (p: Person, panel: string) =>
  readNotes(await openPluginState(p.session, manifest.id, panel))

describe('splices', () => {
  it('turns an editor change into the smallest splice, keeping characters whole', () => {
    expect(spliceOf('hello world', 'hello brave world')).toEqual({ index: 6, remove: 0, insert: 'brave ' })
    expect(spliceOf('hello world', 'hello')).toEqual({ index: 5, remove: 6, insert: '' })
    expect(spliceOf('same', 'same')).toBeNull()
    // Replacing one emoji by another that shares its high surrogate replaces the whole pair.
    expect(spliceOf('a😀b', 'a😁b')).toEqual({ index: 1, remove: 2, insert: '😁' })
  })

  it('moves a caret along with text inserted or removed before it', () => {
    expect(moveCursor(8, 'hello world', 'oh, hello world')).toBe(12)
    expect(moveCursor(2, 'hello world', 'hello world!')).toBe(2)
    expect(moveCursor(8, 'hello world', 'hello')).toBe(5)
  })
})

describe('one shared text over real gates', () => {
  it('notes edited by two people at once converge on every peer', async () => {
    const { alice, bob, carol, panel } = await notesPanel()
    const [b, c] = await Promise.all([bob, carol].map((p) => openPluginState(p.session, manifest.id, panel)))
    await editNotes(b!, '', '# Plan\n\n- ship\n')
    await sync(bob, carol)
    await sync(bob, alice)
    // Both type at once, neither having seen the other's keystrokes.
    await editNotes(b!, '# Plan\n\n- ship\n', '# Plan\n\n- ship\n- test\n')
    await editNotes(c!, '# Plan\n\n- ship\n', '# Our plan\n\n- ship\n')
    const [fromBob, fromCarol] = [bob.outbox.at(-1)!, carol.outbox.at(-1)!]
    await alice.gate.receiveMany([fromCarol, fromBob].map(encodeEnvelope))
    await bob.gate.receive(encodeEnvelope(fromCarol))
    await carol.gate.receive(encodeEnvelope(fromBob))
    const texts = await Promise.all([alice, bob, carol].map((p) => notesOf(p, panel)))
    expect(texts).toEqual([
      '# Our plan\n\n- ship\n- test\n',
      '# Our plan\n\n- ship\n- test\n',
      '# Our plan\n\n- ship\n- test\n',
    ])
  })

  it('a member who may not speak in the panel is refused by every peer, with the reason', async () => {
    const { alice, bob, carol, panel } = await notesPanel({
      roles: { [EVERYONE_ROLE]: { allow: [], deny: ['message'] } },
    })
    const b = await openPluginState(bob.session, manifest.id, panel)
    await expect(editNotes(b, '', 'graffiti')).rejects.toThrow(/needs "message"/)
    const attempt = encodeEnvelope(bob.outbox.at(-1)!)
    for (const p of [alice, carol]) {
      const verdict = await p.gate.receive(attempt)
      expect(verdict.kind).not.toBe('accept')
      expect(await notesOf(p, panel)).toBe('')
    }
    // The owner still may: the text is the panel's, not one member's.
    await editNotes(await openPluginState(alice.session, manifest.id, panel), '', 'agenda')
    await sync(alice, carol)
    expect(await notesOf(carol, panel)).toBe('agenda')
  })

  it("another plugin cannot write into the notes panel's text", async () => {
    const { alice, bob, panel } = await notesPanel()
    await bob.session.transact(pluginDocId('com.example.other', panel), (doc) =>
      doc.getText(textRoot(NOTES_TEXT)).insert(0, 'hijack'),
    )
    const verdict = await alice.gate.receive(encodeEnvelope(bob.outbox.at(-1)!))
    expect(verdict).toMatchObject({ reason: expect.stringMatching(/belongs to another plugin/) })
  })
})
