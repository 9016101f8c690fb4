// Every attack class the gate must refuse, each with its reason, and honest peers' documents
// byte-identical afterwards. Attackers are real identities with modified clients (skipLocalChecks)
// or hand-made envelopes; honest peers are Alice (owner) and Carol.

import * as Y from 'yjs'
import { beforeEach, describe, expect, it } from 'vitest'
import { encodeEnvelope, signEnvelope, type Envelope } from '../envelope/envelope'
import { hlcFromWall } from '../envelope/hlc'
import {
  GROUP_DOC_ID,
  GroupRoot,
  PanelRoot,
  messageIdFor,
  panelDocId,
  bucketOfWallMs,
} from '../group/documents'
import { createInviteSecret } from '../keys/invite-key'
import type { Identity } from '../identity/identity'
import { makeClientClaim } from '../envelope/client-claim'
import { encodedState, groupOf, join, person, sync, type Person } from '../../test/peers'
import type { Verdict } from './verdict'

let alice: Person
let carol: Person
let bob: Person
let general: string

beforeEach(async () => {
  const g = await groupOf()
  alice = g.owner
  general = g.general
  carol = await person('carol', alice.groupId)
  bob = await person('bob', alice.groupId, { skipLocalChecks: true })
  await join(alice, carol)
  await join(alice, bob)
  await sync(alice, carol)
  await sync(alice, bob)
})

/** Delivers `envelopes` to both honest peers, checks both refuse, and that their state is unchanged. */
async function refusedByAll(envelopes: (Envelope | Uint8Array)[], reason: RegExp): Promise<Verdict[]> {
  await sync(alice, carol)
  await sync(carol, alice)
  const before = [encodedState(alice), encodedState(carol)]
  const bytes = envelopes.map((e) => (e instanceof Uint8Array ? e : encodeEnvelope(e)))
  const verdicts = [...(await alice.gate.receiveMany(bytes)), ...(await carol.gate.receiveMany(bytes))]
  for (const v of verdicts) {
    expect(v.kind).not.toBe('accept')
    if (v.kind !== 'accept') expect(v.reason).toMatch(reason)
  }
  expect(encodedState(alice)).toEqual(before[0])
  expect(encodedState(carol)).toEqual(before[1])
  expect(encodedState(alice)).toEqual(encodedState(carol))
  return verdicts
}

const last = (p: Person): Envelope => p.outbox[p.outbox.length - 1]!

async function resign(author: Identity, e: Envelope, patch: Partial<Envelope>): Promise<Envelope> {
  const { signature: _s, version: _v, ...rest } = { ...e, ...patch }
  return signEnvelope(author, rest)
}

