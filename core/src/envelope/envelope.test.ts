import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  decodeEnvelope,
  encodeEnvelope,
  ENVELOPE_LIMITS,
  envelopeId,
  signEnvelope,
  verifyEnvelopeSignature,
  type Envelope,
  type UnsignedEnvelope,
} from './envelope'
import { makeClientClaim } from './client-claim'
import { hlcFromWall } from './hlc'
import { Identity } from '../identity/identity'
import { utf8 } from '../bytes'
import { publicKeyOf } from '../identity/user-id'
import { MalformedError, ValidationError } from '../errors'
import * as encoding from 'lib0/encoding'

async function fixture() {
  const alice = await Identity.create()
  const bob = await Identity.create()
  const unsigned: UnsignedEnvelope = {
    groupId: 'group-1',
    docId: 'panel/general/2026-11',
    author: alice.userId,
    clients: [await makeClientClaim(alice, 'group-1'), await makeClientClaim(alice, 'group-1')],
    hlc: hlcFromWall(Date.UTC(2026, 10, 24)) + 7,
    payload: utf8('a yjs update'),
    stream: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8),
    seq: 3,
  }
  const signed = await signEnvelope(alice, unsigned)
  return { alice, bob, unsigned, signed }
}

const flip = (b: Uint8Array, at = 0): Uint8Array => {
  const c = b.slice()
  c[at] = (c[at] ?? 0) ^ 1
  return c
}

describe('envelope signature', () => {
  it('round-trips through the wire format and verifies', async () => {
    const { signed } = await fixture()
    expect(signed.version).toBe(3)
    expect(signed.seq).toBe(3)
    expect(signed.signature.length).toBe(64)
    expect(await verifyEnvelopeSignature(signed)).toBe(true)
    const decoded = decodeEnvelope(encodeEnvelope(signed))
    expect(decoded).toEqual(signed)
    expect(await verifyEnvelopeSignature(decoded)).toBe(true)
    expect(envelopeId(decoded)).toBe(envelopeId(signed))
  })

  it('signing the same envelope twice gives the same id (a replay is recognisable)', async () => {
    const { alice, unsigned, signed } = await fixture()
    expect(envelopeId(await signEnvelope(alice, unsigned))).toBe(envelopeId(signed))
  })

  it('tampering with any field breaks verification', async () => {
    const { bob, signed } = await fixture()
    const [c0, c1] = signed.clients
    if (c0 === undefined || c1 === undefined) throw new Error('fixture')
    const tampered: Envelope[] = [
      { ...signed, groupId: 'group-2' },
      { ...signed, docId: 'panel/general/2026-12' },
      { ...signed, author: bob.userId },
      { ...signed, clients: [c0] },
      { ...signed, clients: [c1, c0] },
      { ...signed, clients: [c0, c1, c0] },
      { ...signed, clients: [{ ...c0, clientId: (c0.clientId ^ 1) >>> 0 }, c1] },
      { ...signed, clients: [{ ...c0, nonce: flip(c0.nonce) }, c1] },
      { ...signed, clients: [{ ...c0, proof: flip(c0.proof) }, c1] },
      { ...signed, hlc: signed.hlc + 1 },
      { ...signed, payload: flip(signed.payload, 3) },
      { ...signed, payload: utf8('a yjs update!') },
      { ...signed, signature: flip(signed.signature, 40) },
      { ...signed, version: 4 as 3 },
      { ...signed, seq: 4 },
      { ...signed, stream: flip(signed.stream!) },
      { ...signed, seen: [{ user: bob.userId, streams: [] }] },
    ]
    for (const t of tampered) expect(await verifyEnvelopeSignature(t)).toBe(false)
  })

  it('a member cannot sign as someone else', async () => {
    const { bob, unsigned } = await fixture()
    await expect(signEnvelope(bob, unsigned)).rejects.toBeInstanceOf(ValidationError)
  })

  it('the signature is domain-separated: a raw signature over the body does not verify', async () => {
    const { alice, signed } = await fixture()
    const body = encodeEnvelope(signed).subarray(0, -64)
    const forged = { ...signed, signature: await alice.sign(body) }
    expect(await verifyEnvelopeSignature(forged)).toBe(false)
  })

  it('refuses to sign or encode an envelope outside the limits', async () => {
    const { alice, unsigned, signed } = await fixture()
    const big = new Uint8Array(ENVELOPE_LIMITS.maxPayloadBytes + 1)
    await expect(signEnvelope(alice, { ...unsigned, payload: big })).rejects.toBeInstanceOf(ValidationError)
    expect(() => encodeEnvelope({ ...signed, groupId: 'g'.repeat(65) })).toThrow(ValidationError)
    expect(() => encodeEnvelope({ ...signed, docId: '' })).toThrow(ValidationError)
    expect(() => encodeEnvelope({ ...signed, hlc: -1 })).toThrow(ValidationError)
    expect(() => encodeEnvelope({ ...signed, clients: Array(17).fill(signed.clients[0]) })).toThrow(
      ValidationError,
    )
    expect(() => encodeEnvelope({ ...signed, signature: new Uint8Array(63) })).toThrow(ValidationError)
  })
})

