import { describe, expect, it } from 'vitest'
import { isUserId, publicKeyOf, userIdOf } from './user-id'
import { bytesEqual, randomBytes } from '../bytes'
import { ValidationError } from '../errors'

describe('user id', () => {
  it('is 43 base64url characters and round-trips to the public key', () => {
    for (let i = 0; i < 50; i++) {
      const pk = randomBytes(32)
      const id = userIdOf(pk)
      expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/)
      expect(isUserId(id)).toBe(true)
      expect(bytesEqual(publicKeyOf(id), pk)).toBe(true)
    }
  })

  it('refuses anything else, including a non-canonical alias of a valid id', () => {
    const id = userIdOf(new Uint8Array(32))
    expect(id.endsWith('A')).toBe(true)
    const alias = id.slice(0, 42) + 'B' // same 32 bytes after decoding, different text
    for (const bad of [alias, id + 'A', id.slice(1), id.replace('A', '+'), '', 42, null, undefined, {}]) {
      expect(isUserId(bad)).toBe(false)
    }
    expect(() => publicKeyOf(alias)).toThrow(ValidationError)
    expect(() => userIdOf(new Uint8Array(31))).toThrow(ValidationError)
  })
})
