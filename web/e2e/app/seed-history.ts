// A group with a long history, written from Node: a member ("Seeder", core directly) creates the
// group with a clock set `weeks` weeks back and writes `total` messages into its second panel,
// "history", spread evenly over those weeks, 500 per envelope (one signature each), then an invite.
// The envelopes go to the real relay's mailbox through core's Replica, so a person who joins from
// the link gets every one (bench/panel-100k.bench.ts seeds 100k this way; browser tests fewer).
import { WebSocket } from 'ws'
import {
  HybridClock,
  Identity,
  MailboxTransport,
  MemoryStorage,
  PanelRoot,
  Replica,
  createGroup,
  messageIdFor,
  newId,
  type Envelope,
  type WebSocketConstructor,
} from '@tailmesh/core'
import { encodeInvitePayload, inviteLink } from '../../src/client/invite-link'

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
  const replica = await Replica.start({
    gate: group.gate,
    session: group.session,
    key: group.key,
    storage: new MemoryStorage(),
    transports: [
      new MailboxTransport({
        url: relayUrl.replace(/^http/, 'ws') + 'mailbox',
        WebSocket: WebSocket as unknown as WebSocketConstructor,
      }),
    ],
  })
  // Everything signed before the replica started goes to the mailbox, in order.
  for (const e of envelopes.splice(0)) await replica.deliver(e)
  await replica.close()
  const link = inviteLink(
    relayUrl,
    encodeInvitePayload({ groupId: group.groupId, groupKey: group.key.raw, secret }),
  )
  return { link, seconds: (Date.now() - start) / 1000 }
}
