// Replicas (core's Replica + Libp2pTransport) of one group against the real relay process: members
// deliver each other's messages over gossipsub, a late joiner catches up from the mailbox (which the
// relay filled from gossipsub) and its join reaches the others, and a forged envelope — sealed with
// the group key, refused by the gate — stops at the first honest peer that judges it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import type { Envelope, GroupKey } from '@tailmesh/core'
import {
  HybridClock,
  Identity,
  MailboxTransport,
  MemoryStorage,
  Replica,
  createGroup,
  deriveTopic,
  encodeEnvelope,
  envelopeId,
  listMessages,
  openGroup,
  rememberGroup,
  type OpenGroup,
  type Transport,
} from '@tailmesh/core'
import { Libp2pTransport } from '@tailmesh/core/sync/libp2p'
import { Recorder } from '@tailmesh/core/test/transport-conformance'
import { removeDir, spawnRelay, tempDir, type RelayProcess } from './helpers/relay-process'
import { until } from '@tailmesh/core/test/until'

let relay: RelayProcess
let libp2pAddrs: string[] = []
const relayData = tempDir()

beforeAll(async () => {
  relay = await spawnRelay([], { dataDir: relayData })
  const health = (await (await fetch(`${relay.http}/healthz`)).json()) as { libp2p: { multiaddrs: string[] } }
  libp2pAddrs = health.libp2p.multiaddrs
})
afterAll(async () => {
  await relay.stop()
  removeDir(relayData)
})

interface Member {
  name: string
  identity: Identity
  group: OpenGroup
  replica: Replica
  storage: MemoryStorage
  libp2p: Libp2pTransport
}
const members: Member[] = []
const extra: Transport[] = []
afterEach(async () => {
  await Promise.all(members.splice(0).map((m) => m.replica.close()))
  await Promise.all(extra.splice(0).map((t) => t.close()))
})

const backoff = { minMs: 50, maxMs: 300 }
const mailbox = () => new MailboxTransport({ url: relay.mailboxUrl, WebSocket, backoff })
const viaRelay = () => new Libp2pTransport({ relays: libp2pAddrs, WebSocket, backoff })

interface MemberOptions {
  identity?: Identity
  group?: OpenGroup
  libp2p?: Libp2pTransport
  withMailbox?: boolean
  skipLocalChecks?: boolean
}

async function member(name: string, groupId: string, key: GroupKey, o: MemberOptions = {}): Promise<Member> {
  const identity = o.identity ?? (await Identity.create())
  const storage = new MemoryStorage()
  await rememberGroup(storage, groupId, key)
  const group = o.group ?? (await openGroup(identity, groupId, { skipLocalChecks: o.skipLocalChecks }))
  const libp2p = o.libp2p ?? viaRelay()
  const replica = await Replica.start({
    gate: group.gate,
    session: group.session,
    key,
    storage,
    transports: o.withMailbox ? [mailbox(), libp2p] : [libp2p],
    compactAfter: 0,
  })
  const m = { name, identity, group, replica, storage, libp2p }
  members.push(m)
  return m
}

async function founder(o: MemberOptions = {}) {
  const identity = await Identity.create()
  const created = await createGroup(identity, { name: 'Libp2p team' })
  const alice = await member('alice', created.groupId, created.key, { ...o, identity, group: created })
  // The genesis was made before the replica existed: hand it over like any local envelope.
  for (const e of [...created.gate.accepted()]) void alice.replica.deliver(e)
  return { alice, key: created.key, general: created.panelIds[0]! }
}

const bodies = (m: Member, panel: string) => listMessages(m.group.gate, panel).messages.map((x) => x.body)
const isMember = (who: Member, of: Member) => who.group.gate.authority().members.has(of.identity.userId)

/** `joiner` (already started) receives the invite through its replica and joins. */
async function joins(owner: Member, joiner: Member, others: Member[] = []): Promise<void> {
  const { secret, inviteId } = await owner.group.actions.createInvite({ maxUses: 10 })
  await until(`${joiner.name} sees the invite`, () => joiner.group.gate.authority().invites.has(inviteId))
  await joiner.group.actions.join(secret)
  for (const m of [owner, ...others])
    await until(`${m.name} sees ${joiner.name} join`, () => isMember(m, joiner))
}

