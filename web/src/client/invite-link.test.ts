import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { encodeInvitePayload as encodeCore } from '@tailmesh/core'
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

describe('invite payload with relays', () => {
  const base = {
    groupId: 'abcdefghijklmnopqrstuv',
    groupKey: new Uint8Array(32).fill(3),
    secret: new Uint8Array(16).fill(4),
  }
  const relayArb = fc
    .tuple(fc.constantFrom('http', 'https'), fc.domain(), fc.option(fc.integer({ min: 1, max: 65535 })))
    .map(([scheme, host, port]) => `${scheme}://${host}${port ? `:${port}` : ''}`)
    .filter((u) => u.length <= 200)

  it('round-trips the inviter’s relays (1 to 4), and the link stays in the fragment', () => {
    fc.assert(
      fc.property(fc.uniqueArray(relayArb, { minLength: 1, maxLength: 4 }), (relays) => {
        const text = encodeInvitePayload({ ...base, relays })
        expect(text).toMatch(/^[A-Za-z0-9_-]+$/)
        expect(decodeInvitePayload(text)).toEqual({ ...base, relays })
        expect(payloadOfLink(inviteLink('https://chat.example/', text))).toBe(text)
      }),
    )
  })

  it('writes a link without relays as version 1, which older apps read', () => {
    const text = encodeInvitePayload({ ...base, relays: [] })
    expect(text).toHaveLength(95)
    expect(text).toBe(encodeCore(base))
    const old = decodeInvitePayload(text)
    expect(old).toEqual(base)
    expect(old.relays).toBeUndefined()
  })

  it('refuses relays that are not http(s) URLs, too many, or a damaged list', () => {
    for (const relays of [
      ['javascript:alert(1)'],
      ['wss://relay.example'],
      ['https://u:p@relay.example'],
      ['x'],
    ])
      expect(() => encodeInvitePayload({ ...base, relays }), relays[0]).toThrow(InvalidInviteError)
    const five = ['a', 'b', 'c', 'd', 'e'].map((h) => `https://${h}.example`)
    expect(() => encodeInvitePayload({ ...base, relays: five })).toThrow(InvalidInviteError)
    const good = encodeInvitePayload({ ...base, relays: ['https://relay.example'] })
    for (const text of [good.slice(0, -2), good + 'AA', good.slice(0, 96)])
      expect(() => decodeInvitePayload(text), text).toThrow(InvalidInviteError)
  })
})