describe('numbered envelopes (versions 3 and 4, ADR 0009)', () => {
  it('carries what a sanction had seen, signed, and round-trips it', async () => {
    const { alice, bob, unsigned } = await fixture()
    const seen = [
      {
        user: bob.userId,
        streams: [
          {
            key: Uint8Array.from({ length: 32 }, (_, i) => i),
            stream: Uint8Array.of(9, 9, 9, 9, 9, 9, 9, 9),
            seq: 41,
          },
        ],
      },
    ]
    const signed = await signEnvelope(alice, { ...unsigned, docId: 'g', seen })
    const decoded = decodeEnvelope(encodeEnvelope(signed))
    expect(decoded.seen).toEqual(seen)
    expect(await verifyEnvelopeSignature(decoded)).toBe(true)
    const understated = { ...signed, seen: [{ ...seen[0]!, streams: [{ ...seen[0]!.streams[0]!, seq: 1 }] }] }
    expect(await verifyEnvelopeSignature(understated)).toBe(false)
  })

  it('gives a one-off envelope a stream of its own, numbered 1', async () => {
    const { alice, unsigned } = await fixture()
    const { stream: _s, seq: _q, ...bare } = unsigned
    const a = await signEnvelope(alice, bare)
    const b = await signEnvelope(alice, bare)
    expect(a.seq).toBe(1)
    expect(a.stream).toHaveLength(8)
    expect(a.stream).not.toEqual(b.stream)
  })

  it('still decodes and verifies a legacy version 1 envelope (never signs one)', async () => {
    const { alice, unsigned } = await fixture()
    const { stream: _s, seq: _q, ...bare } = unsigned
    const enc = encoding.createEncoder()
    encoding.writeVarUint(enc, 1)
    encoding.writeVarString(enc, bare.groupId)
    encoding.writeVarString(enc, bare.docId)
    encoding.writeUint8Array(enc, publicKeyOf(bare.author))
    encoding.writeVarUint(enc, bare.clients.length)
    for (const c of bare.clients) {
      encoding.writeVarUint(enc, c.clientId)
      encoding.writeUint8Array(enc, c.nonce)
      encoding.writeUint8Array(enc, c.proof)
    }
    encoding.writeVarUint(enc, bare.hlc)
    encoding.writeVarUint8Array(enc, bare.payload)
    const body = encoding.toUint8Array(enc)
    const domain = encoding.createEncoder()
    encoding.writeVarString(domain, 'tailmesh/envelope/v1')
    const signature = await alice.sign(new Uint8Array([...encoding.toUint8Array(domain), ...body]))
    const legacy = decodeEnvelope(new Uint8Array([...body, ...signature]))
    expect(legacy.version).toBe(1)
    expect(legacy.stream).toBeUndefined()
    expect(await verifyEnvelopeSignature(legacy)).toBe(true)
  })

  it('refuses seq 0 and a seen list over its limit', async () => {
    const { alice, unsigned } = await fixture()
    await expect(signEnvelope(alice, { ...unsigned, seq: 0 })).rejects.toThrow(/seq is not a positive/)
    const many = Array.from({ length: ENVELOPE_LIMITS.maxSeenUsers + 1 }, () => ({
      user: alice.userId,
      streams: [],
    }))
    await expect(signEnvelope(alice, { ...unsigned, seen: many })).rejects.toThrow(/seen lists more than/)
  })
})

