import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MailboxClientOp, MailboxRelayOp } from './codes'
import {
  MailboxFrameError,
  decodeMailboxClientFrame,
  decodeMailboxRelayFrame,
  encodeMailboxClientFrame,
  encodeMailboxRelayFrame,
  type MailboxClientFrame,
  type MailboxRelayFrame,
} from './frames'
import { appendSigningBytes, snapshotChunkSigningBytes, snapshotSigningBytes } from './signing'

const bytes = (n: number, fill = 7) => new Uint8Array(n).fill(fill)
const topic = bytes(32, 1)

const clientFrames: MailboxClientFrame[] = [
  {
    op: MailboxClientOp.append,
    id: 1,
    topic,
    publicKey: bytes(32, 2),
    entry: bytes(100),
    signature: bytes(64, 3),
  },
  { op: MailboxClientOp.append, id: 2 ** 40, topic, publicKey: null, entry: bytes(1), signature: bytes(64) },
  { op: MailboxClientOp.read, id: 3, topic, after: 0, limit: 100 },
  { op: MailboxClientOp.read, id: 3, topic, after: Number.MAX_SAFE_INTEGER, limit: 0 },
  { op: MailboxClientOp.subscribe, id: 4, topic },
  { op: MailboxClientOp.unsubscribe, id: 5, topic },
  { op: MailboxClientOp.snapshot, id: 6, topic, upTo: 42, snapshot: bytes(1000), signature: bytes(64) },
  {
    op: MailboxClientOp.snapshotChunk,
    id: 7,
    topic,
    upTo: 42,
    upload: bytes(16, 9),
    index: 2,
    count: 3,
    chunk: bytes(500),
    signature: bytes(64),
  },
  { op: MailboxClientOp.readSnapshot, id: 8, topic, upTo: 42, from: 1 },
]
const relayFrames: MailboxRelayFrame[] = [
  { op: MailboxRelayOp.ack, id: 1, cursor: 9, flags: 1 },
  {
    op: MailboxRelayOp.entries,
    id: 2,
    topic,
    head: 10,
    snapshot: { cursor: 4, bytes: bytes(10) },
    chunked: null,
    entries: [
      { cursor: 5, entry: bytes(3) },
      { cursor: 6, entry: bytes(4) },
    ],
    next: 6,
    more: true,
  },
  {
    op: MailboxRelayOp.entries,
    id: 2,
    topic,
    head: 0,
    snapshot: null,
    chunked: null,
    entries: [],
    next: 0,
    more: false,
  },
  {
    op: MailboxRelayOp.entries,
    id: 3,
    topic,
    head: 90,
    snapshot: null,
    chunked: { cursor: 80, count: 12 },
    entries: [],
    next: 80,
    more: true,
  },
  { op: MailboxRelayOp.chunks, id: 4, topic, cursor: 80, count: 12, from: 3, chunks: [bytes(9), bytes(1)] },
  { op: MailboxRelayOp.push, topic, cursor: 7, entry: bytes(5) },
  { op: MailboxRelayOp.error, id: 8, code: 403, reason: 'topic registered under another key' },
]

describe('mailbox frames', () => {
  it('round-trips every client frame', () => {
    for (const f of clientFrames) expect(decodeMailboxClientFrame(encodeMailboxClientFrame(f))).toEqual(f)
  })

  it('round-trips every relay frame', () => {
    for (const f of relayFrames) expect(decodeMailboxRelayFrame(encodeMailboxRelayFrame(f))).toEqual(f)
  })

  it('refuses truncated frames and trailing bytes, keeping the request id when it got that far', () => {
    const full = encodeMailboxClientFrame(clientFrames[0]!)
    for (let cut = 0; cut < full.length; cut++)
      expect(() => decodeMailboxClientFrame(full.subarray(0, cut))).toThrow(MailboxFrameError)
    const longer = new Uint8Array(full.length + 1)
    longer.set(full)
    try {
      decodeMailboxClientFrame(longer)
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(MailboxFrameError)
      expect((e as MailboxFrameError).id).toBe(1)
    }
  })

  it('refuses wrong field lengths and unknown ops', () => {
    const short = { ...clientFrames[0]!, topic: bytes(31) } as MailboxClientFrame
    expect(() => decodeMailboxClientFrame(encodeMailboxClientFrame(short))).toThrow(/topic must be 32/)
    const badKey = { ...clientFrames[0]!, publicKey: bytes(5) } as MailboxClientFrame
    expect(() => decodeMailboxClientFrame(encodeMailboxClientFrame(badKey))).toThrow(/publicKey/)
    expect(() => decodeMailboxClientFrame(new Uint8Array([99, 1]))).toThrow(/unknown op/)
    expect(() => decodeMailboxRelayFrame(new Uint8Array([1]))).toThrow(/unknown op/)
    const chunk = clientFrames.find((f) => f.op === MailboxClientOp.snapshotChunk)!
    for (const [change, error] of [
      [{ index: 3 }, /index 3 is not below count 3/],
      [{ index: 0, count: 0 }, /count must be/],
      [{ upload: bytes(15) }, /upload must be 16/],
      [{ chunk: bytes(0) }, /chunk must not be empty/],
    ] as const)
      expect(() => decodeMailboxClientFrame(encodeMailboxClientFrame({ ...chunk, ...change }))).toThrow(error)
  })

  it('only ever throws MailboxFrameError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        for (const decode of [decodeMailboxClientFrame, decodeMailboxRelayFrame]) {
          try {
            decode(b)
          } catch (e) {
            if (!(e instanceof MailboxFrameError)) throw e
          }
        }
      }),
      { numRuns: 2000, seed: 42 },
    )
  })

  it('signs distinct, labelled bytes for appends and snapshots', () => {
    const a = appendSigningBytes(topic, bytes(4))
    const s = snapshotSigningBytes(topic, 4, bytes(4))
    expect(new TextDecoder().decode(a.subarray(0, 26))).toBe('tailmesh/mailbox/append/v1')
    expect(s.length).toBe('tailmesh/mailbox/snapshot/v1'.length + 32 + 8 + 4)
    expect(s[28 + 32 + 7]).toBe(4)
    const signed = { topic, upTo: 4, upload: bytes(16, 5), index: 1, count: 2, chunk: bytes(4) }
    const c = snapshotChunkSigningBytes(signed)
    expect(new TextDecoder().decode(c.subarray(0, 34))).toBe('tailmesh/mailbox/snapshot-chunk/v1')
    expect(c.length).toBe(34 + 32 + 8 + 16 + 4 + 4 + 4)
    // The same chunk at another index or in another upload is signed differently.
    expect(snapshotChunkSigningBytes({ ...signed, index: 0 })).not.toEqual(c)
    expect(snapshotChunkSigningBytes({ ...signed, upload: bytes(16, 6) })).not.toEqual(c)
  })
})
