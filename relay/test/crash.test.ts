// Durability: several clients append 10k entries in total while the relay is killed with SIGKILL
// halfway; after a restart on the same data directory every acknowledged entry is there, under the
// cursor its ack named. (Acks are sent only after the fsync'd batch holding the entry committed.)
import { afterAll, describe, expect, it } from 'vitest'
import { MailboxRelayOp, appendSigningBytes } from '@tailmesh/core'
import { MailboxClient, newTopic, type TopicKeys } from './helpers/mailbox-client'
import { removeDir, spawnRelay, tempDir, type RelayProcess } from './helpers/relay-process'

const TOTAL = 10_000
const CLIENTS = 8
const TOPICS = 4
const WINDOW = 32 // appends in flight per client

const dataDir = tempDir()
let relay: RelayProcess | undefined
afterAll(async () => {
  await relay?.kill9()
  removeDir(dataDir)
})

describe('kill -9 during appends', () => {
  it('loses no acknowledged entry', async () => {
    relay = await spawnRelay(['--frame-rate', '1000000', '--byte-rate', '1000000000'], { dataDir })
    const topics = await Promise.all(Array.from({ length: TOPICS }, () => newTopic()))
    // Sign everything up front so that the relay, not the test's signing, is what runs during the kill.
    const perClient = TOTAL / CLIENTS
    const work = await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        const topic = topics[c % TOPICS]!
        const items = []
        for (let i = 0; i < perClient; i++) {
          const entry = new TextEncoder().encode(`client ${c} entry ${i} ${'·'.repeat(40)}`)
          items.push({ entry, signature: await topic.sign(appendSigningBytes(topic.id, entry)) })
        }
        return { topic, items }
      }),
    )
    // Register every topic first (the first append must carry the key).
    const setup = await MailboxClient.connect(relay.mailboxUrl)
    for (const t of topics) await setup.append(t, new TextEncoder().encode('register'))
    setup.close()

    const acked = new Map<string, { topic: TopicKeys; cursor: number; entry: string }>()
    let sent = 0
    let killed: Promise<void> | null = null
    const r = relay
    const runClient = async ({ topic, items }: (typeof work)[number]) => {
      const client = await MailboxClient.connect(r.mailboxUrl)
      let next = 0
      const lane = async () => {
        while (next < items.length && killed === null) {
          const { entry, signature } = items[next++]!
          sent++
          let ack
          try {
            ack = await client.request({ op: 1, topic: topic.id, publicKey: null, entry, signature })
          } catch {
            return // the relay died under us
          }
          if (ack.op !== MailboxRelayOp.ack) throw new Error(`append refused: ${JSON.stringify(ack)}`)
          acked.set(`${Buffer.from(topic.id).toString('hex')}:${ack.cursor}`, {
            topic,
            cursor: ack.cursor,
            entry: Buffer.from(entry).toString(),
          })
          if (acked.size >= TOTAL / 2 && killed === null) killed = r.kill9()
        }
      }
      await Promise.all(Array.from({ length: WINDOW }, lane))
      client.close()
    }
    await Promise.all(work.map(runClient))
    await killed
    expect(killed).not.toBeNull()
    expect(r.alive()).toBe(false)
    console.log(`kill -9 after ${acked.size} acks of ${sent} appends sent`)

    relay = await spawnRelay([], { dataDir })
    const reader = await MailboxClient.connect(relay.mailboxUrl)
    let found = 0
    for (const topic of topics) {
      const { entries } = await reader.readAll(topic.id)
      const byCursor = new Map(entries.map((e) => [e.cursor, Buffer.from(e.entry).toString()]))
      for (const a of acked.values()) {
        if (a.topic !== topic) continue
        expect(byCursor.get(a.cursor)).toBe(a.entry)
        found++
      }
    }
    reader.close()
    expect(found).toBe(acked.size)
    expect(found).toBeGreaterThanOrEqual(TOTAL / 2)
  }, 60_000)
})