describe('the gate refuses each attack class with its reason', () => {
  it('forged signature: a payload changed after signing', async () => {
    await alice.actions.send(general, 'original')
    const e = last(alice)
    const payload = e.payload.slice()
    payload[payload.length - 3] = (payload[payload.length - 3] ?? 0) ^ 0xff
    const [v] = await carol.gate.receiveMany([encodeEnvelope({ ...e, payload })])
    expect(v).toEqual({ kind: 'reject', reason: 'forged signature' })
    // Bob signs a message and presents it as Alice's.
    await bob.actions.send(general, 'I am alice')
    await refusedByAll([{ ...last(bob), author: alice.identity.userId }], /forged signature/)
    // The real envelope whose signature the forger copied is still accepted afterwards.
    const fresh = await person('erin', alice.groupId)
    await fresh.gate.receive(encodeEnvelope({ ...e, payload }))
    await sync(alice, fresh)
    expect(fresh.gate.has(Buffer.from(e.signature).toString('base64url'))).toBe(true)
  })

  it('non-member write: a stranger who never joined posts a message', async () => {
    const mallory = await person('mallory', alice.groupId, { skipLocalChecks: true })
    await sync(alice, mallory)
    await mallory.actions.send(general, 'spam')
    const [v] = await refusedByAll([last(mallory)], /not a member/)
    expect(v?.kind).toBe('defer')
  })

  it('member granting itself a role', async () => {
    const role = await bob.actions.createRole({ name: 'boss', points: ['groupDetail', 'manageRoles'] })
    const create = last(bob)
    await refusedByAll([create], /manageRoles/)
    // Bob's own gate refused it too: even his modified client no longer holds the role.
    expect(bob.gate.authority().roles.has(role)).toBe(false)
    // Or directly: assigning himself an existing role he may not assign.
    const admin = await alice.actions.createRole({ name: 'admin', points: ['groupDetail', 'manageRoles'] })
    const fresh = await person('bob2', alice.groupId, { skipLocalChecks: true })
    await join(alice, fresh)
    await fresh.actions.assignRole(fresh.identity.userId, admin)
    await refusedByAll([last(fresh)], /permission denied: assigning roles needs "manageRoles"/)
    expect(alice.gate.authority().roles.has(role)).toBe(false)
  })

  it('panel edit without managePanel', async () => {
    await bob.actions.updatePanel(general, { name: 'pwned' })
    await refusedByAll([last(bob)], /managePanel/)
    expect(carol.gate.authority().panels.get(general)?.name).toBe('general')
  })

  it("editing another member's message", async () => {
    const { id: id } = await alice.actions.send(general, 'mine')
    await sync(alice, bob)
    await bob.actions.edit(general, id, 'now says something else')
    await refusedByAll([last(bob)], /only by its author|another member/)
    expect(carol.actions.message(general, id)?.body).toBe('mine')
  })

  it("deleting another member's message without deleteMessage", async () => {
    const { id: id } = await carol.actions.send(general, 'keep me')
    await sync(carol, alice)
    await sync(carol, bob)
    await bob.actions.deleteMessage(general, id)
    await refusedByAll([last(bob)], /deleteMessage/)
    expect(alice.actions.message(general, id)?.body).toBe('keep me')
  })

  it("clientID hijack: another author's claim, or structs under another's clientID", async () => {
    await alice.actions.send(general, 'alice speaking')
    const alicesClaim = alice.session.claim
    // 1. Bob presents Alice's claim as his own.
    const doc = new Y.Doc()
    doc.clientID = alicesClaim.clientId
    const hlc = hlcFromWall(Date.now())
    const id = messageIdFor(hlc, 'hijack1')
    doc.getMap(PanelRoot.messages).set(id, { author: alice.identity.userId, hlc, body: 'I am alice' })
    const docId = panelDocId(general, bucketOfWallMs(Date.now()))
    const stolen = await signEnvelope(bob.identity, {
      groupId: alice.groupId,
      docId,
      author: bob.identity.userId,
      clients: [alicesClaim],
      hlc,
      payload: Y.encodeStateAsUpdate(doc),
    })
    await refusedByAll([stolen], /invalid clientID claim/)
    // 2. Bob claims his own clientID but writes structs under Alice's.
    const unclaimed = await signEnvelope(bob.identity, {
      ...stolen,
      clients: [await makeClientClaim(bob.identity, alice.groupId)],
    })
    await refusedByAll([unclaimed], /not claimed by the author/)
  })

  it('replayed envelope', async () => {
    await alice.actions.send(general, 'once')
    const bytes = encodeEnvelope(last(alice))
    expect((await carol.gate.receive(bytes)).kind).toBe('accept')
    expect(await carol.gate.receive(bytes)).toEqual({
      kind: 'reject',
      reason: 'replayed envelope (already seen)',
    })
  })

  it('oversize payload, and an oversize message body', async () => {
    const huge = new Uint8Array(alice.gate.limits.maxEnvelopeBytes + 1)
    await refusedByAll([huge], /oversize envelope/)
    await bob.actions.createPanel({ name: 'x' }).catch(() => undefined)
    const hlc = hlcFromWall(Date.now())
    const e = await bob.session.transact(panelDocId(general, bucketOfWallMs(Date.now())), (doc) =>
      doc.getMap(PanelRoot.messages).set(messageIdFor(hlc, 'bigbody1'), {
        author: bob.identity.userId,
        hlc,
        body: 'x'.repeat(4001),
      }),
    )
    const [v] = await refusedByAll([e!], /invalid record: message body must be 0–4000 characters/)
    expect(v?.kind).toBe('reject')
  })

  it('future timestamp (more than 5 minutes ahead)', async () => {
    await bob.actions.send(general, 'from the future')
    const future = await resign(bob.identity, last(bob), { hlc: hlcFromWall(Date.now() + 6 * 60_000) })
    await refusedByAll([future], /timestamp too far in the future/)
  })

  it('truncated or random bytes', async () => {
    await alice.actions.send(general, 'intact')
    const bytes = encodeEnvelope(last(alice))
    const random = crypto.getRandomValues(new Uint8Array(500))
    await refusedByAll([bytes.slice(0, bytes.length - 10), random, new Uint8Array(0)], /malformed envelope/)
  })

  it('join with an expired, exhausted, revoked or forged invite', async () => {
    const expired = await alice.actions.createInvite({ expiresInMs: 1 })
    const once = await alice.actions.createInvite({ maxUses: 1 })
    const revoked = await alice.actions.createInvite()
    await alice.actions.revokeInvite(revoked.inviteId)
    await new Promise((r) => setTimeout(r, 5))
    const dave = await person('dave', alice.groupId)
    await sync(alice, dave)
    await dave.actions.join(once.secret)
    await sync(dave, alice)
    await sync(dave, carol)

    const joinWith = async (secret: Uint8Array) => {
      const m = await person('mallory', alice.groupId, { skipLocalChecks: true })
      await sync(alice, m)
      await m.actions.join(secret)
      return last(m)
    }
    await refusedByAll([await joinWith(expired.secret)], /expired invite/)
    await refusedByAll([await joinWith(once.secret)], /exhausted invite/)
    await refusedByAll([await joinWith(revoked.secret)], /revoked invite/)
    await refusedByAll([await joinWith(createInviteSecret())], /unknown invite/)

    // A real invite id with a proof made without its secret.
    const m = await person('mallory', alice.groupId, { skipLocalChecks: true })
    await sync(alice, m)
    const open = await alice.actions.createInvite()
    await sync(alice, carol)
    await sync(alice, m)
    const forged = await m.session.transact(GROUP_DOC_ID, (doc, hlc) =>
      doc.getMap(GroupRoot.members).set(m.identity.userId, {
        joinedAt: hlc,
        invite: { id: open.inviteId, proof: 'A'.repeat(86), creator: alice.identity.userId },
      }),
    )
    await refusedByAll([forged!], /forged invite/)
  })

  it('muted member sending', async () => {
    await alice.actions.mute(bob.identity.userId, 10 * 60_000)
    await sync(alice, bob)
    await sync(alice, carol)
    await bob.actions.send(general, 'can you hear me')
    await refusedByAll([last(bob)], /"message"/)
  })

  it('banned member rejoining', async () => {
    await alice.actions.ban(bob.identity.userId)
    const again = await alice.actions.createInvite()
    await sync(alice, bob)
    await sync(alice, carol)
    await bob.actions.send(general, 'still here?')
    await refusedByAll([last(bob)], /not a member/)
    await bob.actions.join(again.secret)
    await refusedByAll([last(bob)], /banned/)
  })
})
