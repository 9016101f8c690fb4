import { describe, expect, it } from 'vitest'
import { randomBytes } from '../bytes'
import { IntegrityError } from '../errors'
import { boxKeyPairFromSecret, boxOpen, boxSeal } from './x25519'

describe('X25519 boxes', () => {
  it('the recipient opens what the sender sealed for it; a third key and another context cannot', async () => {
    const [alice, bob, eve] = await Promise.all([1, 2, 3].map(() => boxKeyPairFromSecret(randomBytes(32))))
    const secret = randomBytes(32)
    const sealed = await boxSeal(alice!, bob!.publicKey, secret, 'group g, epoch 1')
    expect(await boxOpen(bob!, alice!.publicKey, sealed, 'group g, epoch 1')).toEqual(secret)
    await expect(boxOpen(eve!, alice!.publicKey, sealed, 'group g, epoch 1')).rejects.toThrow(IntegrityError)
    await expect(boxOpen(bob!, alice!.publicKey, sealed, 'group g, epoch 2')).rejects.toThrow(IntegrityError)
  })

  it('derives the same pair from the same secret (one box key per identity)', async () => {
    const s = randomBytes(32)
    const [a, b] = await Promise.all([boxKeyPairFromSecret(s), boxKeyPairFromSecret(s)])
    expect(a.publicKey).toEqual(b.publicKey)
    expect(a.publicKey).toHaveLength(32)
  })
})
