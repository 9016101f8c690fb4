// What replicas say to each other inside a sealed frame (the transport sees only ciphertext):
//
//   envelope  one encoded envelope (a live edit)
//   bundle    many encoded envelopes (catch-up answers, mailbox snapshots)
//   summary   per document: how many envelopes this replica holds and a digest of their ids
//   have      the short ids this replica holds in one document: "send me what is not in here"
//   presence  one signed presence statement (presence-wire.ts): ephemeral, for live peers only, never
//             stored and never given to the gate
//   want      files this replica lacks; blob: one chunk of a file (blobs/blob-frames.ts)
//   call      one signed call statement (calls/call-wire.ts): ephemeral like presence
//
// Wire: type varUint, then per type: envelope bytes | count, count × bytes | count, count × (docId
// string, count varUint, digest 8 bytes) | docId string, ids bytes (a multiple of 8) | statement bytes
// (presence, call).
import * as encoding from 'lib0/encoding'
import { WireReader } from '../envelope/wire-reader'
import {
  readBlobChunk,
  readWant,
  writeBlobChunk,
  writeWant,
  type BlobChunkFrame,
  type WantFrame,
} from '../blobs/blob-frames'

export const SHORT_ID_BYTES = 8
const MAX_BUNDLE = 100_000
const MAX_DOCS = 100_000
const MAX_DOC_ID = 128 * 3
const MAX_FRAME_BYTES = 64 * 1024 * 1024
const MAX_PRESENCE_BYTES = 4 * 1024
/** A call statement carries an SDP (calls/call-wire.ts MAX_CALL_BODY) plus its header. */
const MAX_CALL_BYTES = 12 * 1024

export type SyncFrame =
  | { type: 'envelope'; bytes: Uint8Array }
  | { type: 'bundle'; envelopes: Uint8Array[] }
  | { type: 'summary'; docs: DocSummary[] }
  | { type: 'have'; docId: string; ids: Uint8Array }
  | { type: 'presence'; bytes: Uint8Array }
  | { type: 'call'; bytes: Uint8Array }
  | WantFrame
  | BlobChunkFrame

export interface DocSummary {
  docId: string
  count: number
  /** XOR of the short ids: equal sets give equal digests, and one missing id changes it. */
  digest: Uint8Array
}

const TYPES = ['envelope', 'bundle', 'summary', 'have', 'want', 'blob', 'presence', 'call'] as const

export function encodeSyncFrame(frame: SyncFrame): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, TYPES.indexOf(frame.type))
  switch (frame.type) {
    case 'envelope':
    case 'presence':
    case 'call':
      encoding.writeVarUint8Array(e, frame.bytes)
      break
    case 'bundle':
      encoding.writeVarUint(e, frame.envelopes.length)
      for (const b of frame.envelopes) encoding.writeVarUint8Array(e, b)
      break
    case 'summary':
      encoding.writeVarUint(e, frame.docs.length)
      for (const d of frame.docs) {
        encoding.writeVarString(e, d.docId)
        encoding.writeVarUint(e, d.count)
        encoding.writeUint8Array(e, d.digest)
      }
      break
    case 'have':
      encoding.writeVarString(e, frame.docId)
      encoding.writeVarUint8Array(e, frame.ids)
      break
    case 'want':
      writeWant(e, frame)
      break
    case 'blob':
      writeBlobChunk(e, frame)
      break
  }
  return encoding.toUint8Array(e)
}

/** Strict: anything but exactly one well-formed frame is a MalformedError. */
export function decodeSyncFrame(bytes: Uint8Array): SyncFrame {
  const r = new WireReader(bytes, 'sync frame')
  const type = TYPES[r.varUint('type')]
  let frame: SyncFrame
  switch (type) {
    case 'envelope':
      frame = { type, bytes: r.varBytes('envelope', MAX_FRAME_BYTES) }
      break
    case 'bundle': {
      const n = r.varUint('count')
      if (n > MAX_BUNDLE) throw r.fail(`${n} envelopes in one bundle`)
      const envelopes: Uint8Array[] = []
      for (let i = 0; i < n; i++) envelopes.push(r.varBytes(`envelopes[${i}]`, MAX_FRAME_BYTES))
      frame = { type, envelopes }
      break
    }
    case 'summary': {
      const n = r.varUint('count')
      if (n > MAX_DOCS) throw r.fail(`${n} documents in one summary`)
      const docs: DocSummary[] = []
      for (let i = 0; i < n; i++)
        docs.push({
          docId: r.varString(`docs[${i}].docId`, MAX_DOC_ID),
          count: r.varUint(`docs[${i}].count`),
          digest: r.bytes(SHORT_ID_BYTES, `docs[${i}].digest`),
        })
      frame = { type, docs }
      break
    }
    case 'have': {
      const docId = r.varString('docId', MAX_DOC_ID)
      const ids = r.varBytes('ids', MAX_FRAME_BYTES)
      if (ids.length % SHORT_ID_BYTES !== 0) throw r.fail('ids are not whole short ids')
      frame = { type, docId, ids }
      break
    }
    case 'want':
      frame = readWant(r)
      break
    case 'blob':
      frame = readBlobChunk(r)
      break
    case 'presence':
      frame = { type, bytes: r.varBytes('presence', MAX_PRESENCE_BYTES) }
      break
    case 'call':
      frame = { type, bytes: r.varBytes('call', MAX_CALL_BYTES) }
      break
    default:
      throw r.fail('unknown type')
  }
  r.end()
  return frame
}
