// Gate throughput: verify + authorise + apply of 10k messages, against raw Y.applyUpdate of the same
// messages. Two streams of the same 10k messages: live chat (every send awaited: one message, one
// signature per envelope) and bursts (10 sends at once: the session merges them into one envelope,
// as it does for any edits made while the previous envelope is being signed).

import * as Y from 'yjs'
import { createGroup, openGroup } from '../core/src/group/create'
import { Identity } from '../core/src/identity/identity'
import { encodeEnvelope, type Envelope } from '../core/src/envelope/envelope'
import { runBench } from './harness'

const MESSAGES = 10_000
const BURST = 10

async function workload(burst: number) {
  const alice = await Identity.create()
  const out: Envelope[] = []
  const g = await createGroup(alice, { name: 'bench' }, { send: (e) => out.push(e) })
  const panel = g.panelIds[0]!
  for (let i = 0; i < MESSAGES; i += burst)
    await Promise.all(Array.from({ length: burst }, (_, j) => g.actions.send(panel, `message ${i + j}`)))
  return { groupId: g.groupId, envelopes: out.map(encodeEnvelope), raw: out }
}

type Workload = Awaited<ReturnType<typeof workload>>

const rate = (ms: number) => (MESSAGES / ms) * 1000
async function timed(fn: () => Promise<void> | void): Promise<number> {
  const t = performance.now()
  await fn()
  return rate(performance.now() - t)
}

function rawApply(w: Workload): Promise<number> {
  return timed(() => {
    const docs = new Map<string, Y.Doc>()
    for (const e of w.raw) {
      let d = docs.get(e.docId)
      if (!d) docs.set(e.docId, (d = new Y.Doc()))
      Y.applyUpdate(d, e.payload)
    }
  })
}

/** A fresh peer takes the stream in catch-up batches of 500 envelopes, or one envelope at a time. */
async function gate(w: Workload, batch: number): Promise<number> {
  const peer = await openGroup(await Identity.create(), w.groupId)
  return timed(async () => {
    await peer.gate.receive(w.envelopes[0]!)
    for (let i = 1; i < w.envelopes.length; i += batch) {
      if (batch === 1) await peer.gate.receive(w.envelopes[i]!)
      else await peer.gate.receiveMany(w.envelopes.slice(i, i + batch))
    }
  })
}

export default async function (): Promise<void> {
  const live = await workload(1)
  const bursts = await workload(BURST)
  await runBench({
    title: `Gate throughput, ${MESSAGES.toLocaleString()} messages (live: ${live.raw.length} envelopes; bursts: ${bursts.raw.length} envelopes)`,
    unit: 'messages/s',
    better: 'higher',
    runs: 5,
    baseline: { name: 'raw Y.applyUpdate, one update per message', run: () => rawApply(live) },
    cases: [
      { name: `raw Y.applyUpdate, bursts of ${BURST} merged`, run: () => rawApply(bursts) },
      { name: 'gate, live, one envelope at a time', run: () => gate(live, 1) },
      { name: 'gate, live, catch-up batches of 500', run: () => gate(live, 500) },
      { name: `gate, bursts of ${BURST}, one envelope at a time`, run: () => gate(bursts, 1) },
      { name: `gate, bursts of ${BURST}, catch-up batches of 500`, run: () => gate(bursts, 500) },
    ],
    targets: ['gate ≥ 10,000 messages/s on one core', 'gate ≤ 3× raw apply time (ratio ≥ 0.33×)'],
  })
}
