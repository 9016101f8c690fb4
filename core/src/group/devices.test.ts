import { describe, expect, it } from 'vitest'
import { BackdatingClock, groupOf, join, person, sync, syncAll, type Person } from '../../test/peers'
import { toBase64Url } from '../bytes'
import { generateSigningKeyPair } from '../crypto/ed25519'
import { decodeEnvelope, encodeEnvelope } from '../envelope/envelope'
import { hlcWallMs, type HybridClock } from '../envelope/hlc'
import { issueDeviceCert } from '../identity/device-cert'
import { Identity } from '../identity/identity'
import { signProfile, verifyProfile } from '../identity/profile'
import type { GroupKey } from '../keys/group-key'
import { openGroup } from './create'
import { recordDevice, revokeDevice } from './devices'
import { GROUP_DOC_ID, GroupRoot, PanelRoot, deviceRevokedKey, panelDocId, bucketOfWallMs } from './documents'
import { openKeyring } from './keyring'

/** A second device of `user`: its own key pair, certified by `user`'s identity key. */
async function linkDevice(user: Person, clock?: HybridClock): Promise<Person> {
  const pair = await generateSigningKeyPair()
  const box = await Identity.fromKeyPair(pair).boxKeys()
  const cert = await issueDeviceCert(user.identity, pair.publicKey, box.publicKey)
  const userBox = (await user.identity.boxKeys()).publicKey
  const identity = Identity.linkedDevice(pair, cert, userBox)
  const outbox: Person['outbox'] = []
  const opened = await openGroup(identity, user.groupId, { send: (e) => outbox.push(e), clock })
  await sync(user, { name: 'device', identity, outbox, ...opened })
  await recordDevice(user.session, cert)
  return { name: `${user.name}'s laptop`, identity, outbox, ...opened }
}

const messagesOf = (p: Person, panelId: string): string[] => {
  const docId = panelDocId(panelId, bucketOfWallMs(Date.now()))
  const out: string[] = []
  p.gate
    .doc(docId)
    .getMap(PanelRoot.messages)
    .forEach((m) => out.push((m as { body: string }).body))
  return out.sort()
}

const decodeRevocationAt = (p: Person, device: Person): number | undefined =>
  p.gate.authority().devices.get(`${p.identity.userId}:${device.identity.deviceId}`)?.revoked?.at

const keyringOf = async (p: Person, initial: GroupKey) =>
  openKeyring(
    p.gate.authority(),
    p.groupId,
    p.identity.userId,
    await p.identity.boxKeys(),
    initial,
    p.identity.deviceId,
  )

async function aliceWithLaptopAndBob(laptopClock?: HybridClock) {
  const { owner: alice, key, general } = await groupOf()
  const bob = await person('bob', alice.groupId)
  await join(alice, bob)
  const laptop = await linkDevice(alice, laptopClock)
  await syncAll([alice, bob, laptop])
  return { alice, bob, laptop, key, general }
}

