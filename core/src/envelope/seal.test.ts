import { describe, expect, it } from 'vitest'
import { openSealedEnvelope, sealEnvelope } from './seal'
import { decodeEnvelope, encodeEnvelope, signEnvelope } from './envelope'
import { makeClientClaim } from './client-claim'
import { GroupKey } from '../keys/group-key'
import { Identity } from '../identity/identity'
import { toHex, utf8 } from '../bytes'
import { IntegrityError, MalformedError } from '../errors'

describe('sealed envelope', () => {
  it('round-trips and shows a relay neither group id, author nor payload', async () => {
    const alice = await Identity.create()
    const key = await GroupKey.generate()
    const env = await signEnvelope(alice, {
      groupId: 'secret-group-name',
      docId: 'doc',
      author: alice.userId,
      clients: [await makeClientClaim(alice, 'secret-group-name')],
      hlc: 1,
      payload: utf8('hello in plain text'),
    })
    const bytes = encodeEnvelope(env)
    const sealed = await sealEnvelope(key, bytes)
    expect(sealed[0]).toBe(1)
    const seen = toHex(sealed)
    for (const secret of [utf8('secret-group-name'), utf8('hello in plain'), alice.publicKey, env.signature])
      expect(seen).not.toContain(toHex(secret))
    expect(decodeEnvelope(await openSealedEnvelope(key, sealed))).toEqual(env)
  })

  it('refuses the wrong key, modified bytes, unknown versions and short input', async () => {
    const key = await GroupKey.generate()
    const sealed = await sealEnvelope(key, utf8('bytes'))
    await expect(openSealedEnvelope(await GroupKey.generate(), sealed)).rejects.toBeInstanceOf(IntegrityError)
    const flipped = sealed.slice()
    flipped[sealed.length - 1] = (flipped[sealed.length - 1] ?? 0) ^ 1
    await expect(openSealedEnvelope(key, flipped)).rejects.toBeInstanceOf(IntegrityError)
    const v2 = sealed.slice()
    v2[0] = 2
    await expect(openSealedEnvelope(key, v2)).rejects.toThrow(/unknown version 2/)
    await expect(openSealedEnvelope(key, new Uint8Array(0))).rejects.toBeInstanceOf(MalformedError)
    await expect(openSealedEnvelope(key, sealed.subarray(0, 20))).rejects.toBeInstanceOf(MalformedError)
  })
})
