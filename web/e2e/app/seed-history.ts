// A group with a long history, written from Node: a member ("Seeder", core directly) creates the
// group with a clock set `weeks` weeks back and writes `total` messages into its second panel,
// "history", spread evenly over those weeks, 500 per envelope (one signature each), then an invite.
// The envelopes go to the real relay's mailbox through core's Replica (seed-mailbox.ts), so a person
// who joins from the link gets every one (bench/panel-100k.bench.ts seeds 100k this way; browser
// tests fewer).
import {
  HybridClock,
  Identity,
  PanelRoot,
  createGroup,
  messageIdFor,
  newId,
  type Envelope,
} from '@tailmesh/core'
import { publishToMailbox } from './seed-mailbox'

const PER_ENVELOPE = 500
const WEEK_MS = 7 * 24 * 3600 * 1000

export interface SeedOptions {
  total: number
  weeks: number
  /** The body of message i (oldest first). */
  body: (i: number) => string
}

/** Seeds the group into the relay's mailbox; returns the invite link and how long it took. */
export async function seedHistory(
  relayUrl: string,
  { total, weeks, body }: SeedOptions,
): Promise<{ link: string; seconds: number }> {
  const start = Date.now()
  const end = Date.now() - 3600_000
  const begin = end - weeks * WEEK_MS
  let wall = begin - 60_000
  const clock = new HybridClock(() => wall)
  const envelopes: Envelope[] = []
  const identity = await Identity.create()
  const group = await createGroup(
    identity,
    { name: 'Busy group', panels: [{ name: 'general' }, { name: 'history' }] },
    { clock, send: (e) => envelopes.push(e) },
  )
  const history = group.panelIds[1]!
  let batch: { id: string; hlc: number; i: number }[] = []
  let batchDoc = ''
  const flush = async () => {
    if (!batch.length) return
    const items = batch
    batch = []
    await group.session.transact(batchDoc, (doc) => {
      const map = doc.getMap(PanelRoot.messages)
      for (const m of items) map.set(m.id, { author: identity.userId, hlc: m.hlc, body: body(m.i) })
    })
  }
  for (let i = 0; i < total; i++) {
    wall = begin + Math.floor(((end - begin) * i) / total)
    const hlc = clock.now()
    const id = messageIdFor(hlc, newId())
    const docId = group.actions.docOf(history, id)
    if (docId !== batchDoc || batch.length >= PER_ENVELOPE) {
      await flush()
      batchDoc = docId
    }
    batch.push({ id, hlc, i })
  }
  await flush()
  wall = Date.now()
  const { secret } = await group.actions.createInvite()
  // Everything signed before now goes to the mailbox, in order.
  const link = await publishToMailbox(relayUrl, group, envelopes.splice(0), secret)
  return { link, seconds: (Date.now() - start) / 1000 }
}