/** The ids of the envelopes `m`'s gate accepted. */
const state = (m: Member) => [...m.group.gate.accepted()].map((e) => envelopeId(e)).sort()

/**
 * Another device of `who` (its own clientID, a modified client) that holds what `who` holds: what it
 * makes is handed to nobody, so `who`'s own later messages do not depend on it.
 */
async function ghostOf(who: Member, clock?: HybridClock): Promise<{ group: OpenGroup; sent: Envelope[] }> {
  const sent: Envelope[] = []
  const group = await openGroup(who.identity, who.group.groupId, {
    skipLocalChecks: true,
    send: (e) => sent.push(e),
    clock,
  })
  await group.gate.receiveMany([...who.group.gate.accepted()])
  return { group, sent }
}

/** A message of `forger`'s whose author field names `victim`: a valid seal, a forged signature. */
async function impersonate(forger: Member, victim: Member, panel: string): Promise<Envelope> {
  const ghost = await ghostOf(forger)
  await ghost.group.actions.send(panel, 'I am ' + victim.name)
  return { ...ghost.sent.at(-1)!, author: victim.identity.userId }
}

/**
 * A chain without the relay: the honest Alice listens on her own WebSocket address and is the only
 * peer Mallory (a member with a modified client) and Carol know, so every frame from Mallory to Carol
 * passes Alice's gate first.
 */
async function chain() {
  const middle = new Libp2pTransport({ relays: [], listen: ['/ip4/127.0.0.1/tcp/0/ws'], WebSocket, backoff })
  const { alice, key, general } = await founder({ libp2p: middle })
  const at = middle.multiaddrs().find((a) => a.includes('/ws/'))!
  const end = () => new Libp2pTransport({ relays: [], peers: [at], WebSocket, backoff })
  const mallory = await member('mallory', alice.group.groupId, key, { libp2p: end(), skipLocalChecks: true })
  await joins(alice, mallory)
  const carol = await member('carol', alice.group.groupId, key, { libp2p: end() })
  await joins(alice, carol, [mallory])
  await alice.group.actions.send(general, 'from alice')
  await until('all have it', () => [mallory, carol].every((m) => bodies(m, general).includes('from alice')))
  // Mallory and Carol never meet: Alice is their only libp2p peer.
  expect(mallory.libp2p.connectedPeers()).toEqual([alice.libp2p.peerId])
  expect(carol.libp2p.connectedPeers()).toEqual([alice.libp2p.peerId])
  return { alice, mallory, carol, general }
}

/** Whether `m`'s gate was ever handed `bytes` (receive() goes through receiveMany()). */
function seenBy(m: Member, bytes: Uint8Array): () => boolean {
  const seen: Uint8Array[] = []
  const gate = m.group.gate
  const receiveMany = gate.receiveMany.bind(gate)
  gate.receiveMany = (list) => {
    for (const x of list) seen.push(x instanceof Uint8Array ? x : encodeEnvelope(x))
    return receiveMany(list)
  }
  return () => seen.some((b) => Buffer.from(b).equals(bytes))
}

