// verifyAssertion refuses what a site must not believe, each with its own code, and accepts what
// the app signs: the member's own identity key, or a linked device with the certificate core issued
// (so these tests also pin this package's byte layouts to core's).
import { deviceCertToJson, generateSigningKeyPair, Identity, issueDeviceCert, sign } from '@tailmesh/core'
import { describe, expect, it } from 'vitest'
import { fromBase64Url, toBase64Url } from '../src/base64url'
import {
  AssertionError,
  encodeAssertion,
  NonceBook,
  verifyAssertion,
  type SignInClaims,
  type VerifyOptions,
} from '../src/index'

const SITE = 'https://site.example'
const T0 = 1_800_000_000_000

function claimsFor(userId: string, nonce: string, extra: Partial<SignInClaims> = {}): SignInClaims {
  return {
    v: 1,
    sub: userId,
    aud: SITE,
    nonce,
    iat: T0,
    exp: T0 + 5 * 60_000,
    nickname: 'Alice',
    group: { id: 'g1', name: 'Hiring', owner: false, roles: [{ id: 'r1', name: 'Leader' }] },
    ...extra,
  }
}

const options = (nonce: VerifyOptions['nonce'], extra: Partial<VerifyOptions> = {}): VerifyOptions => ({
  audience: SITE,
  nonce,
  now: T0 + 1000,
  ...extra,
})

async function refusal(p: Promise<unknown>): Promise<AssertionError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AssertionError)
  return error as AssertionError
}

async function linkedDevice(user: Identity) {
  const pair = await generateSigningKeyPair()
  const cert = await issueDeviceCert(user, pair.publicKey, new Uint8Array(32).fill(9), T0 - 86_400_000)
  return { pair, cert: deviceCertToJson(cert), signer: (b: Uint8Array) => sign(pair.privateKey, b) }
}

