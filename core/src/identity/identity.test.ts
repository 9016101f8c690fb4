import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { Identity } from './identity'
import { bytesEqual, toBase64Url, utf8 } from '../bytes'
import { verify } from '../crypto/ed25519'
import { publicKeyOf } from './user-id'

describe('Identity', () => {
  it('has a stable user id derived from its public key, across a seed round trip', async () => {
    const a = await Identity.create()
    expect(a.userId).toBe(toBase64Url(a.publicKey))
    expect(bytesEqual(publicKeyOf(a.userId), a.publicKey)).toBe(true)
    const b = await Identity.fromSeed(await a.exportSeed())
    expect(b.userId).toBe(a.userId)
    const sig = await b.sign(utf8('m'))
    expect(await verify(a.publicKey, sig, utf8('m'))).toBe(true)
  })

  it('two identities differ', async () => {
    expect((await Identity.create()).userId).not.toBe((await Identity.create()).userId)
  })

  it('never prints its private key', async () => {
    const a = await Identity.create()
    const seed = toBase64Url(await a.exportSeed())
    expect(JSON.stringify(a)).toBe(JSON.stringify({ userId: a.userId }))
    const shown = inspect(a, { depth: 10, showHidden: true })
    expect(shown).not.toContain('privateKey')
    expect(shown).not.toContain('CryptoKey')
    expect(shown).not.toContain(seed)
    expect(Object.values(a).some((v) => typeof v === 'object' && v !== null && 'type' in v)).toBe(false)
  })
})
