// openPluginState as a plugin uses it: edits become signed envelopes other members' gates accept,
// remote edits show up and are announced, and a document the gate rebuilds is followed.

import { describe, expect, it } from 'vitest'
import { encodeEnvelope } from '../envelope/envelope'
import { ValidationError } from '../errors'
import { groupOf, join, person, sync } from '../../test/peers'
import { pluginDocId } from './plugin-docs'
import { openPluginState } from './plugin-state'

const NOTES = 'com.example.notes'

async function twoMembers() {
  const { owner: alice, general } = await groupOf()
  const bob = await person('bob', alice.groupId)
  await join(alice, bob)
  await sync(alice, bob)
  return { alice, bob, general }
}

describe('openPluginState', () => {
  it("one member's change is one signed envelope in the plugin's document, seen by the other", async () => {
    const { alice, bob, general } = await twoMembers()
    const mine = await openPluginState(alice.session, NOTES, general)
    const theirs = await openPluginState(bob.session, NOTES, general)
    let heard = 0
    const off = theirs.onChange(() => heard++)
    const before = alice.outbox.length
    await mine.change(() => {
      mine.text('body').insert(0, '# Plan')
      mine.shared().set('title', 'Plan')
      mine.own().set(mine.ownKey('cursor'), 6)
    })
    expect(alice.outbox.length).toBe(before + 1)
    expect(alice.outbox[before]!.docId).toBe(pluginDocId(NOTES, general))
    await sync(alice, bob)
    expect(theirs.text('body').toString()).toBe('# Plan')
    expect(theirs.shared().get('title')).toBe('Plan')
    expect(theirs.entries('cursor')).toEqual(new Map([[alice.identity.userId, 6]]))
    expect(heard).toBeGreaterThan(0)
    off()
    const seen = heard
    await mine.change(() => mine.text('body').insert(6, '!'))
    await sync(alice, bob)
    expect(heard).toBe(seen)
  })

  it('follows the document when the gate rebuilds it (a concurrent revocation)', async () => {
    const { alice, bob, general } = await twoMembers()
    const theirs = await openPluginState(bob.session, NOTES, general)
    const aliceView = await openPluginState(alice.session, NOTES, general)
    let heard = 0
    aliceView.onChange(() => heard++)
    await alice.actions.mute(bob.identity.userId, 60_000)
    const mute = alice.outbox[alice.outbox.length - 1]!
    await new Promise((r) => setTimeout(r, 5))
    await theirs.change(() => theirs.text('body').insert(0, 'sneaky'))
    await alice.gate.receive(encodeEnvelope(bob.outbox[bob.outbox.length - 1]!))
    expect(aliceView.text('body').toString()).toBe('')
    // Bob's own device learns of the mute: his edit is rolled back and his view follows the new document.
    let bobHeard = 0
    theirs.onChange(() => bobHeard++)
    expect(theirs.text('body').toString()).toBe('sneaky')
    await bob.gate.receive(encodeEnvelope(mute))
    expect(theirs.text('body').toString()).toBe('')
    expect(bobHeard).toBeGreaterThan(0)
    expect(bob.session.undelivered().map((u) => u.reason)).toEqual([expect.stringMatching(/muted/)])
    expect(heard).toBe(0)
  })

  it('refuses ids that are not a plugin id or a scope', async () => {
    const { alice } = await twoMembers()
    await expect(openPluginState(alice.session, 'Not A Plugin', 'group')).rejects.toBeInstanceOf(
      ValidationError,
    )
    await expect(openPluginState(alice.session, NOTES, '../g')).rejects.toBeInstanceOf(ValidationError)
  })
})
