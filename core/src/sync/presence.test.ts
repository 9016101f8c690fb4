// Presence between members, statement by statement (no network: the bytes one client sends are handed
// to the other's `receive`), on a clock the test moves. The replica path over a real BroadcastChannel
// is at the end; the relay path is in relay/test/presence.test.ts.
import { afterEach, describe, expect, it } from 'vitest'
import { groupOf, join, person, sync, syncAll, type Person } from '../../test/peers'
import { generateSigningKeyPair } from '../crypto/ed25519'
import { recordDevice, revokeDevice } from '../group/devices'
import { deviceIdOf, issueDeviceCert } from '../identity/device-cert'
import { Identity } from '../identity/identity'
import { MemoryStorage } from '../storage/memory'
import { decodeSyncFrame, encodeSyncFrame } from './frames'
import { Presence, type PresenceOptions } from './presence'
import { startPresence, type ReplicaPresence } from './presence-replica'
import { decodePresence, encodePresence, signPresence, type PresenceSigner } from './presence-wire'
import { Replica } from './replica'
import { BroadcastChannelTransport } from './transports/broadcast-channel'

class Clock {
  t = Date.UTC(2026, 10, 24, 12)
  now = () => this.t
  advance(ms: number) {
    this.t += ms
  }
}

/** A client of `p` whose statements land in `out`; timers off, the test calls tick(). */
function client(
  p: Person,
  clock: Clock,
  signer: PresenceSigner = p.identity,
  extra: Partial<PresenceOptions> = {},
) {
  const out: Uint8Array[] = []
  const presence = new Presence({
    groupId: p.groupId,
    identity: signer,
    authority: () => p.gate.authority(),
    send: (b) => void out.push(b),
    now: clock.now,
    timers: false,
    ...extra,
  })
  /** Waits for statements in flight (signing is async), then hands them over and empties `out`. */
  const flush = async (): Promise<Uint8Array[]> => {
    await presence['sending']
    return out.splice(0)
  }
  return { presence, out, flush }
}

async function deliver(from: ReturnType<typeof client>, to: Presence): Promise<(string | null)[]> {
  const reasons: (string | null)[] = []
  for (const b of await from.flush()) reasons.push(await to.receive(b))
  return reasons
}

async function aliceAndBob() {
  const { owner: alice, general } = await groupOf()
  const bob = await person('bob', alice.groupId)
  await join(alice, bob)
  return { alice, bob, general }
}

/** Alice and Bob in one group, each with a Presence on the same clock. */
async function twoClients() {
  const people = await aliceAndBob()
  const clock = new Clock()
  return { ...people, clock, a: client(people.alice, clock), b: client(people.bob, clock) }
}

