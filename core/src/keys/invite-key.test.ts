import { describe, expect, it } from 'vitest'
import { createInviteSecret, inviteIdOf, inviteKeyPair } from './invite-key'
import { bytesEqual, fromBase64Url, toBase64Url, utf8 } from '../bytes'
import { sign, verify } from '../crypto/ed25519'
import { ValidationError } from '../errors'

describe('invite key', () => {
  it('derives the same key pair from the same secret, and the id is its public key', async () => {
    const secret = createInviteSecret()
    expect(secret.length).toBe(16)
    const a = await inviteKeyPair(secret)
    const b = await inviteKeyPair(secret.slice())
    expect(bytesEqual(a.publicKey, b.publicKey)).toBe(true)
    const id = inviteIdOf(a.publicKey)
    expect(bytesEqual(fromBase64Url(id), a.publicKey)).toBe(true)
    expect(id).not.toContain(toBase64Url(secret))
  })

  it('a joiner proves the secret by signing; another secret cannot', async () => {
    const secret = createInviteSecret()
    const id = inviteIdOf((await inviteKeyPair(secret)).publicKey)
    const joiner = await inviteKeyPair(secret)
    const guess = await inviteKeyPair(createInviteSecret())
    const join = utf8('join g1 as someone')
    expect(await verify(fromBase64Url(id), await sign(joiner.privateKey, join), join)).toBe(true)
    expect(await verify(fromBase64Url(id), await sign(guess.privateKey, join), join)).toBe(false)
  })

  it('refuses secrets and keys of the wrong size', async () => {
    await expect(inviteKeyPair(new Uint8Array(8))).rejects.toBeInstanceOf(ValidationError)
    expect(() => inviteIdOf(new Uint8Array(16))).toThrow(ValidationError)
  })
})