describe('decodeEnvelope', () => {
  const malformed = (bytes: Uint8Array, reason: RegExp) => {
    expect(() => decodeEnvelope(bytes)).toThrow(MalformedError)
    expect(() => decodeEnvelope(bytes)).toThrow(reason)
  }

  it('names the reason for empty, wrong-version, truncated and trailing input', async () => {
    const { signed } = await fixture()
    const bytes = encodeEnvelope(signed)
    malformed(new Uint8Array(0), /empty/)
    malformed(Uint8Array.of(5), /unsupported version 5/)
    malformed(bytes.subarray(0, bytes.length - 1), /truncated in signature/)
    malformed(bytes.subarray(0, 5), /truncated/)
    malformed(Uint8Array.of(...bytes, 0), /1 trailing bytes/)
  })

  it('refuses an oversize payload before reading it', async () => {
    const { signed } = await fixture()
    // Hand-encode: the encoder itself refuses oversize payloads.
    const e = encoding.createEncoder()
    const head = encodeEnvelope({ ...signed, payload: new Uint8Array(0) })
    const payloadAt = head.length - 64 - 1
    encoding.writeUint8Array(e, head.subarray(0, payloadAt))
    encoding.writeVarUint8Array(e, new Uint8Array(ENVELOPE_LIMITS.maxPayloadBytes + 1))
    encoding.writeUint8Array(e, signed.signature)
    malformed(encoding.toUint8Array(e), /payload is 262145 bytes, over the 262144-byte limit/)
    // A length prefix alone announcing a huge payload is refused the same way.
    const lie = encoding.createEncoder()
    encoding.writeUint8Array(lie, head.subarray(0, payloadAt))
    encoding.writeVarUint(lie, 2 ** 40)
    malformed(encoding.toUint8Array(lie), /over the 262144-byte limit/)
  })

  it('refuses too many clients, long ids and invalid UTF-8', async () => {
    const e = encoding.createEncoder()
    encoding.writeVarUint(e, 1)
    encoding.writeVarString(e, 'g')
    encoding.writeVarString(e, 'd')
    encoding.writeUint8Array(e, new Uint8Array(32))
    encoding.writeVarUint(e, 17)
    malformed(encoding.toUint8Array(e), /17 clients, over the limit of 16/)

    const long = encoding.createEncoder()
    encoding.writeVarUint(long, 1)
    encoding.writeVarString(long, 'g'.repeat(65))
    malformed(encoding.toUint8Array(long), /groupId is longer than 64/)

    malformed(Uint8Array.of(1, 2, 0xc3, 0x28), /groupId is not valid UTF-8/)
  })

  const onlyMalformed = (bytes: Uint8Array) => {
    try {
      decodeEnvelope(bytes)
    } catch (err) {
      if (!(err instanceof MalformedError)) throw err
    }
  }

  it('only ever throws MalformedError on random bytes (fuzz)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), onlyMalformed), { numRuns: 1000 })
    // Random bytes behind a valid version byte get further into the decoder.
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (tail) => onlyMalformed(Uint8Array.of(1, ...tail))),
      { numRuns: 1000 },
    )
  })

  it('only ever throws MalformedError on truncated or mutated valid envelopes (fuzz)', async () => {
    const { signed } = await fixture()
    const bytes = encodeEnvelope(signed)
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), (n) => {
        expect(() => decodeEnvelope(bytes.subarray(0, n))).toThrow(MalformedError)
      }),
      { numRuns: 500 },
    )
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        (edits) => {
          const m = bytes.slice()
          for (const [at, v] of edits) m[at] = v
          onlyMalformed(m)
        },
      ),
      { numRuns: 1000 },
    )
  })
})
