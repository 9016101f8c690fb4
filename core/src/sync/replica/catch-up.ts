// Peers catching each other up: what one replica says to a peer it has just met, and what it answers.
// Pure functions over the gate and a send callback (no state of their own):
//
//   greet          summary: per document, how many envelopes this replica holds and an XOR digest
//                  of their short ids
//   answerSummary  for every document whose count or digest differs, "have" (every short id held
//                  here); documents the peer does not know at all go whole, in bundles
//   sendMissing    answering "have": the envelopes the peer's list lacks, in bundles
//
// Held-aside envelopes count as held: a peer may hold what makes them valid.
import { toBase64Url } from '../../bytes'
import { encodeEnvelope, type Envelope } from '../../envelope/envelope'
import { GROUP_DOC_ID } from '../../group/documents'
import type { Gate } from '../../gate/gate'
import { SHORT_ID_BYTES, type DocSummary, type SyncFrame } from '../frames'

/** Sends one frame to the peer being caught up. */
export type SendFrame = (frame: SyncFrame) => Promise<void>

/** Envelopes per bundle frame: a few hundred keep a frame well under transports' limits. */
const BUNDLE_SIZE = 200

interface DocHoldings {
  ids: Uint8Array[]
  byShortId: Map<string, Envelope>
}

/** What this replica holds, per document. */
function holdings(gate: Gate): Map<string, DocHoldings> {
  const docs = new Map<string, DocHoldings>()
  const add = (e: Envelope) => {
    let d = docs.get(e.docId)
    if (!d) docs.set(e.docId, (d = { ids: [], byShortId: new Map() }))
    const short = e.signature.subarray(0, SHORT_ID_BYTES)
    d.ids.push(short)
    d.byShortId.set(toBase64Url(short), e)
  }
  for (const e of gate.accepted()) add(e)
  for (const { envelope } of gate.deferred()) add(envelope)
  return docs
}

export async function greet(gate: Gate, send: SendFrame): Promise<void> {
  const docs: DocSummary[] = [...holdings(gate)].map(([docId, d]) => ({
    docId,
    count: d.ids.length,
    digest: xorDigest(d.ids),
  }))
  await send({ type: 'summary', docs })
}

/** Answers a peer's summary; resolves with the envelopes sent whole. */
export async function answerSummary(gate: Gate, theirs: DocSummary[], send: SendFrame): Promise<Envelope[]> {
  const ours = holdings(gate)
  const theirDocs = new Set(theirs.map((d) => d.docId))
  for (const d of theirs) {
    const mine = ours.get(d.docId)
    const digest = mine ? xorDigest(mine.ids) : new Uint8Array(SHORT_ID_BYTES)
    if (mine && mine.ids.length === d.count && equalBytes(digest, d.digest)) continue
    await send({ type: 'have', docId: d.docId, ids: concat(mine?.ids ?? []) })
  }
  const unknownToThem = [...ours]
    .filter(([docId]) => !theirDocs.has(docId))
    .flatMap(([, d]) => [...d.byShortId.values()])
  await sendBundles(unknownToThem, send)
  return unknownToThem
}

/** Answers a peer's "have" for one document; resolves with the envelopes sent. */
export async function sendMissing(
  gate: Gate,
  docId: string,
  theirIds: Uint8Array,
  send: SendFrame,
): Promise<Envelope[]> {
  const mine = holdings(gate).get(docId)
  if (!mine) return []
  const theirs = new Set<string>()
  for (let i = 0; i < theirIds.length; i += SHORT_ID_BYTES)
    theirs.add(toBase64Url(theirIds.subarray(i, i + SHORT_ID_BYTES)))
  const missing = [...mine.byShortId].filter(([short]) => !theirs.has(short)).map(([, e]) => e)
  await sendBundles(missing, send)
  return missing
}

async function sendBundles(envelopes: Envelope[], send: SendFrame): Promise<void> {
  // Authority first, then in timeline order: the receiver's gate defers less.
  const ordered = [...envelopes].sort(
    (a, b) => (a.docId === GROUP_DOC_ID ? 0 : 1) - (b.docId === GROUP_DOC_ID ? 0 : 1) || a.hlc - b.hlc,
  )
  for (let i = 0; i < ordered.length; i += BUNDLE_SIZE)
    await send({ type: 'bundle', envelopes: ordered.slice(i, i + BUNDLE_SIZE).map(encodeEnvelope) })
}

function xorDigest(ids: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(SHORT_ID_BYTES)
  for (const id of ids) for (let i = 0; i < SHORT_ID_BYTES; i++) out[i]! ^= id[i]!
  return out
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.length * SHORT_ID_BYTES)
  parts.forEach((p, i) => out.set(p, i * SHORT_ID_BYTES))
  return out
}
