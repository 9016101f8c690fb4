// Files between replicas over a real BroadcastChannel (in-process): pushed to connected peers up to the
// mailbox limit, asked for above it, and kept only when the bytes hash to their address. The relay
// paths (mailbox for offline members, the limit) are in relay/test/attachments.test.ts.
import { afterEach, describe, expect, it } from 'vitest'
import { groupOf, join, person, type Person } from '../../test/peers'
import { sealEnvelope } from '../envelope/seal'
import type { GroupKey } from '../keys/group-key'
import { deriveTopic } from '../keys/topic'
import { MemoryStorage } from '../storage/memory'
import { encodeSyncFrame } from '../sync/frames'
import { Replica } from '../sync/replica'
import { BroadcastChannelTransport } from '../sync/transports/broadcast-channel'
import { bytesEqual } from '../bytes'
import { blobHash } from './blob-hash'
import { BlobStore } from './blob-store'
import { BlobTooLargeError } from './transfer'
import { BLOB_LIMITS } from './limits'
import { until } from '../../test/until'

const started: Replica[] = []
afterEach(async () => {
  for (const r of started.splice(0)) await r.close()
})

let run = 0
const namespace = () => `blobs-test-${run++}-${Date.now()}`

async function connect(
  p: Person,
  key: GroupKey,
  ns: string,
  storage = new MemoryStorage(),
): Promise<Replica> {
  const replica = await Replica.start({
    gate: p.gate,
    session: p.session,
    key,
    storage,
    transports: [new BroadcastChannelTransport({ namespace: ns })],
  })
  started.push(replica)
  return replica
}

function bytesOf(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size)
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed) & 0xff
  return out
}

async function pair() {
  const ns = namespace()
  const { owner: alice, key, general } = await groupOf()
  const bob = await person('bob', alice.groupId)
  await join(alice, bob)
  return { ns, alice, bob, key, general }
}

describe('blob transfer between replicas', () => {
  it('a file under the mailbox limit reaches a connected peer in chunks, byte for byte', async () => {
    const { ns, alice, bob, key } = await pair()
    const a = await connect(alice, key, ns)
    const b = await connect(bob, key, ns)
    await until('the peers see each other', () => a.online() && b.online())
    const file = bytesOf(3 * BLOB_LIMITS.chunkBytes + 17, 1)
    const published = await a.blobs.publish(file)
    expect(published).toMatchObject({ hash: await blobHash(file), size: file.length, viaMailbox: true })
    await until('bob holds the file', () => b.blobs.has(published.hash))
    expect(bytesEqual((await b.blobs.get(published.hash))!, file)).toBe(true)
  })

  it('a file over the mailbox limit is not pushed, but a peer that asks for it gets it', async () => {
    const { ns, alice, bob, key } = await pair()
    const a = await connect(alice, key, ns)
    const b = await connect(bob, key, ns)
    await until('the peers see each other', () => a.online() && b.online())
    const file = bytesOf(BLOB_LIMITS.mailboxBytes + 1, 2)
    const { hash, viaMailbox } = await a.blobs.publish(file)
    expect(viaMailbox).toBe(false)
    await new Promise((r) => setTimeout(r, 300))
    expect(await b.blobs.has(hash)).toBe(false)
    await b.blobs.want([hash])
    await until('bob got it on request', () => b.blobs.has(hash))
    expect(bytesEqual((await b.blobs.get(hash))!, file)).toBe(true)
  })

  it('refuses files over the hard cap', async () => {
    const { ns, alice, key } = await pair()
    const a = await connect(alice, key, ns)
    await expect(a.blobs.publish(new Uint8Array(BLOB_LIMITS.maxBytes + 1))).rejects.toBeInstanceOf(
      BlobTooLargeError,
    )
  })

  it('a tampered chunk is refused: the file is not kept, and it comes whole from an honest peer later', async () => {
    const { ns, alice, bob, key } = await pair()
    const file = bytesOf(2 * BLOB_LIMITS.chunkBytes + 5, 3)
    const aliceStorage = new MemoryStorage()
    const hash = await new BlobStore(aliceStorage, alice.groupId).put(file)

    const b = await connect(bob, key, ns)
    const refused: string[] = []
    b.blobs.on('refused', (h) => refused.push(h))
    // The message names the size: chunks claiming another size cannot take the file's place.
    await b.blobs.want([hash], { [hash]: file.length })

    // Someone holding the group key sends the right address with another size, then with one chunk changed.
    const eve = await new BroadcastChannelTransport({ namespace: ns }).open(
      { topic: await deriveTopic(alice.groupId, key), secret: new Uint8Array(32) },
      { frame: () => undefined },
    )
    const wrongSize = file.length + BLOB_LIMITS.chunkBytes
    const bogus = {
      type: 'blob' as const,
      hash,
      size: wrongSize,
      offset: 0,
      bytes: file.slice(0, BLOB_LIMITS.chunkBytes),
    }
    await eve.broadcast(await sealEnvelope(key, encodeSyncFrame(bogus)))
    for (let offset = 0; offset < file.length; offset += BLOB_LIMITS.chunkBytes) {
      const bytes = file.slice(offset, offset + BLOB_LIMITS.chunkBytes)
      if (offset === BLOB_LIMITS.chunkBytes) bytes[10]! ^= 0xff
      const frame = encodeSyncFrame({ type: 'blob', hash, size: file.length, offset, bytes })
      await eve.broadcast(await sealEnvelope(key, frame))
    }
    await until('bob refused the tampered file', () => refused.includes(hash))
    expect(await b.blobs.has(hash)).toBe(false)
    expect(b.blobs.isWanted(hash)).toBe(true)
    await eve.close()

    // Alice, who holds the real file, comes online: bob asks her and keeps what she sends.
    await connect(alice, key, ns, aliceStorage)
    await until('bob got the real file from alice', () => b.blobs.has(hash))
    expect(bytesEqual((await b.blobs.get(hash))!, file)).toBe(true)
  })
})
