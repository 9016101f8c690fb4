import { encodeEnvelope } from '../envelope/envelope'
import { describe, expect, it } from 'vitest'
import { person, sync, syncAll, type Person } from '../../test/peers'
import { asPerson, personWithProfile, profileOf } from '../../test/views-helpers'
import type { Envelope } from '../envelope/envelope'
import { InvalidOperationError, ValidationError } from '../errors'
import { Identity } from '../identity/identity'
import type { SignedProfile } from '../identity/profile'
import { memberIds } from './authority-state'
import { createGroup, openGroup } from './create'
import { EVERYONE_ROLE, GROUP_DOC_ID, GroupRoot } from './documents'
import {
  MAX_DM_PARTICIPANTS,
  DM_DEFAULT_NAME,
  createDirectMessage,
  directMessageName,
  directMessagePanel,
  isDirectMessage,
} from './direct-message'
import { listMessages } from './history'
import { inbox } from './inbox'
import { ReadState } from './read-state'

async function aliceStartsDm(dm: { name?: string; others?: number } = {}) {
  const identity = await Identity.create()
  const outbox: Envelope[] = []
  const created = await createDirectMessage(
    identity,
    { ...dm, profile: await profileOf(identity, 'alice') },
    { send: (e) => outbox.push(e) },
  )
  return { alice: asPerson('alice', identity, outbox, created), created }
}

/** `who` receives the DM's history and joins with the secret Alice handed them. */
async function accept(alice: Person, who: Person & { profile?: SignedProfile }, secret: Uint8Array) {
  await sync(alice, who)
  await who.actions.join(secret, who.profile)
  await sync(who, alice)
}

