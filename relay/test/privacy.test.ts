// After a chat through the real relay — sealed envelopes from core, a signed profile, a compaction
// snapshot — the relay's data directory holds none of the plaintext: no message text, no nickname,
// no group id, no user id. Checked twice: in the raw files, and in every key and value read back
// through LevelDB (which may compress blocks, so a raw grep alone could miss plaintext).
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ClassicLevel } from 'classic-level'
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  Identity,
  MailboxRelayOp,
  decodeEnvelope,
  encodeEnvelope,
  hlcFromWall,
  openSealedEnvelope,
  sealEnvelope,
  signEnvelope,
  signProfile,
} from '@tailmesh/core'
import { MailboxClient, newTopic } from './helpers/mailbox-client'
import { removeDir, spawnRelay, tempDir, type RelayProcess } from './helpers/relay-process'

const dirs: string[] = []
let relay: RelayProcess | undefined
afterAll(async () => {
  await relay?.stop()
  for (const d of dirs) removeDir(d)
})

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n)
    return statSync(p).isDirectory() ? filesUnder(p) : [p]
  })
}

/** Every needle found in the directory's raw files or in its LevelDB keys and values. */
async function plaintextIn(dir: string, needles: string[]): Promise<string[]> {
  const haystacks: Buffer[] = filesUnder(dir).map((f) => readFileSync(f))
  const db = new ClassicLevel<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' })
  for await (const [k, v] of db.iterator()) haystacks.push(Buffer.from(k), Buffer.from(v))
  await db.close()
  return needles.filter((n) => haystacks.some((h) => h.includes(Buffer.from(n, 'utf8'))))
}

describe('privacy at rest', () => {
  it('the scanner finds plaintext when it is there (control)', async () => {
    const dir = tempDir()
    dirs.push(dir)
    const db = new ClassicLevel<string, string>(dir)
    await db.put('k', 'the quick brown fox says Zephyrine')
    await db.close()
    expect(await plaintextIn(dir, ['Zephyrine', 'absent'])).toEqual(['Zephyrine'])
  })

  it('the data directory holds no message text, nickname, group id or user id after a chat', async () => {
    const dataDir = tempDir()
    dirs.push(dataDir)
    relay = await spawnRelay([], { dataDir })
    const groupId = 'grp-lighthouse-keepers-2026'
    const topic = await newTopic(groupId)
    const [alice, bob] = [await Identity.create(), await Identity.create()]
    const nicknames = ['Zephyrine Quillfeather', 'Balthazar Moonwhistle']
    const texts = [
      'Meet me at the old lighthouse at seven',
      'Bring the brass telescope and the blue notebook',
      'The password for the boathouse is marmalade-otter',
      'Ünïcødé and emoji travel too 🦦🌊',
    ]
    const client = await MailboxClient.connect(relay.mailboxUrl)
    const send = async (who: Identity, payload: Uint8Array, first = false) => {
      const envelope = await signEnvelope(who, {
        groupId,
        docId: 'panel-general',
        author: who.userId,
        clients: [],
        hlc: hlcFromWall(Date.now()),
        payload,
      })
      const sealed = await sealEnvelope(topic.groupKey, encodeEnvelope(envelope))
      expect(await client.append(topic, sealed, first)).toMatchObject({ op: MailboxRelayOp.ack })
    }
    // Profiles travel as signed JSON inside envelopes.
    for (const [i, who] of [alice, bob].entries()) {
      const profile = await signProfile(who, {
        nickname: nicknames[i]!,
        status: 'on watch',
        updatedAt: Date.now(),
      })
      await send(who, new TextEncoder().encode(JSON.stringify(profile)), i === 0)
    }
    // Messages travel as Yjs updates of a panel document.
    const doc = new Y.Doc()
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    for (const [i, t] of texts.entries()) {
      doc
        .getMap('messages')
        .set(`m${i}`, { author: (i % 2 ? bob : alice).userId, body: t, nick: nicknames[i % 2] })
      await send(i % 2 ? bob : alice, updates.at(-1)!)
    }
    // A member compacts the first half into an encrypted snapshot.
    const snapshot = await sealEnvelope(topic.groupKey, Y.encodeStateAsUpdate(doc))
    expect(await client.snapshot(topic, 4, snapshot)).toMatchObject({ op: MailboxRelayOp.ack })

    // The chat really went through: a member reads it back and opens it.
    const { snapshot: snap, entries } = await client.readAll(topic.id)
    const restored = new Y.Doc()
    Y.applyUpdate(restored, await openSealedEnvelope(topic.groupKey, snap!.bytes))
    for (const e of entries)
      Y.applyUpdate(restored, decodeEnvelope(await openSealedEnvelope(topic.groupKey, e.entry)).payload)
    expect((restored.getMap('messages').get('m3') as { body: string }).body).toBe(texts[3])
    client.close()

    expect(await relay.stop()).toBe(0)
    const logs = relay.output()
    relay = undefined
    const needles = [
      ...texts,
      ...nicknames,
      groupId,
      alice.userId,
      bob.userId,
      'panel-general',
      'on watch',
      'marmalade',
    ]
    expect(await plaintextIn(dataDir, needles)).toEqual([])
    // Nor do the logs: not even the full topic id.
    expect([...needles, Buffer.from(topic.id).toString('hex')].filter((n) => logs.includes(n))).toEqual([])
  })
})