describe('linked devices', () => {
  it('a linked device acts as its user with its own key and clientIDs; others accept its messages', async () => {
    const { alice, bob, laptop, general } = await aliceWithLaptopAndBob()
    expect(laptop.identity.userId).toBe(alice.identity.userId)
    expect(toBase64Url(laptop.identity.publicKey)).not.toBe(alice.identity.userId)
    await laptop.actions.send(general, 'from my laptop')
    const sent = laptop.outbox[laptop.outbox.length - 1]!
    const onWire = decodeEnvelope(encodeEnvelope(sent))
    expect(onWire.version).toBe(4)
    expect(onWire.author).toBe(alice.identity.userId)
    const alicesClients = alice.outbox.flatMap((e) => e.clients.map((c) => c.clientId))
    expect(alicesClients).not.toContain(onWire.clients[0]!.clientId)
    await syncAll([alice, bob, laptop])
    expect(messagesOf(bob, general)).toEqual(['from my laptop'])
    expect(messagesOf(alice, general)).toEqual(['from my laptop'])
    // Its profile, signed by the device, verifies as the user's.
    const profile = await signProfile(laptop.identity, { nickname: 'Alice', updatedAt: 1 })
    await expect(verifyProfile(profile)).resolves.toMatchObject({ nickname: 'Alice' })
  })

  it('a device certified by someone else, or a certificate for another key, is refused as forged', async () => {
    const { bob, laptop, general } = await aliceWithLaptopAndBob()
    // Mallory copies Alice's certificate for her own key.
    const pair = await generateSigningKeyPair()
    const stolen = Identity.linkedDevice(
      pair,
      { ...laptop.identity.device!, device: pair.publicKey },
      new Uint8Array(32),
    )
    const outbox: Person['outbox'] = []
    const mallory = await openGroup(stolen, bob.groupId, { send: (e) => outbox.push(e) })
    await sync(bob, { name: 'mallory', identity: stolen, outbox, ...mallory })
    await mallory.actions.send(general, 'I am Alice', {}).catch(() => undefined)
    const verdicts = await bob.gate.receiveMany(outbox.map(encodeEnvelope))
    expect(verdicts[0]).toMatchObject({ kind: 'reject', reason: 'forged signature' })
    expect(messagesOf(bob, general)).toEqual([])
  })

  it('revoking a device: its later envelopes are refused by everyone, it cannot undo the revocation, and it cannot open the next key', async () => {
    const { alice, bob, laptop, key, general } = await aliceWithLaptopAndBob()
    expect((await keyringOf(laptop, key)).keys).toHaveLength(1)

    await revokeDevice(alice.session, laptop.identity.deviceId!)
    await syncAll([alice, bob, laptop])
    const revoked = alice.gate.authority().devices.get(`${alice.identity.userId}:${laptop.identity.deviceId}`)
    expect(revoked?.revoked).toBeDefined()

    // The stolen laptop keeps running: what it sends now is refused by Bob, with the reason.
    const before = laptop.outbox.length
    await laptop.actions.send(general, 'sent after revocation').catch(() => undefined)
    const later = laptop.outbox.slice(before)
    expect(later.length).toBeGreaterThan(0)
    const verdicts = await bob.gate.receiveMany(later.map(encodeEnvelope))
    expect(verdicts[0]).toMatchObject({ kind: 'defer', reason: expect.stringMatching(/device revoked/) })
    expect(messagesOf(bob, general)).toEqual([])

    // Nor can it take the revocation back (a modified client writes over it).
    const undo = laptop.outbox.length
    await laptop.session.transact(GROUP_DOC_ID, (doc) =>
      doc
        .getMap(GroupRoot.devices)
        .delete(deviceRevokedKey(alice.identity.userId, laptop.identity.deviceId!)),
    )
    const [v] = await bob.gate.receiveMany(laptop.outbox.slice(undo).map(encodeEnvelope))
    expect(v!.kind).not.toBe('accept')
    expect(
      bob.gate.authority().devices.get(`${alice.identity.userId}:${laptop.identity.deviceId}`)?.revoked,
    ).toBeDefined()

    // The key rotated past it: Alice and Bob hold the new key, the laptop does not.
    const [a, b, l] = await Promise.all([alice, bob, laptop].map((p) => keyringOf(p, key)))
    expect(a!.keys).toHaveLength(2)
    expect(b!.current.raw).toEqual(a!.current.raw)
    expect(l!.current.raw).toEqual(key.raw)
  })

  it('revocation by sequence: what the device signed unseen is held whatever its date; what was seen stays', async () => {
    const clock = new BackdatingClock()
    const { alice, bob, laptop, general } = await aliceWithLaptopAndBob(clock)
    await laptop.actions.send(general, 'seen before the revocation')
    await syncAll([alice, bob, laptop])

    // Out of Alice's sight, the stolen laptop signs messages dated right after its last seen one.
    clock.backdate(Date.now() - hlcWallMs(laptop.outbox.at(-1)!.hlc))
    const before = laptop.outbox.length
    for (const body of ['unseen one', 'unseen two']) await laptop.actions.send(general, body)
    const unseen = laptop.outbox.slice(before)
    const knownBefore = [...alice.gate.accepted()]
    await revokeDevice(alice.session, laptop.identity.deviceId!)
    const at = decodeRevocationAt(alice, laptop)!
    for (const e of unseen) expect(hlcWallMs(e.hlc)).toBeLessThanOrEqual(at)

    // Bob has the revocation first; a newcomer gets the laptop's messages first, then the revocation.
    await sync(alice, bob)
    const atBob = await bob.gate.receiveMany(unseen.map(encodeEnvelope))
    expect(atBob.map((v) => v.kind)).toEqual(['defer', 'defer'])
    // (The second builds on the first's Yjs structs and waits for it.)
    expect(atBob[0]).toMatchObject({ reason: expect.stringMatching(/revocation it had not seen/) })
    const dan = await person('dan', alice.groupId)
    await dan.gate.receiveMany(knownBefore.map(encodeEnvelope))
    expect((await dan.gate.receiveMany(unseen.map(encodeEnvelope))).map((v) => v.kind)).toEqual([
      'accept',
      'accept',
    ])
    await sync(alice, dan)
    for (const p of [bob, dan]) expect(messagesOf(p, general)).toEqual(['seen before the revocation'])
  })

  it('a rotation made while a device is linked wraps the key for the device too', async () => {
    const { alice, bob, laptop, key } = await aliceWithLaptopAndBob()
    await bob.actions.rotateKey()
    await syncAll([alice, bob, laptop])
    const [a, l] = await Promise.all([alice, laptop].map((p) => keyringOf(p, key)))
    expect(l!.keys).toHaveLength(2)
    expect(l!.current.raw).toEqual(a!.current.raw)
  })

  it("a linked device cannot redirect the member's wrapped keys to its own box, nor revoke a device", async () => {
    const { alice, bob, laptop } = await aliceWithLaptopAndBob()
    const me = alice.identity.userId
    const record = laptop.gate.authority().members.get(me)!
    const ownBox = toBase64Url((await laptop.identity.boxKeys()).publicKey)
    const before = laptop.outbox.length
    await laptop.session.transact(GROUP_DOC_ID, (doc) =>
      doc.getMap(GroupRoot.members).set(me, { ...record, box: ownBox }),
    )
    const [v] = await bob.gate.receiveMany(laptop.outbox.slice(before).map(encodeEnvelope))
    expect(v).toMatchObject({
      kind: 'defer',
      reason: expect.stringMatching(/cannot change the member's box key/),
    })
    await expect(revokeDevice(laptop.session, 'x'.repeat(43))).rejects.toThrow(/identity key/)
  })
})
