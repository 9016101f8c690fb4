// Replicas of one group on separate "devices" (each its own LevelDB and transports) talking through the
// real relay process: mailbox catch-up, offline delivery, peer-to-peer without the relay, restart from
// disk, compaction, and what the relay keeps (ciphertext only).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { WebSocket } from 'ws'
import wrtc from '@roamhq/wrtc'
import {
  Identity,
  MailboxTransport,
  Replica,
  WebrtcTransport,
  createGroup,
  listMessages,
  openGroup,
  openKeyring,
  rememberGroup,
  GroupKey,
  acceptPairing,
  fromBase64Url,
  recordDevice,
  requestPairing,
  revokeDevice,
  toBase64Url,
  type PairingCandidate,
  type OpenGroup,
  type Transport,
} from '@tailmesh/core'
import { LevelStorage } from '@tailmesh/core/storage/level'
import { removeDir, spawnRelay, tempDir, type RelayProcess } from './helpers/relay-process'
import { until } from '@tailmesh/core/test/until'

let relay: RelayProcess
const relayData = tempDir()
let port = 0
const startRelay = async () => {
  relay = await spawnRelay(port === 0 ? [] : ['--port', String(port)], { dataDir: relayData })
  port = relay.port
}
beforeAll(startRelay)
afterAll(async () => {
  await relay.stop()
  removeDir(relayData)
})

interface Device {
  name: string
  identity: Identity
  dir: string
  group: OpenGroup
  replica: Replica
  storage: LevelStorage
}
const devices: Device[] = []
afterEach(async () => {
  for (const d of devices.splice(0)) await stop(d)
})

type Carriers = 'mailbox' | 'both'
const transports = (carriers: Carriers): Transport[] => {
  const backoff = { minMs: 50, maxMs: 300 }
  const mailbox = new MailboxTransport({ url: relay.mailboxUrl, WebSocket, backoff })
  if (carriers === 'mailbox') return [mailbox]
  const webrtc = new WebrtcTransport({
    signaling: [relay.signalUrl],
    iceServers: [],
    wrtc,
    WebSocket,
    backoff,
  })
  return [mailbox, webrtc]
}

/** Opens (or reopens, from its directory) one person's device for the group. */
async function device(
  name: string,
  groupId: string,
  key: GroupKey,
  options: {
    identity?: Identity
    dir?: string
    carriers?: Carriers
    /** Instead of `carriers`: these transports. */
    transports?: Transport[]
    compactAfter?: number
    group?: OpenGroup
    /** Later keys handed over when the device was linked. */
    knownKeys?: GroupKey[]
  } = {},
): Promise<Device> {
  const identity = options.identity ?? (await Identity.create())
  const dir = options.dir ?? tempDir('tailmesh-device-')
  const storage = await LevelStorage.open({ path: dir })
  await rememberGroup(storage, groupId, key)
  const group = options.group ?? (await openGroup(identity, groupId))
  const replica = await Replica.start({
    gate: group.gate,
    session: group.session,
    key,
    ...(options.knownKeys && { knownKeys: options.knownKeys }),
    storage,
    transports: options.transports ?? transports(options.carriers ?? 'mailbox'),
    compactAfter: options.compactAfter ?? 0,
  })
  const d = { name, identity, dir, group, replica, storage }
  devices.push(d)
  return d
}

async function stop(d: Device): Promise<void> {
  const i = devices.indexOf(d)
  if (i >= 0) devices.splice(i, 1)
  await d.replica.close()
  await d.storage.close()
}

async function aliceCreates(carriers: Carriers = 'mailbox', compactAfter = 0) {
  const identity = await Identity.create()
  const created = await createGroup(identity, { name: 'Replica team' })
  const alice = await device('alice', created.groupId, created.key, {
    identity,
    group: created,
    carriers,
    compactAfter,
  })
  // Genesis was made before the replica existed: hand it over like any local envelope.
  for (const e of [...created.gate.accepted()]) await alice.replica.deliver(e)
  return { alice, key: created.key, general: created.panelIds[0]! }
}

const bodies = (d: Device, panel: string) => listMessages(d.group.gate, panel).messages.map((m) => m.body)

