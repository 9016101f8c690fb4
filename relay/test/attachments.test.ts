// Files between devices through the real relay process: a file up to the mailbox limit reaches a member
// who was offline when it was sent (its chunks wait in the mailbox, sealed), a larger one does not go
// through the mailbox at all and reaches them peer-to-peer (WebRTC) once both are online.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import wrtc from '@roamhq/wrtc'
import {
  BLOB_LIMITS,
  Identity,
  MailboxTransport,
  Replica,
  WebrtcTransport,
  blobHash,
  bytesEqual,
  createGroup,
  listMessages,
  openGroup,
  rememberGroup,
  type GroupKey,
  type OpenGroup,
  type Transport,
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

interface Device {
  identity: Identity
  dir: string
  group: OpenGroup
  replica: Replica
  storage: LevelStorage
}
const devices: Device[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const d of devices.splice(0)) await stop(d)
})
afterAll(() => dirs.forEach(removeDir))

function transports(p2p: boolean): Transport[] {
  const backoff = { minMs: 50, maxMs: 300 }
  const mailbox = new MailboxTransport({ url: relay.mailboxUrl, WebSocket, backoff })
  if (!p2p) return [mailbox]
  return [
    mailbox,
    new WebrtcTransport({ signaling: [relay.signalUrl], iceServers: [], wrtc, WebSocket, backoff }),
  ]
}

async function device(
  groupId: string,
  key: GroupKey,
  options: { identity?: Identity; dir?: string; group?: OpenGroup; p2p?: boolean } = {},
): Promise<Device> {
  const identity = options.identity ?? (await Identity.create())
  const dir = options.dir ?? tempDir('tailmesh-attachments-')
  if (!options.dir) dirs.push(dir)
  const storage = await LevelStorage.open({ path: dir })
  await rememberGroup(storage, groupId, key)
  const group = options.group ?? (await openGroup(identity, groupId))
  const replica = await Replica.start({
    gate: group.gate,
    session: group.session,
    key,
    storage,
    transports: transports(options.p2p ?? false),
    compactAfter: 0,
  })
  const d = { identity, dir, group, replica, storage }
  devices.push(d)
  return d
}

async function stop(d: Device): Promise<void> {
  const i = devices.indexOf(d)
  if (i >= 0) devices.splice(i, 1)
  await d.replica.close()
  await d.storage.close()
}

function bytesOf(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size)
  for (let i = 0; i < size; i++) out[i] = (i * 131 + seed * 7) & 0xff
  return out
}

/** Alice's group and Bob in it, both on the mailbox; Bob then goes offline. */
async function bobOffline() {
  const identity = await Identity.create()
  const created = await createGroup(identity, { name: 'Files' })
  const alice = await device(created.groupId, created.key, { identity, group: created })
  for (const e of [...created.gate.accepted()]) await alice.replica.deliver(e)
  const general = created.panelIds[0]!
  const { secret, inviteId } = await alice.group.actions.createInvite({ maxUses: 5 })
  const bob = await device(created.groupId, created.key)
  await until('bob sees the invite', () => bob.group.gate.authority().invites.has(inviteId))
  await bob.group.actions.join(secret)
  await until('alice sees bob', () => alice.group.gate.authority().members.has(bob.identity.userId))
  await stop(bob)
  return { alice, bob, key: created.key, general }
}

/** Alice publishes the file and sends a message naming it. */
async function sendFile(alice: Device, panel: string, bytes: Uint8Array, name: string) {
  const published = await alice.replica.blobs.publish(bytes)
  await alice.group.actions.send(panel, name, {
    attachments: [{ hash: published.hash, name, mime: 'application/octet-stream', size: bytes.length }],
  })
  await published.uploaded
  await until('the message is acknowledged by the relay', () => alice.replica.pending().length === 0)
  return published
}

describe('attachments through the real relay', () => {
  it('a file sent while a member was offline reaches them from the mailbox, verified', async () => {
    const { alice, bob, key, general } = await bobOffline()
    const file = bytesOf(BLOB_LIMITS.mailboxBytes - 1000, 1) // 16 chunks, each its own mailbox entry
    const published = await sendFile(alice, general, file, 'report.bin')
    expect(published.viaMailbox).toBe(true)
    await stop(alice) // nobody online holds the file now: only the mailbox does

    const back = await device(alice.group.groupId, key, { identity: bob.identity, dir: bob.dir })
    await until('bob has the message', () =>
      listMessages(back.group.gate, general).messages.some((m) => m.body === 'report.bin'),
    )
    const message = listMessages(back.group.gate, general).messages.find((m) => m.body === 'report.bin')
    expect(message?.attachments?.[0]).toMatchObject({ hash: await blobHash(file), size: file.length })
    await until('bob has the file', () => back.replica.blobs.has(published.hash))
    expect(bytesEqual((await back.replica.blobs.get(published.hash))!, file)).toBe(true)
  })

  it('a file over the mailbox limit never enters the mailbox; it reaches the member peer-to-peer', async () => {
    const { alice, bob, key, general } = await bobOffline()
    const big = bytesOf(BLOB_LIMITS.mailboxBytes + 1, 2)
    const small = bytesOf(1000, 3)
    const bigSent = await sendFile(alice, general, big, 'big.bin')
    expect(bigSent.viaMailbox).toBe(false)
    // Sent after the big one: once bob holds it, he has read the mailbox past where the big one would be.
    const smallSent = await sendFile(alice, general, small, 'small.bin')
    const aliceDir = alice.dir
    await stop(alice)

    let back = await device(alice.group.groupId, key, { identity: bob.identity, dir: bob.dir })
    await until('bob has the small file', () => back.replica.blobs.has(smallSent.hash))
    expect(listMessages(back.group.gate, general).messages.map((m) => m.body)).toContain('big.bin')
    expect(await back.replica.blobs.has(bigSent.hash)).toBe(false)
    await back.replica.blobs.want([bigSent.hash])
    expect(back.replica.blobs.isWanted(bigSent.hash)).toBe(true)

    // Both online with WebRTC: bob asks alice when she joins, and keeps what hashes right.
    await stop(back)
    back = await device(alice.group.groupId, key, { identity: bob.identity, dir: bob.dir, p2p: true })
    await back.replica.blobs.want([bigSent.hash])
    await device(alice.group.groupId, key, { identity: alice.identity, dir: aliceDir, p2p: true })
    await until('bob got the big file from alice', () => back.replica.blobs.has(bigSent.hash), 60_000)
    expect(bytesEqual((await back.replica.blobs.get(bigSent.hash))!, big)).toBe(true)
  }, 120_000)
})
