// Presence through the real relay process, with no WebRTC connection at all (maxConns 0): statements
// travel only through the relay's /signal room, which fans them out to live subscribers and keeps
// nothing. Members see each other online and typing; the group's mailbox gets no entry from any of
// it; someone holding the group key who is not a member is heard and ignored; a member whose client
// stops stating itself drops out after the expiry.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import type { GroupKey } from '@tailmesh/core'
import {
  Identity,
  MailboxRelayOp,
  MailboxTransport,
  MemoryStorage,
  Replica,
  WebrtcTransport,
  createGroup,
  decodePresence,
  openGroup,
  startPresence,
  type OpenGroup,
  type ReplicaPresence,
} from '@tailmesh/core'
import { MailboxClient, topicFor } from './helpers/mailbox-client'
import { removeDir, spawnRelay, tempDir, type RelayProcess } from './helpers/relay-process'
import { until } from '@tailmesh/core/test/until'

let relay: RelayProcess
const relayData = tempDir()
beforeAll(async () => {
  relay = await spawnRelay([], { dataDir: relayData })
})
afterAll(async () => {
  await relay.stop()
  removeDir(relayData)
})

interface Device {
  identity: Identity
  group: OpenGroup
  replica: Replica
  live: ReplicaPresence | null
}
const devices: Device[] = []
afterEach(async () => {
  for (const d of devices.splice(0)) {
    await d.live?.stop()
    await d.replica.close()
  }
})

const FAST = { heartbeatMs: 300, expiryMs: 2_000 }

async function device(groupId: string, key: GroupKey, from?: { identity: Identity; group: OpenGroup }) {
  const identity = from?.identity ?? (await Identity.create())
  const group = from?.group ?? (await openGroup(identity, groupId))
  const backoff = { minMs: 50, maxMs: 300 }
  const replica = await Replica.start({
    gate: group.gate,
    session: group.session,
    key,
    storage: new MemoryStorage(),
    transports: [
      new MailboxTransport({ url: relay.mailboxUrl, WebSocket, backoff }),
      // No data channel is ever opened: whatever presence arrives came through the relay's /signal.
      new WebrtcTransport({ signaling: [relay.signalUrl], iceServers: [], maxConns: 0, WebSocket, backoff }),
    ],
    compactAfter: 0,
  })
  const d: Device = { identity, group, replica, live: null }
  devices.push(d)
  return d
}

describe('presence through the relay', () => {
  it('members see each other online and typing over /signal; the mailbox keeps none of it', async () => {
    const aliceId = await Identity.create()
    const created = await createGroup(aliceId, { name: 'Presence team' })
    const key = created.key
    const general = created.panelIds[0]!
    const alice = await device(created.groupId, key, { identity: aliceId, group: created })
    for (const e of [...created.gate.accepted()]) await alice.replica.deliver(e)
    const { secret, inviteId } = await alice.group.actions.createInvite({ maxUses: 5 })
    const bob = await device(created.groupId, key)
    await until('bob has the invite', () => bob.group.gate.authority().invites.has(inviteId))
    await bob.group.actions.join(secret)
    await until('alice sees bob join', () => alice.group.gate.authority().members.has(bob.identity.userId))
    await until('nothing pending', () => alice.replica.pending().length + bob.replica.pending().length === 0)

    const mailbox = await MailboxClient.connect(relay.mailboxUrl)
    const topic = await topicFor(created.groupId, key)
    const entries = async () => {
      const r = await mailbox.read(topic.id, 0)
      if (r.op !== MailboxRelayOp.entries) throw new Error('read failed')
      return r.head
    }
    const headBefore = await entries()

    alice.live = startPresence(alice.replica, alice.identity, FAST)
    bob.live = startPresence(bob.replica, bob.identity, FAST)
    const bobSees = () => bob.live!.presence.members()
    const aliceSees = () => alice.live!.presence.members()
    await until('bob sees alice online', () => bobSees().get(alice.identity.userId)?.online === true)
    await until('alice sees bob online', () => aliceSees().get(bob.identity.userId)?.online === true)

    bob.live.presence.typing(general)
    await until('alice sees bob typing', () =>
      alice.live!.presence.typingIn(general).includes(bob.identity.userId),
    )
    bob.live.presence.typing(null)
    await until('alice sees bob stop', () => alice.live!.presence.typingIn(general).length === 0)

    // Several heartbeats have gone by: still not one mailbox entry more, and nothing to the gate.
    let heard = 0
    const off = alice.replica.on('presence', () => heard++)
    await until('a few more statements', () => heard >= 4)
    off()
    expect(await entries()).toBe(headBefore)
    mailbox.ws.close()

    // Bob leaves the group's view: his "gone" statement takes him off Alice's list.
    await bob.live.presence.stop()
    bob.live = null
    await until('alice no longer sees bob', () => !aliceSees().has(bob.identity.userId))
  })

  it('someone with the group key who is not a member is heard and ignored', async () => {
    const aliceId = await Identity.create()
    const created = await createGroup(aliceId, { name: 'Presence team' })
    const alice = await device(created.groupId, created.key, { identity: aliceId, group: created })
    for (const e of [...created.gate.accepted()]) await alice.replica.deliver(e)
    alice.live = startPresence(alice.replica, alice.identity, FAST)

    // Eve holds the key (a leaked invite link) but never joined.
    const eve = await device(created.groupId, created.key)
    let fromEve = 0
    alice.replica.on('presence', (bytes) => {
      if (decodePresence(bytes).author === eve.identity.userId) fromEve++
    })
    eve.live = startPresence(eve.replica, eve.identity, FAST)
    await until('alice heard eve several times', () => fromEve >= 3)
    expect(alice.live.presence.members().has(eve.identity.userId)).toBe(false)
  })

  it('a client that stops without saying so expires', async () => {
    const aliceId = await Identity.create()
    const created = await createGroup(aliceId, { name: 'Presence team' })
    const alice = await device(created.groupId, created.key, { identity: aliceId, group: created })
    for (const e of [...created.gate.accepted()]) await alice.replica.deliver(e)
    const { secret, inviteId } = await alice.group.actions.createInvite({ maxUses: 5 })
    const bob = await device(created.groupId, created.key)
    await until('bob has the invite', () => bob.group.gate.authority().invites.has(inviteId))
    await bob.group.actions.join(secret)
    await until('alice sees bob join', () => alice.group.gate.authority().members.has(bob.identity.userId))
    alice.live = startPresence(alice.replica, alice.identity, FAST)
    bob.live = startPresence(bob.replica, bob.identity, FAST)
    await until(
      'alice sees bob',
      () => alice.live!.presence.members().get(bob.identity.userId)?.online === true,
    )
    // Bob's device vanishes: its replica (and with it every link) closes, no "gone" statement.
    await bob.replica.close()
    await until('bob expires', () => !alice.live!.presence.members().has(bob.identity.userId))
  })
})
