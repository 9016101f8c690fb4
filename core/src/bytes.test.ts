import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fromBase64Url, toBase64Url } from './bytes'

describe('base64url', () => {
  it('matches the platform encoder and round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = toBase64Url(bytes)
        expect(text).toBe(Buffer.from(bytes).toString('base64url'))
        expect(fromBase64Url(text)).toEqual(bytes)
      }),
      { numRuns: 2000 },
    )
  })

  it('refuses text that is not base64url', () => {
    for (const bad of ['a+b', 'ab/c', 'abc=', 'ab c', 'é', 'A'])
      expect(() => fromBase64Url(bad), bad).toThrow('not base64url')
  })
})
