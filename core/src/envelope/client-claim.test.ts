import { describe, expect, it } from 'vitest'
import { makeClientClaim, verifyClientClaim } from './client-claim'
import { Identity } from '../identity/identity'

describe('client claim', () => {
  it('gives an unsigned 32-bit clientID that verifies for its author and group', async () => {
    const me = await Identity.create()
    for (let i = 0; i < 20; i++) {
      const claim = await makeClientClaim(me, 'g1')
      expect(Number.isInteger(claim.clientId)).toBe(true)
      expect(claim.clientId).toBeGreaterThanOrEqual(0)
      expect(claim.clientId).toBeLessThanOrEqual(0xffffffff)
      expect(claim.nonce.length).toBe(8)
      expect(claim.proof.length).toBe(64)
      expect(await verifyClientClaim(me.userId, 'g1', claim)).toBe(true)
      // Twice: the second answer comes from the cache and must agree.
      expect(await verifyClientClaim(me.userId, 'g1', claim)).toBe(true)
    }
  })

  it('fails for another author, another group, or any changed part', async () => {
    const me = await Identity.create()
    const mallory = await Identity.create()
    const claim = await makeClientClaim(me, 'g1')
    await verifyClientClaim(me.userId, 'g1', claim) // warm the cache: it must not leak to other inputs
    expect(await verifyClientClaim(mallory.userId, 'g1', claim)).toBe(false)
    expect(await verifyClientClaim(me.userId, 'g2', claim)).toBe(false)
    expect(await verifyClientClaim(me.userId, 'g1', { ...claim, clientId: (claim.clientId + 1) >>> 0 })).toBe(
      false,
    )
    const nonce = claim.nonce.slice()
    nonce[0] = (nonce[0] ?? 0) ^ 1
    expect(await verifyClientClaim(me.userId, 'g1', { ...claim, nonce })).toBe(false)
    const proof = claim.proof.slice()
    proof[10] = (proof[10] ?? 0) ^ 1
    expect(await verifyClientClaim(me.userId, 'g1', { ...claim, proof })).toBe(false)
  })

  it('a copied clientID cannot be re-claimed by another author with their own proof', async () => {
    const me = await Identity.create()
    const mallory = await Identity.create()
    const mine = await makeClientClaim(me, 'g1')
    const theirs = await makeClientClaim(mallory, 'g1')
    expect(await verifyClientClaim(mallory.userId, 'g1', { ...theirs, clientId: mine.clientId })).toBe(false)
  })

  it('never throws on garbage', async () => {
    const me = await Identity.create()
    // @ts-expect-error: untyped input from the network
    expect(await verifyClientClaim(me.userId, 'g1', { clientId: -1, nonce: 'x', proof: null })).toBe(false)
    // @ts-expect-error: untyped input from the network
    expect(await verifyClientClaim(me.userId, 'g1', null)).toBe(false)
    expect(await verifyClientClaim('nope', 'g1', await makeClientClaim(me, 'g1'))).toBe(false)
  })
})
