import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { GroupKey } from './group-key'
import { fromUtf8, toBase64Url, utf8 } from '../bytes'
import { IntegrityError, MalformedError, ValidationError } from '../errors'

describe('GroupKey', () => {
  it('encrypts and decrypts, also after rebuilding from its raw bytes', async () => {
    const key = await GroupKey.generate()
    expect(key.raw.length).toBe(32)
    const ct = await key.encrypt(utf8('hi'), utf8('aad'))
    expect(fromUtf8(await key.decrypt(ct, utf8('aad')))).toBe('hi')
    const again = await GroupKey.fromBytes(key.raw)
    expect(fromUtf8(await again.decrypt(ct, utf8('aad')))).toBe('hi')
  })

  it('a different key or aad cannot decrypt; short input is malformed', async () => {
    const key = await GroupKey.generate()
    const other = await GroupKey.generate()
    const ct = await key.encrypt(utf8('hi'))
    await expect(other.decrypt(ct)).rejects.toBeInstanceOf(IntegrityError)
    await expect(key.decrypt(ct, utf8('x'))).rejects.toBeInstanceOf(IntegrityError)
    await expect(key.decrypt(ct.subarray(0, 10))).rejects.toBeInstanceOf(MalformedError)
  })

  it('raw is a copy: changing it does not change the key', async () => {
    const key = await GroupKey.generate()
    const raw = key.raw
    raw.fill(0)
    expect(key.raw).not.toEqual(raw)
  })

  it('keeps the key out of JSON and console output', async () => {
    const key = await GroupKey.generate()
    const b64 = toBase64Url(key.raw)
    expect(JSON.stringify(key)).toBe('{}')
    expect(inspect(key, { showHidden: true })).not.toContain(b64)
  })

  it('refuses a key that is not 32 bytes', async () => {
    await expect(GroupKey.fromBytes(new Uint8Array(16))).rejects.toBeInstanceOf(ValidationError)
  })
})