async function bobJoins(alice: Device, key: GroupKey, carriers: Carriers = 'mailbox', name = 'bob') {
  const { secret, inviteId } = await alice.group.actions.createInvite({ maxUses: 5 })
  const bob = await device(name, alice.group.groupId, key, { carriers })
  await until('bob sees the group and its invite', () => bob.group.gate.authority().invites.has(inviteId))
  await bob.group.actions.join(secret)
  await until('alice sees bob join', () => alice.group.gate.authority().members.has(bob.identity.userId))
  return bob
}

describe('replica through the real relay', () => {
  it('a joiner catches up from the mailbox and messages flow both ways', async () => {
    const { alice, key, general } = await aliceCreates()
    await alice.group.actions.send(general, 'before bob')
    const bob = await bobJoins(alice, key)
    await until('bob has the history', () => bodies(bob, general).includes('before bob'))
    await bob.group.actions.send(general, 'hi alice')
    await until('alice gets the reply', () => bodies(alice, general).includes('hi alice'))
    await alice.group.actions.send(general, 'hi bob')
    await until('bob gets it live', () => bodies(bob, general).includes('hi bob'))
    expect(bodies(alice, general)).toEqual(bodies(bob, general))
  })

  it('delivers through the mailbox to someone who was offline, after the sender left', async () => {
    const { alice, key, general } = await aliceCreates()
    const bob = await bobJoins(alice, key)
    const bobDir = bob.dir
    await stop(bob)
    for (const text of ['one', 'two', 'three']) await alice.group.actions.send(general, text)
    await until('all three acknowledged by the relay', () => alice.replica.pending().length === 0)
    await stop(alice)

    const back = await device('bob', alice.group.groupId, key, { identity: bob.identity, dir: bobDir })
    await until('bob receives all three', () =>
      ['one', 'two', 'three'].every((t) => bodies(back, general).includes(t)),
    )
  })

  it('keeps a message sent while the relay is down pending, also across a restart, and delivers it later', async () => {
    const { alice, key, general } = await aliceCreates()
    const bob = await bobJoins(alice, key)
    await relay.stop()
    try {
      await alice.group.actions.send(general, 'sent while the relay is down')
      await new Promise((r) => setTimeout(r, 300))
      expect(alice.replica.pending()).toHaveLength(1)
      const dir = alice.dir
      await stop(alice)
      const again = await device('alice', alice.group.groupId, key, { identity: alice.identity, dir })
      expect(again.replica.pending()).toHaveLength(1)
      expect(bodies(again, general)).toContain('sent while the relay is down')
      await startRelay()
      await until('delivered after the relay is back', () => again.replica.pending().length === 0)
      await until('bob got it', () => bodies(bob, general).includes('sent while the relay is down'))
    } finally {
      if (!relay.alive()) await startRelay()
    }
  })

  it('restarts from disk with the relay down: history is there before any network', async () => {
    const { alice, key, general } = await aliceCreates()
    const bob = await bobJoins(alice, key)
    await alice.group.actions.send(general, 'kept on disk')
    await until('bob has it', () => bodies(bob, general).includes('kept on disk'))
    await alice.replica.durable()
    await bob.replica.durable()
    const dirs = { alice: alice.dir, bob: bob.dir }
    await stop(alice)
    await stop(bob)
    await relay.stop()
    try {
      const a = await device('alice', alice.group.groupId, key, { identity: alice.identity, dir: dirs.alice })
      const b = await device('bob', alice.group.groupId, key, { identity: bob.identity, dir: dirs.bob })
      expect(bodies(a, general)).toContain('kept on disk')
      // Alice's genesis was made before her replica existed: kept all the same.
      expect(a.group.gate.authority().info?.name).toBe('Replica team')
      expect(bodies(b, general)).toContain('kept on disk')
      expect(b.group.gate.authority().members.has(b.identity.userId)).toBe(true)
    } finally {
      await startRelay()
    }
  })

  it('after the relay stops, peers keep talking over WebRTC', async () => {
    const { alice, key, general } = await aliceCreates('both')
    const bob = await bobJoins(alice, key, 'both')
    await alice.group.actions.send(general, 'via relay or peer')
    await until('bob has it', () => bodies(bob, general).includes('via relay or peer'))
    await until('webrtc connected', () => bob.replica.online() && alice.replica.online())
    await new Promise((r) => setTimeout(r, 500))
    await relay.stop()
    try {
      await alice.group.actions.send(general, 'peer to peer')
      await until('bob gets it without the relay', () => bodies(bob, general).includes('peer to peer'))
      await bob.group.actions.send(general, 'and back')
      await until('alice gets it without the relay', () => bodies(alice, general).includes('and back'))
    } finally {
      await startRelay()
    }
  })

  it('compacts the mailbox: a late joiner gets the snapshot plus later entries', async () => {
    const { alice, key, general } = await aliceCreates('mailbox', 5)
    const snapshots: number[] = []
    alice.replica.on('compacted', (upTo) => snapshots.push(upTo))
    for (let i = 0; i < 8; i++) await alice.group.actions.send(general, `early ${i}`)
    await until('acknowledged', () => alice.replica.pending().length === 0)
    await until('a snapshot was uploaded', () => snapshots.length > 0)
    await alice.group.actions.send(general, 'after the snapshot')
    const bob = await bobJoins(alice, key)
    await until('bob has everything', () => bodies(bob, general).length === 9)
    expect(bodies(bob, general)).toEqual(bodies(alice, general))
  })

  it('a relay added while the group is open gets its history: someone only on that relay catches up from it', async () => {
    const { alice, key, general } = await aliceCreates()
    await alice.group.actions.send(general, 'before the new relay')
    const bob = await bobJoins(alice, key)
    const second = await spawnRelay([], { dataDir: tempDir() })
    try {
      const backoff = { minMs: 50, maxMs: 300 }
      const onSecond = () => [new MailboxTransport({ url: second.mailboxUrl, WebSocket, backoff })]
      await alice.replica.addTransport(onSecond()[0]!)
      await alice.group.actions.send(general, 'after it')
      await until('acknowledged', () => alice.replica.pending().length === 0)
      // Carol's device knows only the second relay, which never saw the group before Alice added it.
      const carol = await device('carol', alice.group.groupId, key, { transports: onSecond() })
      await until('carol has the whole history from the second relay', () =>
        ['before the new relay', 'after it'].every((b) => bodies(carol, general).includes(b)),
      )
      expect(carol.group.gate.authority().members.has(bob.identity.userId)).toBe(true)
    } finally {
      await second.stop()
      removeDir(second.dataDir)
    }
  })

  it('members who share no relay hear each other: a member on both hands on what each side sends', async () => {
    const second = await spawnRelay([], { dataDir: tempDir() })
    try {
      const backoff = { minMs: 50, maxMs: 300 }
      // Mailboxes named by their relay, as the web app's are (Transport.relay).
      const onFirst = () =>
        new MailboxTransport({ url: relay.mailboxUrl, relay: relay.http, WebSocket, backoff })
      const onSecond = () =>
        new MailboxTransport({ url: second.mailboxUrl, relay: second.http, WebSocket, backoff })
      const identity = await Identity.create()
      const created = await createGroup(identity, { name: 'Two harbours' })
      const general = created.panelIds[0]!
      const alice = await device('alice', created.groupId, created.key, {
        identity,
        group: created,
        transports: [onFirst(), onSecond()],
      })
      for (const e of [...created.gate.accepted()]) await alice.replica.deliver(e)
      await alice.group.actions.updateRelays([relay.http, second.http])
      // Bob's device knows only the first relay, Carol's only the second.
      const join = async (name: string, transport: Transport, url: string) => {
        const { secret, inviteId } = await alice.group.actions.createInvite({ maxUses: 5 })
        const d = await device(name, created.groupId, created.key, { transports: [transport] })
        await until(`${name} sees the invite`, () => d.group.gate.authority().invites.has(inviteId))
        await d.group.actions.join(secret)
        await d.group.actions.updateRelays([url])
        return d
      }
      const bob = await join('bob', onFirst(), relay.http)
      const carol = await join('carol', onSecond(), second.http)
      await until('alice knows both', () =>
        [bob, carol].every((d) => alice.group.gate.authority().members.get(d.identity.userId)?.relays),
      )

      await bob.group.actions.send(general, 'from the first harbour')
      await carol.group.actions.send(general, 'from the second harbour')
      await until('carol hears bob', () => bodies(carol, general).includes('from the first harbour'))
      await until('bob hears carol', () => bodies(bob, general).includes('from the second harbour'))
      // And each sees the other as a member.
      expect(bob.group.gate.authority().members.has(carol.identity.userId)).toBe(true)
      expect(carol.group.gate.authority().members.has(bob.identity.userId)).toBe(true)
    } finally {
      await second.stop()
      removeDir(second.dataDir)
    }
  })

  it('leaves no message text, nickname or group name in the relay data directory', async () => {
    const { alice, key, general } = await aliceCreates()
    const bob = await bobJoins(alice, key)
    await alice.group.actions.send(general, 'a very secret plan')
    await until('bob has it', () => bodies(bob, general).includes('a very secret plan'))
    await relay.stop()
    try {
      const bytes = Buffer.concat(filesUnder(relayData).map((f) => readFileSync(f)))
      for (const needle of ['a very secret plan', 'Replica team', alice.group.groupId])
        expect(bytes.includes(Buffer.from(needle)), needle).toBe(false)
    } finally {
      await startRelay()
    }
  })
})