describe('presence: who is here and who is typing', () => {
  it("a member's statements show them online, then typing in a panel, then not typing", async () => {
    const { alice, bob, general, clock, a, b } = await twoClients()
    a.presence.start()
    b.presence.start()
    expect(await deliver(b, a.presence)).toEqual([null])
    expect(a.presence.members().get(bob.identity.userId)).toMatchObject({ online: true, typing: null })
    // Alice hears nothing of herself.
    expect(a.presence.members().has(alice.identity.userId)).toBe(false)

    b.presence.typing(general)
    await deliver(b, a.presence)
    expect(a.presence.typingIn(general)).toEqual([bob.identity.userId])
    // Typing on: re-stated at most every few seconds, not on every key.
    for (let i = 0; i < 5; i++) {
      clock.advance(200)
      b.presence.typing(general)
    }
    expect(await b.flush()).toHaveLength(0)
    clock.advance(3000)
    b.presence.typing(general)
    expect(await deliver(b, a.presence)).toEqual([null])

    b.presence.typing(null)
    await deliver(b, a.presence)
    expect(a.presence.typingIn(general)).toEqual([])
    expect(a.presence.members().get(bob.identity.userId)?.online).toBe(true)
  })

  it('a statement from someone who is not a member is ignored', async () => {
    const { alice } = await aliceAndBob()
    const clock = new Clock()
    const a = client(alice, clock)
    // Eve knows the group id (and would hold the key to reach Alice at all) but never joined.
    const eve = await person('eve', alice.groupId)
    const e = client(eve, clock)
    e.presence.start()
    expect(await deliver(e, a.presence)).toEqual(['not a member'])
    expect(a.presence.members().size).toBe(0)
  })

  it('a forged statement (signed by someone else, or altered) is ignored', async () => {
    const { alice, bob, general } = await aliceAndBob()
    const clock = new Clock()
    const a = client(alice, clock)
    const mallory = await Identity.create()
    // Mallory claims to be Bob: signs with her own key under Bob's name.
    const claimsBob: PresenceSigner = { userId: bob.identity.userId, sign: (d) => mallory.sign(d) }
    const forged = client(bob, clock, claimsBob)
    forged.presence.start()
    forged.presence.typing(general)
    expect(await deliver(forged, a.presence)).toEqual(['bad signature', 'bad signature'])

    // Bob's genuine statement with the typing panel changed on the way.
    const genuine = await signPresence(bob.identity, {
      groupId: alice.groupId,
      session: new Uint8Array(12).fill(7),
      seq: 1,
      sentAt: clock.now(),
      online: true,
      typing: general,
      lastActive: clock.now(),
    })
    const altered = encodePresence({ ...genuine, typing: 'another-panel' })
    expect(await a.presence.receive(altered)).toBe('bad signature')
    // The same statement for another group does not count here either.
    const elsewhere = await signPresence(bob.identity, { ...genuine, groupId: 'another-group' })
    expect(await a.presence.receive(encodePresence(elsewhere))).toBe('other group')
    expect(await a.presence.receive(new Uint8Array([1, 2, 3]))).toBe('malformed')
    expect(a.presence.members().size).toBe(0)
    // Untouched, it is accepted.
    expect(await a.presence.receive(encodePresence(genuine))).toBeNull()
    expect(a.presence.typingIn(general)).toEqual([bob.identity.userId])
  })

  it('a replayed or older statement is ignored; one far from our clock is refused', async () => {
    const { bob, general, clock, a, b } = await twoClients()
    b.presence.start()
    b.presence.typing(general)
    const [first, second] = await b.flush()
    expect(await a.presence.receive(second!)).toBeNull()
    expect(await a.presence.receive(first!)).toBe('stale')
    expect(await a.presence.receive(second!)).toBe('stale')

    const late = client(bob, clock)
    late.presence.start()
    const [old] = await late.flush()
    clock.advance(5 * 60_000)
    expect(await a.presence.receive(old!)).toBe('clock skew')
  })

  it('a member not heard from for 30 s is offline; typing not re-stated ends sooner', async () => {
    const { bob, general, clock, a, b } = await twoClients()
    const changes: number[] = []
    a.presence.onChange(() => changes.push(clock.now()))
    b.presence.start()
    b.presence.typing(general)
    await deliver(b, a.presence)
    expect(a.presence.typingIn(general)).toEqual([bob.identity.userId])

    // Bob's page is gone: nothing more arrives.
    clock.advance(8_000)
    a.presence.tick()
    expect(a.presence.typingIn(general)).toEqual([])
    expect(a.presence.members().get(bob.identity.userId)?.online).toBe(true)
    clock.advance(21_000)
    a.presence.tick()
    expect(a.presence.members().get(bob.identity.userId)?.online).toBe(true)
    clock.advance(1_000)
    a.presence.tick()
    expect(a.presence.members().has(bob.identity.userId)).toBe(false)
    expect(changes.length).toBeGreaterThanOrEqual(4)
  })

  it('heartbeats keep a member online; leaving says so at once', async () => {
    const { bob, clock, a, b } = await twoClients()
    b.presence.start()
    for (let i = 0; i < 10; i++) {
      clock.advance(5_000)
      b.presence.tick()
      await deliver(b, a.presence)
      a.presence.tick()
    }
    expect(a.presence.members().get(bob.identity.userId)?.online).toBe(true)
    await b.presence.stop()
    await deliver(b, a.presence)
    expect(a.presence.members().has(bob.identity.userId)).toBe(false)
  })

  it('typing ends by itself when the member stops typing without sending', async () => {
    const { general, clock, a, b } = await twoClients()
    b.presence.start()
    b.presence.typing(general)
    await deliver(b, a.presence)
    clock.advance(5_000)
    b.presence.tick()
    const [stopped] = await b.flush()
    expect(decodePresence(stopped!).typing).toBeNull()
    await a.presence.receive(stopped!)
    expect(a.presence.typingIn(general)).toEqual([])
  })

  it('a newcomer is answered at once, only once', async () => {
    const { alice, clock, a, b } = await twoClients()
    a.presence.start()
    await a.flush()
    b.presence.start()
    await deliver(b, a.presence)
    // Alice states herself again for Bob, who now sees her without waiting for a heartbeat.
    expect(await deliver(a, b.presence)).toEqual([null])
    expect(b.presence.members().get(alice.identity.userId)?.online).toBe(true)
    // Bob's answer does not make Alice answer again (she knows his session).
    expect(await b.flush()).toHaveLength(1)
    clock.advance(1000)
    b.presence.typing(null)
    b.presence.tick()
    await deliver(b, a.presence)
    expect(await a.flush()).toHaveLength(0)
  })

  it('a member removed from the group drops out, and their later statements are ignored', async () => {
    const { alice, bob, clock, a, b } = await twoClients()
    b.presence.start()
    await deliver(b, a.presence)
    expect(a.presence.members().has(bob.identity.userId)).toBe(true)
    await alice.actions.kick(bob.identity.userId)
    expect(a.presence.members().has(bob.identity.userId)).toBe(false)
    clock.advance(10_000)
    b.presence.tick()
    expect(await deliver(b, a.presence)).toEqual(['not a member'])
  })

  it('a linked device speaks for its user with its certificate; once revoked it is ignored', async () => {
    const { alice, bob } = await aliceAndBob()
    const pair = await generateSigningKeyPair()
    const box = await Identity.fromKeyPair(pair).boxKeys()
    const cert = await issueDeviceCert(alice.identity, pair.publicKey, box.publicKey)
    const laptop = Identity.linkedDevice(pair, cert, (await alice.identity.boxKeys()).publicKey)
    await recordDevice(alice.session, cert)
    await syncAll([alice, bob])
    const clock = new Clock()
    const b = client(bob, clock)
    const fromLaptop = client(alice, clock, laptop)
    fromLaptop.presence.start()
    expect(await deliver(fromLaptop, b.presence)).toEqual([null])
    expect(b.presence.members().get(alice.identity.userId)?.online).toBe(true)

    // A certificate for another key is no certificate.
    const mallory = await Identity.create()
    const stolen: PresenceSigner = {
      userId: alice.identity.userId,
      device: cert,
      sign: (d) => mallory.sign(d),
    }
    const forged = client(alice, clock, stolen)
    forged.presence.start()
    expect(await deliver(forged, b.presence)).toEqual(['bad signature'])

    await revokeDevice(alice.session, deviceIdOf(cert), clock.now() - 1)
    await sync(alice, bob)
    clock.advance(10_000)
    fromLaptop.presence.tick()
    expect(await deliver(fromLaptop, b.presence)).toEqual(['device revoked'])
  })

  it("a plugin's presence (a cursor) reaches others under its key only, and clears", async () => {
    const { bob, clock, a, b } = await twoClients()
    a.presence.start()
    b.presence.start()
    await deliver(b, a.presence)
    let memberChanges = 0
    let pluginChanges = 0
    a.presence.onChange(() => memberChanges++)
    a.presence.onPluginChange(() => pluginChanges++)
    const key = 'com.example.board/p1'
    b.presence.plugin(key, '{"x":1,"y":2}')
    expect(await deliver(b, a.presence)).toEqual([null])
    expect(a.presence.pluginPeers(key)).toEqual(new Map([[bob.identity.userId, '{"x":1,"y":2}']]))
    expect(a.presence.pluginPeers('com.example.board/other').size).toBe(0)
    // A cursor that only moved tells the plugin's listeners, not the member list's.
    expect([memberChanges, pluginChanges]).toEqual([0, 1])
    // Heartbeats carry it on; a version-1 reader would still hear statements without it.
    clock.advance(10_000)
    b.presence.tick()
    await deliver(b, a.presence)
    expect(a.presence.pluginPeers(key).size).toBe(1)
    b.presence.plugin(key, null)
    await deliver(b, a.presence)
    expect(a.presence.pluginPeers(key).size).toBe(0)
    expect(() => b.presence.plugin(key, 'x'.repeat(600))).toThrow(/at most 512/)
  })

  it('the presence frame round-trips and refuses an oversized statement', () => {
    const bytes = new Uint8Array([9, 8, 7])
    expect(decodeSyncFrame(encodeSyncFrame({ type: 'presence', bytes }))).toEqual({ type: 'presence', bytes })
    const big = encodeSyncFrame({ type: 'presence', bytes: new Uint8Array(5000) })
    expect(() => decodeSyncFrame(big)).toThrow(/presence/)
  })
})

