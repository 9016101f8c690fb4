import { describe, expect, it } from 'vitest'
import { Identity } from './identity'
import { signProfile, validateProfile, verifyProfile } from './profile'
import { IntegrityError, ValidationError } from '../errors'

const ok = { nickname: '  Ada  ', avatar: 'https://example.org/a.png', status: 'busy', updatedAt: 1 }

describe('profile validation', () => {
  it('trims the nickname and drops unknown fields', () => {
    expect(validateProfile({ ...ok, extra: 'x' })).toEqual({ ...ok, nickname: 'Ada' })
    expect(validateProfile({ nickname: 'Bo', updatedAt: 0 })).toEqual({ nickname: 'Bo', updatedAt: 0 })
    expect(
      validateProfile({ nickname: 'x', avatar: 'data:image/png;base64,AAAA', updatedAt: 0 }).avatar,
    ).toBe('data:image/png;base64,AAAA')
  })

  it('counts nickname length in characters, not UTF-16 units', () => {
    expect(validateProfile({ nickname: '😀'.repeat(32), updatedAt: 0 }).nickname).toBe('😀'.repeat(32))
    expect(() => validateProfile({ nickname: '😀'.repeat(33), updatedAt: 0 })).toThrow(/nickname/)
  })

  const cases: [string, unknown][] = [
    ['profile', null],
    ['profile', []],
    ['nickname', { updatedAt: 0 }],
    ['nickname', { nickname: '   ', updatedAt: 0 }],
    ['nickname', { nickname: 'a'.repeat(33), updatedAt: 0 }],
    ['nickname', { nickname: 'a\nb', updatedAt: 0 }],
    ['nickname', { nickname: 'evil\u202etxt', updatedAt: 0 }],
    ['avatar', { nickname: 'a', avatar: 3, updatedAt: 0 }],
    ['avatar', { nickname: 'a', avatar: 'not a url', updatedAt: 0 }],
    ['avatar', { nickname: 'a', avatar: 'javascript:alert(1)', updatedAt: 0 }],
    ['avatar', { nickname: 'a', avatar: 'https://x.org/' + 'a'.repeat(2048), updatedAt: 0 }],
    ['status', { nickname: 'a', status: 'a'.repeat(129), updatedAt: 0 }],
    ['status', { nickname: 'a', status: null, updatedAt: 0 }],
    ['updatedAt', { nickname: 'a' }],
    ['updatedAt', { nickname: 'a', updatedAt: Infinity }],
    ['updatedAt', { nickname: 'a', updatedAt: '1' }],
  ]
  it.each(cases)('names the field %s in the error', (field, input) => {
    expect(() => validateProfile(input)).toThrow(ValidationError)
    expect(() => validateProfile(input)).toThrow(new RegExp(field))
  })
})

describe('signed profile', () => {
  it('verifies for its owner, also after a JSON round trip', async () => {
    const me = await Identity.create()
    const sp = await signProfile(me, ok)
    expect(sp.userId).toBe(me.userId)
    expect(await verifyProfile(JSON.parse(JSON.stringify(sp)))).toEqual({ ...ok, nickname: 'Ada' })
  })

  it('refuses a changed field, a profile moved to another user, and garbage', async () => {
    const me = await Identity.create()
    const mallory = await Identity.create()
    const sp = await signProfile(me, ok)
    for (const profile of [
      { ...sp.profile, nickname: 'Eve' },
      { ...sp.profile, avatar: 'https://evil.example/x.png' },
      { ...sp.profile, status: undefined },
      { ...sp.profile, updatedAt: 2 },
    ]) {
      await expect(verifyProfile({ ...sp, profile })).rejects.toBeInstanceOf(IntegrityError)
    }
    await expect(verifyProfile({ ...sp, userId: mallory.userId })).rejects.toBeInstanceOf(IntegrityError)
    // Mallory's own signature over "my" nickname is Mallory's profile, not mine.
    const forged = await signProfile(mallory, ok)
    await expect(verifyProfile({ ...forged, userId: me.userId })).rejects.toBeInstanceOf(IntegrityError)
    await expect(verifyProfile({ ...sp, signature: 'AAAA' })).rejects.toBeInstanceOf(ValidationError)
    await expect(verifyProfile({ ...sp, signature: '***' })).rejects.toBeInstanceOf(ValidationError)
    await expect(verifyProfile({ ...sp, userId: 'x' })).rejects.toBeInstanceOf(ValidationError)
    await expect(verifyProfile({ ...sp, profile: { nickname: '' } })).rejects.toBeInstanceOf(ValidationError)
    await expect(verifyProfile('nope')).rejects.toBeInstanceOf(ValidationError)
  })

  it('refuses to sign an invalid profile', async () => {
    const me = await Identity.create()
    await expect(signProfile(me, { nickname: '', updatedAt: 0 })).rejects.toBeInstanceOf(ValidationError)
  })
})
