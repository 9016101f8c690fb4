import { describe, expect, it } from 'vitest'
import { aesGcmDecrypt, aesGcmEncrypt, importAesGcmKey } from './aead'
import { fromUtf8, randomBytes, utf8 } from '../bytes'
import { IntegrityError, MalformedError, ValidationError } from '../errors'

describe('aead', () => {
  it('round-trips with and without aad, with a fresh iv each time', async () => {
    const key = await importAesGcmKey(randomBytes(32))
    const a = await aesGcmEncrypt(key, utf8('secret'))
    const b = await aesGcmEncrypt(key, utf8('secret'))
    expect(a.length).toBe(12 + 6 + 16)
    expect(a).not.toEqual(b)
    expect(fromUtf8(await aesGcmDecrypt(key, a))).toBe('secret')
    const c = await aesGcmEncrypt(key, utf8('secret'), utf8('ctx'))
    expect(fromUtf8(await aesGcmDecrypt(key, c, utf8('ctx')))).toBe('secret')
    await expect(aesGcmDecrypt(key, c, utf8('other'))).rejects.toBeInstanceOf(IntegrityError)
    await expect(aesGcmDecrypt(key, c)).rejects.toBeInstanceOf(IntegrityError)
  })

  it('detects a wrong key, a flipped bit and short input', async () => {
    const key = await importAesGcmKey(randomBytes(32))
    const other = await importAesGcmKey(randomBytes(32))
    const ct = await aesGcmEncrypt(key, utf8('secret'))
    await expect(aesGcmDecrypt(other, ct)).rejects.toBeInstanceOf(IntegrityError)
    const flipped = ct.slice()
    flipped[20] = (flipped[20] ?? 0) ^ 1
    await expect(aesGcmDecrypt(key, flipped)).rejects.toBeInstanceOf(IntegrityError)
    await expect(aesGcmDecrypt(key, ct.subarray(0, 27))).rejects.toBeInstanceOf(MalformedError)
  })

  it('refuses keys that are not 32 bytes', async () => {
    await expect(importAesGcmKey(randomBytes(16))).rejects.toBeInstanceOf(ValidationError)
  })
})