describe('presence through replicas (real BroadcastChannel)', () => {
  const running: (Replica | ReplicaPresence)[] = []
  afterEach(async () => {
    for (const r of running.splice(0).reverse()) await ('presence' in r ? r.stop() : r.close())
  })

  it('peers see each other online and typing; nothing is stored or given to the gate', async () => {
    const { owner: alice, key, general } = await groupOf()
    const bob = await person('bob', alice.groupId)
    await join(alice, bob)
    const namespace = `presence-${Date.now()}-${Math.random()}`
    const storage = new MemoryStorage()
    const start = async (p: Person, s = new MemoryStorage()) => {
      const r = await Replica.start({
        gate: p.gate,
        session: p.session,
        key,
        storage: s,
        transports: [new BroadcastChannelTransport({ namespace })],
      })
      running.push(r)
      return r
    }
    const ra = await start(alice, storage)
    const rb = await start(bob)
    await ra.durable()
    const storedBefore = await storedEnvelopes(storage, alice.groupId)
    const acceptedBefore = [...alice.gate.accepted()].length

    const pa = startPresence(ra, alice.identity)
    const pb = startPresence(rb, bob.identity)
    running.push(pa, pb)
    await until(() => pa.presence.members().get(bob.identity.userId)?.online === true)
    await until(() => pb.presence.members().get(alice.identity.userId)?.online === true)
    pb.presence.typing(general)
    await until(() => pa.presence.typingIn(general).includes(bob.identity.userId))
    pb.presence.typing(null)
    await until(() => pa.presence.typingIn(general).length === 0)

    await ra.durable()
    expect([...alice.gate.accepted()].length).toBe(acceptedBefore)
    expect(await storedEnvelopes(storage, alice.groupId)).toBe(storedBefore)

    await pb.stop()
    running.splice(running.indexOf(pb), 1)
    await until(() => !pa.presence.members().has(bob.identity.userId))
  })
})

async function storedEnvelopes(storage: MemoryStorage, groupId: string): Promise<number> {
  let n = 0
  for (const docId of await storage.documents(groupId))
    n += (await (await storage.document(groupId, docId)).load()).length
  return n
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 10))
  }
}