describe('replicas over libp2p through the real relay', () => {
  it('three Node members deliver each other’s messages over gossipsub (no mailbox)', async () => {
    const { alice, key, general } = await founder()
    const bob = await member('bob', alice.group.groupId, key)
    await joins(alice, bob)
    const carol = await member('carol', alice.group.groupId, key)
    await joins(alice, carol, [bob])
    const all = [alice, bob, carol]
    for (const m of all) await m.group.actions.send(general, `hello from ${m.name}`)
    const expected = all.map((m) => `hello from ${m.name}`).sort()
    for (const m of all)
      await until(`${m.name} has all three`, () => expected.every((t) => bodies(m, general).includes(t)))
    expect(bodies(bob, general)).toEqual(bodies(alice, general))
    expect(bodies(carol, general)).toEqual(bodies(alice, general))
    // Delivered to a peer counts: nothing stays pending without a mailbox.
    for (const m of all) await until(`${m.name} has nothing pending`, () => m.replica.pending().length === 0)
    // Every member is linked to the others as a libp2p peer, not only to the relay.
    const ids = all.map((m) => m.libp2p.peerId!)
    for (const m of all)
      await until(`${m.name} is connected to both others`, () => {
        const connected = new Set(m.libp2p.connectedPeers())
        return ids.filter((id) => id !== m.libp2p.peerId && connected.has(id)).length === 2
      })
  })

  it('a late joiner catches up from the mailbox the relay filled from gossipsub, and its join reaches the others', async () => {
    // Alice registers the topic at the mailbox (with its key); Bob and Carol use libp2p alone, so their
    // messages reach the mailbox only through the relay's gossipsub node.
    const { alice, key, general } = await founder({ withMailbox: true })
    const bob = await member('bob', alice.group.groupId, key)
    await joins(alice, bob)
    const carol = await member('carol', alice.group.groupId, key)
    await joins(alice, carol, [bob])
    await bob.group.actions.send(general, 'bob, over libp2p only')
    await carol.group.actions.send(general, 'carol, over libp2p only')
    await until('alice has both', () => bodies(alice, general).length === 2)

    // What the mailbox holds, read as a plain mailbox subscriber.
    const topic = await deriveTopic(alice.group.groupId, key)
    const reader = new Recorder()
    const mb = mailbox()
    extra.push(mb)
    await mb.open({ topic, secret: new Uint8Array(32) }, reader, 0)
    // Genesis, 2 invites, 2 joins, 2 messages at least (Bob's and Carol's only via gossipsub).
    await until('the mailbox has every envelope', () => reader.frames.length >= 7)

    // Dave arrives with both transports: the mailbox from cursor 0 and the libp2p peers.
    const dave = await member('dave', alice.group.groupId, key, { withMailbox: true })
    await until('dave has the history', () => bodies(dave, general).length === 2)
    // Cursors are kept per transport id and topic.
    const mailboxId = dave.replica.status().transports.find((t) => t.kind === 'mailbox')!.id
    const cursor = await dave.storage.get(alice.group.groupId, `cursor/${mailboxId}/${topic.id}`)
    expect(Number(new TextDecoder().decode(cursor!))).toBeGreaterThanOrEqual(7)
    await joins(alice, dave, [bob, carol])
    await dave.group.actions.send(general, 'dave is here')
    for (const m of [alice, bob, carol])
      await until(`${m.name} gets dave's message`, () => bodies(m, general).includes('dave is here'))
    for (const m of [bob, carol, dave]) expect(bodies(m, general)).toEqual(bodies(alice, general))
  })

  it('a forged envelope stops at the first honest peer; gossipsub carries the next good one', async () => {
    const { alice, mallory, carol, general } = await chain()

    // 1. Refused for good: a message of Mallory's presented as Alice's (the signature no longer matches).
    const impersonation = await impersonate(mallory, alice, general)
    const refused = envelopeId(impersonation)
    const forgedBytes = encodeEnvelope(impersonation)

    // Carol's gate would refuse it as well: what is checked is that it never even reaches her gate.
    const aliceSaw = seenBy(alice, forgedBytes)
    const carolSaw = seenBy(carol, forgedBytes)
    const beforeCarol = state(carol)
    void mallory.replica.deliver(impersonation)
    // 2. Then an ordinary message of Mallory's, which must go through Alice to Carol.
    await mallory.group.actions.send(general, 'mallory, honestly')
    await until('carol gets the honest one', () => bodies(carol, general).includes('mallory, honestly'))
    await new Promise((r) => setTimeout(r, 500))
    expect(aliceSaw()).toBe(true)
    expect(alice.group.gate.has(refused)).toBe(false)
    expect(carolSaw()).toBe(false)
    expect(carol.group.gate.has(refused)).toBe(false)
    expect(bodies(carol, general)).toEqual(['from alice', 'mallory, honestly'])
    expect(state(carol).filter((id) => !beforeCarol.includes(id))).toHaveLength(1)
    expect(bodies(alice, general)).toEqual(bodies(carol, general))

    // 3. Mallory edits Alice's message: refused for good ("a message is written only by its author"),
    // so Alice does not pass it on and nobody applies it.
    const aliceMessage = listMessages(alice.group.gate, general).messages[0]!.id
    const ghost = await ghostOf(mallory)
    await ghost.group.actions.edit(general, aliceMessage, 'rewritten by mallory')
    const edit = ghost.sent.at(-1)!
    const aliceSawEdit = seenBy(alice, encodeEnvelope(edit))
    const carolSawEdit = seenBy(carol, encodeEnvelope(edit))
    void mallory.replica.deliver(edit)
    await until('alice judged the edit', aliceSawEdit)
    expect(alice.group.gate.deferred()).toEqual([])
    await mallory.group.actions.send(general, 'after the edit')
    await until('carol gets the next one', () => bodies(carol, general).includes('after the edit'))
    await new Promise((r) => setTimeout(r, 300))
    expect(carolSawEdit()).toBe(false)
    for (const m of [alice, carol]) {
      expect(bodies(m, general)).not.toContain('rewritten by mallory')
      expect(bodies(m, general)).toEqual(['from alice', 'mallory, honestly', 'after the edit'])
    }
  })

  // A replay of an envelope the gate refused for good (a timestamp too far ahead, a bad clientID
  // claim, an invalid record) is refused again with its reason, so the validate hook drops it too:
  // sealing it again (a new gossipsub message) does not get it past Alice.
  it('an envelope refused for good, sealed again, is not passed on either', async () => {
    const { alice, mallory, carol, general } = await chain()
    const ghost = await ghostOf(mallory, new HybridClock(() => Date.now() + 3_600_000))
    await ghost.group.actions.send(general, 'from the future')
    const future = ghost.sent.at(-1)!
    const carolSaw = seenBy(carol, encodeEnvelope(future))
    const aliceSaw = seenBy(alice, encodeEnvelope(future))
    void mallory.replica.deliver(future)
    await until('alice judged it', aliceSaw)
    await new Promise((r) => setTimeout(r, 300))
    expect(carolSaw()).toBe(false)
    void mallory.replica.deliver(future)
    await mallory.group.actions.send(general, 'mallory, honestly')
    await until('carol gets the honest one', () => bodies(carol, general).includes('mallory, honestly'))
    await new Promise((r) => setTimeout(r, 500))
    expect(carolSaw()).toBe(false)
  })

  it('a removed member’s later envelopes are held by the peer that sees them, not passed on', async () => {
    const { alice, mallory, carol, general } = await chain()
    await alice.group.actions.kick(mallory.identity.userId)
    await until('carol follows the kick', () =>
      carol.group.gate.authority().kicks.has(mallory.identity.userId),
    )
    // Mallory's modified client keeps posting under the key it still holds.
    const ghost = await ghostOf(mallory)
    await ghost.group.actions.send(general, 'let me back in')
    const late = ghost.sent.at(-1)!
    const aliceSaw = seenBy(alice, encodeEnvelope(late))
    const carolSaw = seenBy(carol, encodeEnvelope(late))
    void mallory.replica.deliver(late)
    await until('alice holds it aside', () => aliceSaw() && alice.group.gate.deferred().length === 1)
    expect(alice.group.gate.deferred()[0]!.reason).toMatch(/not a member/)
    await alice.group.actions.send(general, 'still here')
    await until('carol gets alice’s next one', () => bodies(carol, general).includes('still here'))
    await new Promise((r) => setTimeout(r, 300))
    expect(carolSaw()).toBe(false)
  })

  it('through the relay (which cannot open frames), a forged envelope reaches peers but changes nothing', async () => {
    const { alice, key, general } = await founder({ withMailbox: true })
    const mallory = await member('mallory', alice.group.groupId, key, { skipLocalChecks: true })
    await joins(alice, mallory)
    const carol = await member('carol', alice.group.groupId, key)
    await joins(alice, carol, [mallory])
    await alice.group.actions.send(general, 'from alice')
    await until('both have it', () =>
      [mallory, carol].every((m) => bodies(m, general).includes('from alice')),
    )
    const before = [alice, carol].map((m) => ({ ids: state(m) }))
    const impersonation = await impersonate(mallory, alice, general)
    void mallory.replica.deliver(impersonation)
    await mallory.group.actions.send(general, 'mallory, honestly')
    for (const m of [alice, carol])
      await until(`${m.name} gets the honest one`, () => bodies(m, general).includes('mallory, honestly'))
    for (const [i, m] of [alice, carol].entries()) {
      expect(m.group.gate.has(envelopeId(impersonation))).toBe(false)
      expect(state(m).filter((id) => !before[i]!.ids.includes(id))).toHaveLength(1)
      expect(bodies(m, general)).toEqual(['from alice', 'mallory, honestly'])
    }
  })
})
