import { describe, expect, it } from 'vitest'
import { exportSeed, generateSigningKeyPair, sign, signingKeyPairFromSeed, verify } from './ed25519'
import { bytesEqual, utf8 } from '../bytes'

describe('ed25519', () => {
  it('signs and verifies, and a changed message or key does not verify', async () => {
    const a = await generateSigningKeyPair()
    const b = await generateSigningKeyPair()
    expect(a.publicKey.length).toBe(32)
    const sig = await sign(a.privateKey, utf8('hello'))
    expect(sig.length).toBe(64)
    expect(await verify(a.publicKey, sig, utf8('hello'))).toBe(true)
    expect(await verify(a.publicKey, sig, utf8('hellO'))).toBe(false)
    expect(await verify(b.publicKey, sig, utf8('hello'))).toBe(false)
  })

  it('round-trips through the seed to the same key pair', async () => {
    const a = await generateSigningKeyPair()
    const seed = await exportSeed(a.privateKey)
    expect(seed.length).toBe(32)
    const b = await signingKeyPairFromSeed(seed)
    expect(bytesEqual(a.publicKey, b.publicKey)).toBe(true)
    // Deterministic signatures: same key, same message, same bytes.
    expect(bytesEqual(await sign(a.privateKey, utf8('x')), await sign(b.privateKey, utf8('x')))).toBe(true)
    expect(bytesEqual(await exportSeed(b.privateKey), seed)).toBe(true)
  })

  it('matches the RFC 8032 test vector 1', async () => {
    const hex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (h) => parseInt(h, 16))
    const pair = await signingKeyPairFromSeed(
      hex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'),
    )
    expect(
      bytesEqual(pair.publicKey, hex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a')),
    ).toBe(true)
    const sig = await sign(pair.privateKey, new Uint8Array(0))
    expect(
      bytesEqual(
        sig,
        hex(
          'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
        ),
      ),
    ).toBe(true)
  })

  it('verify never throws on garbage', async () => {
    const a = await generateSigningKeyPair()
    const sig = await sign(a.privateKey, utf8('m'))
    expect(await verify(new Uint8Array(31), sig, utf8('m'))).toBe(false)
    expect(await verify(a.publicKey, sig.subarray(1), utf8('m'))).toBe(false)
    expect(await verify(new Uint8Array(32).fill(0xff), sig, utf8('m'))).toBe(false)
    expect(await verify(a.publicKey, new Uint8Array(64), utf8('m'))).toBe(false)
    // @ts-expect-error: wrong types from untyped callers
    expect(await verify('key', null, 3)).toBe(false)
  })

  it('refuses a seed of the wrong length', async () => {
    await expect(signingKeyPairFromSeed(new Uint8Array(31))).rejects.toThrow(/32 bytes/)
  })
})
