// Friends through the real relay process: Alice adds Bob by his friend link while Bob is offline;
// Bob comes online, sees the request and accepts; both end up in the same DM (core's
// createDirectMessage, carried by Replicas) and exchange messages. Each person has their own LevelDB.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import {
  FriendChannel,
  GroupKey,
  Identity,
  MailboxTransport,
  Replica,
  createDirectMessage,
  decodeInvitePayload,
  directMessageName,
  directMessagePanel,
  encodeInvitePayload,
  friendCodeOf,
  friendLink,
  friendTopic,
  decodeFriendCard,
  listMessages,
  openGroup,
  rememberGroup,
  signProfile,
  type OpenGroup,
  type SignedProfile,
} from '@tailmesh/core'
import { LevelStorage } from '@tailmesh/core/storage/level'
import { removeDir, spawnRelay, tempDir, type RelayProcess } from './helpers/relay-process'
import { until } from '@tailmesh/core/test/until'

let relay: RelayProcess
beforeAll(async () => {
  relay = await spawnRelay()
})
afterAll(async () => {
  await relay.stop()
})

const closers: (() => Promise<void>)[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c().catch(() => undefined)
  for (const d of dirs.splice(0)) removeDir(d)
})

const mailbox = () =>
  new MailboxTransport({ url: relay.mailboxUrl, WebSocket, backoff: { minMs: 50, maxMs: 300 } })

interface Person {
  name: string
  identity: Identity
  profile: SignedProfile
  dir: string
}

async function person(name: string): Promise<Person> {
  const identity = await Identity.create()
  const dir = tempDir('tailmesh-friend-')
  dirs.push(dir)
  return { name, identity, profile: await signProfile(identity, { nickname: name, updatedAt: 1 }), dir }
}

/** One person's device online: their storage, a mailbox connection and their friend channel. */
async function online(p: Person) {
  const storage = await LevelStorage.open({ path: p.dir })
  const transport = mailbox()
  const channel = await FriendChannel.start({
    identity: p.identity,
    profile: p.profile,
    storage,
    transports: [transport],
  })
  const close = async () => {
    await channel.close()
    await transport.close()
    await storage.close()
  }
  closers.push(close)
  return { storage, transport, channel, close }
}

async function carry(group: OpenGroup, key: GroupKey, storage: LevelStorage) {
  await rememberGroup(storage, group.groupId, key)
  const transport = mailbox()
  const replica = await Replica.start({
    gate: group.gate,
    session: group.session,
    key,
    storage,
    transports: [transport],
  })
  closers.push(async () => {
    await replica.close()
    await transport.close()
  })
  return replica
}

const bodies = (g: OpenGroup, panel: string) => listMessages(g.gate, panel).messages.map((m) => m.body)

describe('friends through the real relay', () => {
  it('Alice adds offline Bob by his link; Bob accepts later; they share a DM and talk', async () => {
    const alice = await person('Alice')
    const bob = await person('Bob')

    // Bob makes his link, then goes offline.
    const bobFirst = await online(bob)
    const link = friendLink('http://app.example/', bobFirst.channel.code())
    // (Closing a mailbox socket still connecting makes ws throw outside any handler: socket.ts.)
    await until('Bob was connected', () => bobFirst.transport.connected)
    await bobFirst.close()
    closers.splice(closers.indexOf(bobFirst.close), 1)

    const a = await online(alice)
    const request = await a.channel.request(friendCodeOf(link))
    expect(a.channel.view().outgoing).toMatchObject([{ id: request.id, status: 'sent' }])

    // Bob comes back: the request waited in the relay's mailbox.
    const b = await online(bob)
    await until('Bob sees Alice’s request', () => b.channel.view().incoming.length === 1)
    const incoming = b.channel.view().incoming[0]!
    expect(incoming).toMatchObject({ from: alice.identity.userId, nickname: 'Alice' })

    // Accepting makes the DM on Bob's device and sends its invite to Alice's topic.
    let bobDm: { group: OpenGroup; panelId: string } | null = null
    await b.channel.accept(incoming.id, async () => {
      const dm = await createDirectMessage(bob.identity, { profile: bob.profile })
      const replica = await carry(dm, dm.key, b.storage)
      for (const e of [...dm.gate.accepted()]) await replica.deliver(e)
      bobDm = { group: dm, panelId: dm.panelId }
      return encodeInvitePayload({ groupId: dm.groupId, groupKey: dm.key.raw, secret: dm.secret })
    })
    expect(b.channel.view().friends).toMatchObject([{ userId: alice.identity.userId }])

    await until('Alice hears yes', () => a.channel.view().invites.length === 1)
    expect(a.channel.view().friends).toMatchObject([{ userId: bob.identity.userId, nickname: 'Bob' }])
    const invite = decodeInvitePayload(a.channel.view().invites[0]!.invite)
    const aliceDm = await openGroup(alice.identity, invite.groupId)
    await carry(aliceDm, await GroupKey.fromBytes(invite.groupKey), a.storage)
    await until('the DM reaches Alice', () => aliceDm.gate.authority().invites.size === 1)
    await aliceDm.actions.join(invite.secret, alice.profile)
    await a.channel.inviteHandled(invite.groupId)

    const dm = bobDm!
    await until('Bob sees Alice join', () => dm.group.gate.authority().members.has(alice.identity.userId))
    expect(aliceDm.groupId).toBe(dm.group.groupId)
    expect(directMessageName(aliceDm.gate.authority(), alice.identity.userId)).toBe('Bob')
    expect(directMessageName(dm.group.gate.authority(), bob.identity.userId)).toBe('Alice')

    const panel = directMessagePanel(aliceDm.gate.authority())!
    expect(panel).toBe(dm.panelId)
    await aliceDm.actions.send(panel, 'hi Bob, thanks for adding me')
    await until('Bob reads it', () => bodies(dm.group, panel).includes('hi Bob, thanks for adding me'))
    await dm.group.actions.send(panel, 'welcome, Alice')
    await until('Alice reads the answer', () => bodies(aliceDm, panel).includes('welcome, Alice'))
  })

  it('junk and forgeries posted on a friend topic at the relay are dropped; a denial reaches the asker', async () => {
    const alice = await person('Alice')
    const carol = await person('Carol')
    const a = await online(alice)
    const code = a.channel.code()
    // Anyone holding the code can post on the topic: garbage first.
    const topic = await friendTopic(decodeFriendCard(code))
    const junkSender = mailbox()
    closers.push(() => junkSender.close())
    const link = await junkSender.open(topic.access, { frame: () => undefined })
    await link.broadcast(new Uint8Array(300).fill(7))
    await link.close()
    await until('junk dropped', () => a.channel.drops.get('unreadable') === 1)

    const c = await online(carol)
    await c.channel.request(code)
    await until('Alice sees Carol', () => a.channel.view().incoming.length === 1)
    await a.channel.deny(a.channel.view().incoming[0]!.id)
    await until('Carol is told', () => c.channel.view().outgoing[0]?.status === 'denied')
    await c.channel.request(code)
    await until('the repeat is dropped', () => a.channel.drops.get('denied') === 1)
    expect(a.channel.view().incoming).toEqual([])
    expect(c.channel.view().invites).toEqual([])
  })
})
