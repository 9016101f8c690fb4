import { describe, expect, it } from 'vitest'
import { hkdf, sha256 } from './hash'
import { toHex, utf8 } from '../bytes'
import { ValidationError } from '../errors'

const hex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (h) => parseInt(h, 16))

describe('hash', () => {
  it('sha256 matches the known digest of "abc"', async () => {
    expect(toHex(await sha256(utf8('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    )
  })

  it('hkdf matches RFC 5869 test case 3 (empty salt and info)', async () => {
    const okm = await hkdf(hex('0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b'), new Uint8Array(0), '', 42)
    expect(toHex(okm)).toBe(
      '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
    )
  })

  it('hkdf is deterministic and separates labels and salts', async () => {
    const ikm = utf8('secret')
    const a = await hkdf(ikm, utf8('s'), 'label/a', 32)
    expect(toHex(await hkdf(ikm, utf8('s'), 'label/a', 32))).toBe(toHex(a))
    expect(toHex(await hkdf(ikm, utf8('s'), 'label/b', 32))).not.toBe(toHex(a))
    expect(toHex(await hkdf(ikm, utf8('t'), 'label/a', 32))).not.toBe(toHex(a))
    expect((await hkdf(ikm, new Uint8Array(0), 'label/a', 16)).length).toBe(16)
  })

  it('hkdf refuses impossible lengths', async () => {
    await expect(hkdf(utf8('k'), utf8('s'), 'l', 0)).rejects.toBeInstanceOf(ValidationError)
    await expect(hkdf(utf8('k'), utf8('s'), 'l', 255 * 32 + 1)).rejects.toBeInstanceOf(ValidationError)
  })
})
