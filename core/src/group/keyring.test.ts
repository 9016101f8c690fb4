import { describe, expect, it } from 'vitest'
import { groupOf, join, person, sync, syncAll, type Person } from '../../test/peers'
import { encodeEnvelope } from '../envelope/envelope'
import { toBase64Url } from '../bytes'
import type { GroupKey } from '../keys/group-key'
import { GROUP_DOC_ID, GroupRoot } from './documents'
import { openKeyring, rotateGroupKey, wrapNewKey } from './keyring'
import { newId } from './operations'
import { keyRotationPartKey } from './records'

const keyringOf = async (p: Person, initial: GroupKey) =>
  openKeyring(p.gate.authority(), p.groupId, p.identity.userId, await p.identity.boxKeys(), initial)

async function trio() {
  const { owner: alice, key } = await groupOf()
  const bob = await person('bob', alice.groupId)
  const carol = await person('carol', alice.groupId)
  await join(alice, bob)
  await join(alice, carol)
  await syncAll([alice, bob, carol])
  return { alice, bob, carol, key }
}

describe('group key rotation', () => {
  it('a kick rotates the key: the remaining members open the new key, the removed member cannot', async () => {
    const { alice, bob, carol, key } = await trio()
    expect(alice.gate.authority().members.get(bob.identity.userId)?.box).toBe(
      toBase64Url((await bob.identity.boxKeys()).publicKey),
    )
    await alice.actions.kick(carol.identity.userId)
    // Carol's client keeps running and still receives the group document.
    await syncAll([alice, bob, carol])

    const [a, b, c] = await Promise.all([alice, bob, carol].map((p) => keyringOf(p, key)))
    expect(a!.keys).toHaveLength(2)
    expect(b!.current.raw).toEqual(a!.current.raw)
    expect(a!.current.raw).not.toEqual(key.raw)
    expect(c!.keys).toHaveLength(1)
    expect(c!.current.raw).toEqual(key.raw)
  })

  it('every peer refuses a rotation that wraps the key for someone removed, or made by a stranger', async () => {
    const { alice, bob, carol } = await trio()
    await alice.actions.kick(carol.identity.userId)
    await syncAll([alice, bob, carol])
    // Bob's modified client wraps the next key for Carol as well.
    const state = bob.gate.authority()
    const box = await bob.identity.boxKeys()
    const { wrapped } = await wrapNewKey(state, bob.groupId, 'leak', box)
    wrapped[carol.identity.userId] = wrapped[bob.identity.userId]!
    const before = bob.outbox.length
    await bob.session.transact(GROUP_DOC_ID, (doc, hlc) =>
      doc.getMap(GroupRoot.keys).set('leak', { by: bob.identity.userId, at: hlc, wrapped }),
    )
    const leak = bob.outbox.slice(before)
    const [verdict] = await alice.gate.receiveMany(leak.map(encodeEnvelope))
    expect(verdict).toMatchObject({
      kind: 'defer',
      reason: expect.stringMatching(/only for members of its time/),
    })
    expect(alice.gate.authority().rotations.has('leak')).toBe(false)

    // Carol, removed, tries to rotate: not a member at that time.
    const carolBox = await carol.identity.boxKeys()
    const { wrapped: hers } = await wrapNewKey(carol.gate.authority(), carol.groupId, 'mine', carolBox)
    const was = carol.outbox.length
    await carol.session.transact(GROUP_DOC_ID, (doc, hlc) =>
      doc.getMap(GroupRoot.keys).set('mine', { by: carol.identity.userId, at: hlc, wrapped: hers }),
    )
    const [v2] = await alice.gate.receiveMany(carol.outbox.slice(was).map(encodeEnvelope))
    expect(v2?.kind).not.toBe('accept')
    await sync(alice, bob)
    expect(alice.gate.authority().rotations.size).toBe(1)
  })

  it('a rotation with more recipients than one record holds goes out in parts; every member opens it', async () => {
    const { owner: alice, key } = await groupOf()
    const others = await Promise.all(['bob', 'carol', 'dan', 'erin'].map((n) => person(n, alice.groupId)))
    for (const p of others) await join(alice, p)
    await syncAll([alice, ...others])

    // Two wraps per record: the rotation (Alice and one more) and parts 1 and 2.
    const before = alice.outbox.length
    const rotated = await rotateGroupKey(alice.session, newId, 2)
    const sent = alice.outbox.slice(before)
    expect(sent).toHaveLength(3)
    const [id] = [...alice.gate.authority().rotations.keys()]
    expect(alice.gate.authority().keyParts).toEqual(
      new Set([keyRotationPartKey(id!, 1), keyRotationPartKey(id!, 2)]),
    )

    // Erin gets the parts first: they wait for their rotation (they build on its Yjs structs, and
    // the rule wants the rotation), then every member opens the new key.
    const erin = others.at(-1)!
    const early = await erin.gate.receiveMany(sent.slice(1).map(encodeEnvelope))
    expect(early.map((v) => v.kind)).toEqual(['defer', 'defer'])
    await syncAll([alice, ...others])
    for (const p of others) expect((await keyringOf(p, key)).current.raw).toEqual(rotated.raw)
  })

  it('every peer refuses a part by someone else, for a stranger, or for a recipient already wrapped', async () => {
    const { alice, bob, carol } = await trio()
    await rotateGroupKey(alice.session, newId, 2)
    await syncAll([alice, bob, carol])
    const [id] = [...alice.gate.authority().rotations.keys()]
    const rotation = alice.gate.authority().rotations.get(id!)!
    const attempt = async (by: Person, part: number, wrapped: Record<string, string>) => {
      const was = by.outbox.length
      await by.session.transact(GROUP_DOC_ID, (doc) =>
        doc.getMap(GroupRoot.keys).set(keyRotationPartKey(id!, part), { by: by.identity.userId, wrapped }),
      )
      const [v] = await carol.gate.receiveMany(by.outbox.slice(was).map(encodeEnvelope))
      return v
    }
    const someWrap = Object.values(rotation.wrapped)[0]!
    expect(await attempt(bob, 9, { [bob.identity.userId]: someWrap })).toMatchObject({
      reason: expect.stringMatching(/rotation author's/),
    })
    const stranger = await person('mallory', alice.groupId)
    expect(await attempt(alice, 8, { [stranger.identity.userId]: someWrap })).toMatchObject({
      reason: expect.stringMatching(/only for members of its time/),
    })
    expect(await attempt(alice, 7, { [bob.identity.userId]: someWrap })).toMatchObject({
      reason: expect.stringMatching(/once per recipient/),
    })
    // A part of a rotation nobody made (a modified client's own clientID chain is complete).
    const was = alice.outbox.length
    await alice.session.transact(GROUP_DOC_ID, (doc) =>
      doc
        .getMap(GroupRoot.keys)
        .set(keyRotationPartKey('nothing', 1), { by: alice.identity.userId, wrapped: {} }),
    )
    await sync(alice, bob)
    const [orphan] = await carol.gate.receiveMany(alice.outbox.slice(was).map(encodeEnvelope))
    expect(orphan).toMatchObject({ reason: expect.stringMatching(/follows its rotation/) })
  })
})