describe('verifyAssertion', () => {
  it("accepts an assertion signed by the member's identity key and returns its claims", async () => {
    const alice = await Identity.create()
    const assertion = await encodeAssertion(claimsFor(alice.userId, 'nonce-0001'), (b) => alice.sign(b))
    const claims = await verifyAssertion(assertion, options('nonce-0001'))
    expect(claims.sub).toBe(alice.userId)
    expect(claims.group.roles.map((r) => r.name)).toEqual(['Leader'])
  })

  it("accepts a linked device's assertion carrying the certificate core issued for it", async () => {
    const alice = await Identity.create()
    const device = await linkedDevice(alice)
    const assertion = await encodeAssertion(
      claimsFor(alice.userId, 'nonce-0002', { cert: device.cert }),
      device.signer,
    )
    expect((await verifyAssertion(assertion, options('nonce-0002'))).cert?.device).toBe(device.cert.device)
  })

  it('refuses a replay: the nonce was consumed by the first sign-in', async () => {
    const alice = await Identity.create()
    const book = new NonceBook({ now: () => T0 })
    const nonce = book.issue()
    const assertion = await encodeAssertion(claimsFor(alice.userId, nonce), (b) => alice.sign(b))
    await verifyAssertion(assertion, options(book.consume))
    expect((await refusal(verifyAssertion(assertion, options(book.consume)))).code).toBe('nonce')
    // and a nonce the site never issued, or another sign-in's
    expect((await refusal(verifyAssertion(assertion, options('other-nonce')))).code).toBe('nonce')
  })

  it('refuses an expired assertion, and one older than maxAgeMs', async () => {
    const alice = await Identity.create()
    const assertion = await encodeAssertion(claimsFor(alice.userId, 'nonce-0003'), (b) => alice.sign(b))
    const late = await refusal(
      verifyAssertion(assertion, options('nonce-0003', { now: T0 + 5 * 60_000 + 1 })),
    )
    expect([late.code, late.message]).toEqual(['expired', 'The assertion has expired.'])
    const old = await refusal(
      verifyAssertion(assertion, options('nonce-0003', { now: T0 + 61_000, maxAgeMs: 60_000 })),
    )
    expect(old.code).toBe('expired')
    const early = await refusal(verifyAssertion(assertion, options('nonce-0003', { now: T0 - 120_000 })))
    expect(early.code).toBe('not-yet-valid')
  })

  it('refuses an assertion made for another site', async () => {
    const alice = await Identity.create()
    const assertion = await encodeAssertion(
      claimsFor(alice.userId, 'nonce-0004', { aud: 'https://evil.example' }),
      (b) => alice.sign(b),
    )
    const e = await refusal(verifyAssertion(assertion, options('nonce-0004')))
    expect([e.code, e.message]).toEqual([
      'audience',
      `The assertion is for https://evil.example, not ${SITE}.`,
    ])
  })

  it('refuses a tampered claim (roles raised after signing)', async () => {
    const alice = await Identity.create()
    const assertion = await encodeAssertion(claimsFor(alice.userId, 'nonce-0005'), (b) => alice.sign(b))
    const [prefix, payload, signature] = assertion.split('.')
    const claims = JSON.parse(new TextDecoder().decode(fromBase64Url(payload!))) as SignInClaims
    claims.group.roles.push({ id: 'admin', name: 'Admin' })
    const forged = `${prefix}.${toBase64Url(new TextEncoder().encode(JSON.stringify(claims)))}.${signature}`
    expect((await refusal(verifyAssertion(forged, options('nonce-0005')))).code).toBe('signature')
  })

  it('refuses a signer that does not lead back to the user id', async () => {
    const alice = await Identity.create()
    const mallory = await Identity.create()
    // Mallory signs with her own key, claiming Alice's id.
    const impersonation = await encodeAssertion(claimsFor(alice.userId, 'nonce-0006'), (b) => mallory.sign(b))
    expect((await refusal(verifyAssertion(impersonation, options('nonce-0006')))).code).toBe('signature')
    // A device Mallory linked to herself, its certificate relabelled as Alice's.
    const device = await linkedDevice(mallory)
    const relabelled = await encodeAssertion(
      claimsFor(alice.userId, 'nonce-0006', { cert: { ...device.cert, user: alice.userId } }),
      device.signer,
    )
    const chain = await refusal(verifyAssertion(relabelled, options('nonce-0006')))
    expect([chain.code, chain.message]).toEqual([
      'chain',
      "The device certificate was not signed by the user's identity key.",
    ])
    // Mallory's genuine device certificate, in an assertion about Alice.
    const foreign = await encodeAssertion(
      claimsFor(alice.userId, 'nonce-0006', { cert: device.cert }),
      device.signer,
    )
    expect((await refusal(verifyAssertion(foreign, options('nonce-0006')))).code).toBe('chain')
    // Alice's real certificate, but the assertion signed by another key.
    const aliceDevice = await linkedDevice(alice)
    const otherKey = await encodeAssertion(
      claimsFor(alice.userId, 'nonce-0006', { cert: aliceDevice.cert }),
      device.signer,
    )
    expect((await refusal(verifyAssertion(otherKey, options('nonce-0006')))).code).toBe('signature')
  })

  it('says clearly when what it got is not an assertion', async () => {
    for (const garbage of [undefined, 42, '', 'tma1.x', 'jwt.a.b', 'tma1.!!!.AAAA', 'x'.repeat(20_000)]) {
      const e = await refusal(verifyAssertion(garbage, options('nonce-0007')))
      expect(e.code).toBe('malformed')
    }
    const alice = await Identity.create()
    const noNickname = { ...claimsFor(alice.userId, 'nonce-0007'), nickname: '' }
    const payload = toBase64Url(new TextEncoder().encode(JSON.stringify(noNickname)))
    const e = await refusal(
      verifyAssertion(`tma1.${payload}.${toBase64Url(new Uint8Array(64))}`, options('n')),
    )
    expect(e.message).toBe("The assertion's nickname is missing or malformed.")
  })
})

describe('NonceBook', () => {
  it('lets each nonce through once and only within its time', () => {
    let now = T0
    const book = new NonceBook({ ttlMs: 1000, now: () => now })
    const a = book.issue()
    const b = book.issue()
    expect(a).not.toBe(b)
    expect([book.consume(a), book.consume(a)]).toEqual([true, false])
    now += 1001
    expect(book.consume(b)).toBe(false)
  })
})