describe('removal rotates the group key', () => {
  it('when a member leaves, the owner’s client rotates and the leaver reads nothing sent afterwards', async () => {
    const { alice, key, general } = await aliceCreates()
    const bob = await bobJoins(alice, key)
    const carol = await bobJoins(alice, key, 'mailbox', 'carol')
    await bob.group.actions.leave()
    await until('the owner rotated', () => carol.group.gate.authority().rotations.size === 1)
    expect([...carol.group.gate.authority().rotations.values()][0]!.by).toBe(alice.identity.userId)
    await carol.group.actions.send(general, 'after bob left')
    await until('alice has it', () => bodies(alice, general).includes('after bob left'))
    await until('delivered', () => carol.replica.pending().length === 0)
    await new Promise((r) => setTimeout(r, 500))
    expect(bodies(bob, general)).not.toContain('after bob left')
  })

  it('a kicked member left running reads nothing sent afterwards; a newcomer with the new key gets everything', async () => {
    const { alice, key, general } = await aliceCreates()
    const bob = await bobJoins(alice, key)
    const carol = await bobJoins(alice, key, 'mailbox', 'carol')
    await alice.group.actions.send(general, 'before the kick')
    await until('carol has it', () => bodies(carol, general).includes('before the kick'))

    await alice.group.actions.kick(carol.identity.userId)
    await until('bob follows the rotation', () => bob.group.gate.authority().rotations.size === 1)
    await alice.group.actions.send(general, 'after the kick')
    await bob.group.actions.send(general, 'bob, after the kick')
    await until('bob has alice’s', () => bodies(bob, general).includes('after the kick'))
    await until('alice has bob’s', () => bodies(alice, general).includes('bob, after the kick'))
    await until('delivered', () => alice.replica.pending().length + bob.replica.pending().length === 0)
    await new Promise((r) => setTimeout(r, 500))
    // Carol's client still runs with the old key and still gets the group document (the kick itself).
    expect(carol.group.gate.authority().kicks.has(carol.identity.userId)).toBe(true)
    expect(bodies(carol, general)).toEqual(['before the kick'])

    // Someone invited now holds only the new key: the history comes sealed with it.
    const ring = await openKeyring(
      alice.group.gate.authority(),
      alice.group.groupId,
      alice.identity.userId,
      await alice.identity.boxKeys(),
      key,
    )
    expect(ring.current.raw).not.toEqual(key.raw)
    const dave = await bobJoins(alice, ring.current, 'mailbox', 'dave')
    await until('dave has the whole history', () => bodies(dave, general).length === 3)
    expect(bodies(dave, general)).toEqual(bodies(alice, general))
  })
})

