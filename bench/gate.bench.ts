// Gate throughput: verify + authorise + apply of 10k messages, against raw Y.applyUpdate of the same
// updates. Both the per-message envelope stream (live chat) and catch-up batches (receiveMany).

import * as Y from 'yjs'
import { createGroup, openGroup } from '../core/src/group/create'
import { Identity } from '../core/src/identity/identity'
import { encodeEnvelope, type Envelope } from '../core/src/envelope/envelope'
import { runBench } from './harness'

const MESSAGES = 10_000

async function workload() {
  const alice = await Identity.create()
  const out: Envelope[] = []
  const g = await createGroup(alice, { name: 'bench' }, { send: (e) => out.push(e) })
  for (let i = 0; i < MESSAGES; i++) await g.actions.send(g.panelIds[0]!, `message ${i}`)
  return { groupId: g.groupId, alice, envelopes: out.map(encodeEnvelope), raw: out }
}

export default async function (): Promise<void> {
  const w = await workload()
  const rate = (ms: number) => (MESSAGES / ms) * 1000
  const timed = async (fn: () => Promise<void> | void) => {
    const t = performance.now()
    await fn()
    return rate(performance.now() - t)
  }
  await runBench({
    title: `Gate throughput, ${MESSAGES.toLocaleString()} messages`,
    unit: 'messages/s',
    better: 'higher',
    runs: 5,
    baseline: {
      name: 'raw Y.applyUpdate',
      run: () =>
        timed(() => {
          const docs = new Map<string, Y.Doc>()
          for (const e of w.raw) {
            let d = docs.get(e.docId)
            if (!d) docs.set(e.docId, (d = new Y.Doc()))
            Y.applyUpdate(d, e.payload)
          }
        }),
    },
    cases: [
      {
        name: 'gate, batches of 500 (catch-up)',
        run: async () => {
          const peer = await openGroup(await Identity.create(), w.groupId)
          return timed(async () => {
            await peer.gate.receive(w.envelopes[0]!)
            for (let i = 1; i < w.envelopes.length; i += 500)
              await peer.gate.receiveMany(w.envelopes.slice(i, i + 500))
          })
        },
      },
      {
        name: 'gate, one envelope at a time (live)',
        run: async () => {
          const peer = await openGroup(await Identity.create(), w.groupId)
          return timed(async () => {
            for (const e of w.envelopes) await peer.gate.receive(e)
          })
        },
      },
    ],
    targets: ['gate ≥ 10,000 messages/s on one core', 'gate ≤ 3× raw apply time (ratio ≥ 0.33×)'],
  })
}
