import { describe, expect, it } from 'vitest'
import { deriveTopic } from './topic'
import { GroupKey } from './group-key'
import { bytesEqual, toHex, utf8 } from '../bytes'
import { sha256 } from '../crypto/hash'
import { sign, verify } from '../crypto/ed25519'

describe('topic', () => {
  it('is stable for the same group and key', async () => {
    const key = await GroupKey.generate()
    const a = await deriveTopic('g1', key)
    const b = await deriveTopic('g1', await GroupKey.fromBytes(key.raw))
    expect(a.id).toMatch(/^[0-9a-f]{64}$/)
    expect(b.id).toBe(a.id)
    expect(bytesEqual(a.signingKeys.publicKey, b.signingKeys.publicKey)).toBe(true)
  })

  it('differs for another key or another group', async () => {
    const key = await GroupKey.generate()
    const a = await deriveTopic('g1', key)
    const otherKey = await deriveTopic('g1', await GroupKey.generate())
    const otherGroup = await deriveTopic('g2', key)
    expect(otherKey.id).not.toBe(a.id)
    expect(otherGroup.id).not.toBe(a.id)
    expect(bytesEqual(otherKey.signingKeys.publicKey, a.signingKeys.publicKey)).toBe(false)
    expect(bytesEqual(otherGroup.signingKeys.publicKey, a.signingKeys.publicKey)).toBe(false)
  })

  it('reveals neither the group id nor the key', async () => {
    const key = await GroupKey.generate()
    const t = await deriveTopic('g1', key)
    expect(t.id).not.toBe(toHex(await sha256(utf8('g1'))))
    expect(t.id).not.toBe(toHex(key.raw))
    expect(t.id).not.toContain(toHex(utf8('g1')))
    expect(toHex(t.signingKeys.publicKey)).not.toBe(t.id)
  })

  it('lets any key holder sign for the topic', async () => {
    const key = await GroupKey.generate()
    const alice = await deriveTopic('g1', key)
    const bob = await deriveTopic('g1', await GroupKey.fromBytes(key.raw))
    const sig = await sign(bob.signingKeys.privateKey, utf8('append'))
    expect(await verify(alice.signingKeys.publicKey, sig, utf8('append'))).toBe(true)
  })
})