describe('an invite older than the newest key', () => {
  it('someone who joins with it gets a key: the owner rotates again and they read what follows', async () => {
    const { alice, key, general } = await aliceCreates()
    const bob = await bobJoins(alice, key)
    // Alice shares a link before the kick: it carries the key of that time.
    const { secret, inviteId } = await alice.group.actions.createInvite({ maxUses: 5 })
    await alice.group.actions.kick(bob.identity.userId)
    await until('the kick rotated the key', () => alice.group.gate.authority().rotations.size === 1)
    await alice.group.actions.send(general, 'after the kick')

    const carol = await device('carol', alice.group.groupId, key)
    await until('carol sees the invite', () => carol.group.gate.authority().invites.has(inviteId))
    await carol.group.actions.join(secret)
    await until('alice rotates for her', () => alice.group.gate.authority().rotations.size === 2)
    await alice.group.actions.send(general, 'welcome, carol')
    await until('carol reads it', () => bodies(carol, general).includes('welcome, carol'))
    expect(bodies(carol, general)).toContain('after the kick')
    expect(bodies(bob, general)).not.toContain('welcome, carol')
  })
})

describe('a device linked with a pairing code, then revoked', () => {
  it('the new device acts as the user; once revoked, its messages are refused and it reads nothing new', async () => {
    const { alice, key, general } = await aliceCreates()
    const bob = await bobJoins(alice, key)
    await alice.group.actions.rotateKey()
    await until('bob follows the rotation', () => bob.group.gate.authority().rotations.size === 1)
    await alice.group.actions.send(general, 'sealed with the rotated key')

    // The laptop shows a code; Alice types it on her phone, which holds her identity.
    const signaling = { urls: [relay.signalUrl], WebSocket, backoff: { minMs: 50, maxMs: 300 } }
    const request = await requestPairing({ signaling, deviceName: 'Laptop' })
    let shown: PairingCandidate | undefined
    const cert = await acceptPairing({
      signaling,
      code: request.code.toLowerCase(),
      identity: alice.identity,
      confirm: async (candidate) => {
        shown = candidate
        return true
      },
      bundle: async () => ({
        groups: [
          {
            groupId: alice.group.groupId,
            keys: alice.replica.keyring().map((k) => toBase64Url(k.raw)),
          },
        ],
      }),
    })
    const linked = await request.linked
    expect(shown).toEqual({ name: 'Laptop', fingerprint: request.fingerprint })
    expect(linked.identity.userId).toBe(alice.identity.userId)
    await recordDevice(alice.group.session, cert)

    const [initial, ...later] = await Promise.all(
      linked.bundle.groups[0]!.keys.map((k) => GroupKey.fromBytes(fromBase64Url(k))),
    )
    expect(initial!.raw).toEqual(key.raw)
    const laptop = await device('laptop', alice.group.groupId, initial!, {
      identity: linked.identity,
      knownKeys: later,
    })
    await until('the laptop has the history', () =>
      bodies(laptop, general).includes('sealed with the rotated key'),
    )
    await laptop.group.actions.send(general, 'typed on the laptop')
    await until('bob has it', () => bodies(bob, general).includes('typed on the laptop'))
    const fromLaptop = listMessages(bob.group.gate, general).messages.find(
      (m) => m.body === 'typed on the laptop',
    )
    expect(fromLaptop?.author).toBe(alice.identity.userId)

    // The laptop is stolen: Alice revokes it from her phone. The key rotates past it.
    await revokeDevice(alice.group.session, linked.identity.deviceId!)
    await until('bob sees the revocation', () => bob.group.gate.authority().rotations.size === 2)
    await until('the laptop sees it too', () => laptop.group.gate.authority().rotations.size === 2)
    const heldByBob: string[] = []
    bob.group.gate.on('held', (e, reason) => {
      if (e.device) heldByBob.push(reason)
    })
    // The laptop's client sends before its own gate judges (as every client does): it goes out.
    await laptop.group.actions.send(general, 'sent by the thief').catch(() => undefined)
    await until('bob refused the thief’s message', () => heldByBob.some((r) => /device revoked/.test(r)))
    await alice.group.actions.send(general, 'after the revocation')
    await until('bob has alice’s', () => bodies(bob, general).includes('after the revocation'))
    await new Promise((r) => setTimeout(r, 1000))
    expect(bodies(bob, general)).not.toContain('sent by the thief')
    expect(bodies(alice, general)).not.toContain('sent by the thief')
    expect(bodies(laptop, general)).not.toContain('after the revocation')
  })
})

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? filesUnder(p) : [p]
  })
}
