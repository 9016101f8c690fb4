import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  InvalidInviteError,
  decodeInvitePayload,
  encodeInvitePayload,
  inviteLink,
  payloadOfLink,
} from './invite-link'

const groupIdArb = fc.stringMatching(/^[A-Za-z0-9_-]{22}$/)
const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n })

describe('invite payload', () => {
  it('round-trips any group id, key and secret', () => {
    fc.assert(
      fc.property(groupIdArb, bytes(32), bytes(16), (groupId, groupKey, secret) => {
        const text = encodeInvitePayload({ groupId, groupKey, secret })
        expect(text).toMatch(/^[A-Za-z0-9_-]{95}$/)
        expect(decodeInvitePayload(text)).toEqual({ groupId, groupKey, secret })
      }),
    )
  })

  it('refuses garbage of every kind with InvalidInviteError', () => {
    const good = encodeInvitePayload({
      groupId: 'abcdefghijklmnopqrstuv',
      groupKey: new Uint8Array(32).fill(7),
      secret: new Uint8Array(16).fill(9),
    })
    const bad = [
      '',
      'hello',
      good.slice(1),
      good + 'A',
      good.replace(/^./, '*'),
      // another version byte
      'Ag' + good.slice(2),
      'x'.repeat(10_000),
    ]
    for (const text of bad) expect(() => decodeInvitePayload(text), text).toThrow(InvalidInviteError)
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          decodeInvitePayload(text)
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidInviteError)
        }
      }),
    )
  })

  it('refuses to encode what it could not decode', () => {
    const ok = { groupId: 'abcdefghijklmnopqrstuv', groupKey: new Uint8Array(32), secret: new Uint8Array(16) }
    expect(() => encodeInvitePayload({ ...ok, groupId: 'short' })).toThrow(InvalidInviteError)
    expect(() => encodeInvitePayload({ ...ok, groupKey: new Uint8Array(31) })).toThrow(InvalidInviteError)
    expect(() => encodeInvitePayload({ ...ok, secret: new Uint8Array(17) })).toThrow(InvalidInviteError)
  })
})

describe('invite link', () => {
  it('puts the payload in the fragment only, replacing any fragment the app URL had', () => {
    const link = inviteLink('https://chat.example/app/#/groups/x', 'PAYLOAD')
    expect(link).toBe('https://chat.example/app/#/join/PAYLOAD')
    const url = new URL(link)
    expect(url.pathname + url.search).not.toContain('PAYLOAD')
    expect(payloadOfLink(link)).toBe('PAYLOAD')
    expect(payloadOfLink('https://chat.example/join/PAYLOAD')).toBeNull()
  })
})