describe('direct messages', () => {
  it('works end to end between Alice and Bob, and a third person cannot join with the used-up invite', async () => {
    const { alice, created } = await aliceStartsDm()
    const bob = await personWithProfile('bob', alice.groupId)
    await accept(alice, bob, created.secret)

    for (const p of [alice, bob]) {
      const state = p.gate.authority()
      expect(isDirectMessage(state)).toBe(true)
      expect(directMessagePanel(state)).toBe(created.panelId)
      expect([...state.panels.keys()]).toEqual([created.panelId])
      expect(state.invites.get(created.invite.inviteId)?.maxUses).toBe(1)
    }
    // Each sees the DM named after the other person.
    expect(directMessageName(alice.gate.authority(), alice.identity.userId)).toBe('bob')
    expect(directMessageName(bob.gate.authority(), bob.identity.userId)).toBe('alice')

    const { id: hi } = await bob.actions.send(created.panelId, 'hi alice', {
      mentions: { users: [alice.identity.userId] },
    })
    await sync(bob, alice)
    const { id: back } = await alice.actions.reply(created.panelId, hi, 'hi bob')
    await sync(alice, bob)
    expect(listMessages(alice.gate, created.panelId).messages.map((m) => m.body)).toEqual([
      'hi alice',
      'hi bob',
    ])
    expect(inbox([bob.gate], new ReadState(), bob.identity.userId).map((i) => [i.messageId, i.kind])).toEqual(
      [[back, 'reply']],
    )

    // Carol got hold of the link: her client refuses, and a modified client is refused by Alice's gate.
    const carol = await person('carol', alice.groupId)
    await sync(alice, carol)
    await expect(carol.actions.join(created.secret)).rejects.toThrow(InvalidOperationError)
    const rogue = await person('carol', alice.groupId, { skipLocalChecks: true })
    await sync(alice, rogue)
    await rogue.actions.join(created.secret)
    // Its own gate already rolled the join back, so hand Alice what it sent.
    const verdicts = await alice.gate.receiveMany(rogue.outbox.slice(-1).map(encodeEnvelope))
    expect(verdicts).toHaveLength(1)
    expect(verdicts[0]!.kind).not.toBe('accept')
    expect(verdicts[0]).toMatchObject({ reason: expect.stringMatching(/exhausted/) })
    expect(memberIds(alice.gate.authority()).sort()).toEqual(
      [alice.identity.userId, bob.identity.userId].sort(),
    )
  })

  it('takes as many others as it was made for, and no more', async () => {
    const { alice, created } = await aliceStartsDm({ others: 2 })
    const bob = await personWithProfile('bob', alice.groupId)
    const carol = await personWithProfile('carol', alice.groupId)
    await accept(alice, bob, created.secret)
    await accept(alice, carol, created.secret)
    await syncAll([alice, bob, carol])
    expect(directMessageName(carol.gate.authority(), carol.identity.userId)).toBe('alice, bob')
    expect(directMessageName(alice.gate.authority(), alice.identity.userId)).toBe('bob, carol')
    expect(directMessageName(alice.gate.authority(), alice.identity.userId, 1)).toBe('bob +1')

    const dave = await person('dave', alice.groupId)
    await sync(alice, dave)
    await expect(dave.actions.join(created.secret)).rejects.toThrow(/used up/)
  })

  it('keeps a name given to a group DM, and refuses a DM with nobody else', async () => {
    const { alice } = await aliceStartsDm({ name: 'Launch crew', others: 3 })
    expect(directMessageName(alice.gate.authority(), alice.identity.userId)).toBe('Launch crew')
    const { alice: alone } = await aliceStartsDm()
    expect(directMessageName(alone.gate.authority(), alone.identity.userId)).toBe(DM_DEFAULT_NAME)
    const identity = await Identity.create()
    await expect(createDirectMessage(identity, { others: 0 })).rejects.toThrow(ValidationError)
  })

  it('keeps its one panel and has no roles: every peer refuses a rogue owner who adds them', async () => {
    const { alice, created } = await aliceStartsDm()
    const bob = await personWithProfile('bob', alice.groupId)
    await accept(alice, bob, created.secret)

    await expect(alice.actions.createPanel({ name: 'side room' })).rejects.toThrow(InvalidOperationError)
    await expect(alice.actions.createRole({ name: 'mod', points: ['deleteMessage'] })).rejects.toThrow(
      /direct message/,
    )

    const rogueOutbox: Envelope[] = []
    const rogue = asPerson(
      'alice',
      alice.identity,
      rogueOutbox,
      await openGroup(alice.identity, alice.groupId, {
        skipLocalChecks: true,
        send: (e) => rogueOutbox.push(e),
      }),
    )
    await rogue.gate.receiveMany([...alice.gate.accepted()].map(encodeEnvelope))
    const before = bob.gate.authority()
    await rogue.actions.createPanel({ name: 'side room' })
    await rogue.actions.createRole({ name: 'mod', points: ['deleteMessage'] })
    // The rogue's own gate rolled the role back, so write an assignment by hand.
    await rogue.session.transact(GROUP_DOC_ID, (doc) =>
      doc.getMap(GroupRoot.assignments).set(`${bob.identity.userId}/${EVERYONE_ROLE}`, true),
    )
    const verdicts = await bob.gate.receiveMany(rogue.outbox.map(encodeEnvelope))
    expect(verdicts.map((v) => v.kind)).toEqual(['reject', 'reject', 'reject'])
    expect(verdicts.map((v) => ('reason' in v ? v.reason : v.kind))).toEqual([
      'invalid in a direct message: its panels are fixed at creation',
      'invalid in a direct message: its roles are fixed at creation',
      'invalid in a direct message: its assignments are fixed at creation',
    ])
    expect(bob.gate.authority()).toEqual(before)
  })

  it('is refused at genesis unless it has exactly one text panel', async () => {
    const identity = await Identity.create()
    const outbox: Envelope[] = []
    const odd = await createGroup(
      identity,
      { name: 'not really a DM', dm: true, panels: [{ name: 'a' }, { name: 'b' }] },
      { send: (e) => outbox.push(e) },
    )
    const bob = await person('bob', odd.groupId)
    const [verdict] = await bob.gate.receiveMany(outbox.map(encodeEnvelope))
    expect(verdict).toEqual({
      kind: 'reject',
      reason: 'invalid direct message: it is created with exactly one text panel',
    })
  })

  it(`admits at most ${MAX_DM_PARTICIPANTS} people, whatever invites the owner makes`, async () => {
    const { alice, created } = await aliceStartsDm({ others: MAX_DM_PARTICIPANTS - 1 })
    for (let i = 1; i < MAX_DM_PARTICIPANTS; i++)
      await accept(alice, await person(`p${i}`, alice.groupId), created.secret)
    expect(memberIds(alice.gate.authority())).toHaveLength(MAX_DM_PARTICIPANTS)

    const { secret } = await alice.actions.createInvite({ maxUses: 5 })
    const late = await person('late', alice.groupId)
    await sync(alice, late)
    await expect(late.actions.join(secret)).rejects.toThrow('This direct message is full.')
    const rogue = await person('rogue', alice.groupId, { skipLocalChecks: true })
    await sync(alice, rogue)
    await rogue.actions.join(secret)
    const [verdict] = await alice.gate.receiveMany(rogue.outbox.map(encodeEnvelope))
    expect(verdict?.kind).toBe('defer')
    expect(verdict && 'reason' in verdict ? verdict.reason : '').toMatch(
      `the direct message is full (${MAX_DM_PARTICIPANTS} people)`,
    )
    expect(memberIds(alice.gate.authority())).toHaveLength(MAX_DM_PARTICIPANTS)
  })
})
