import { describe, expect, it } from 'vitest'
import * as encoding from 'lib0/encoding'
import { randomBytes, utf8 } from '../bytes'
import { boxKeyPairFromSecret, boxSeal } from '../crypto/x25519'
import { sealEnvelope } from '../envelope/seal'
import { Identity } from '../identity/identity'
import { signProfile } from '../identity/profile'
import { encodeFriendCard } from './friend-card'
import {
  MAX_FRIEND_FRAME_BYTES,
  newFriendMessageId,
  openFriendMessage,
  sealFriendMessage,
} from './friend-message'
import { friendTopic } from './friend-topic'

async function someone(nickname: string) {
  const identity = await Identity.create()
  const box = await identity.boxKeys()
  const card = { userId: identity.userId, box: box.publicKey, secret: randomBytes(16), relays: [] }
  return {
    identity,
    box,
    card,
    code: encodeFriendCard(card),
    topic: await friendTopic(card),
    profile: await signProfile(identity, { nickname, updatedAt: 1 }),
  }
}

describe('friend messages', () => {
  it('a request opens only for its recipient, signed by its sender, with their card and profile', async () => {
    const alice = await someone('Alice')
    const bob = await someone('Bob')
    const eve = await someone('Eve')
    const { sealed, message } = await sealFriendMessage(
      alice.identity,
      { type: 'request', to: bob.identity.userId, card: alice.code, profile: alice.profile },
      bob.card.box,
      bob.topic,
    )
    const opened = await openFriendMessage(sealed, bob.identity.userId, bob.box, bob.topic)
    expect(opened).toEqual(message)
    expect(opened).toMatchObject({ type: 'request', from: alice.identity.userId, card: alice.code })
    // Eve holds Bob's card too (same topic key) but not his box key.
    await expect(openFriendMessage(sealed, bob.identity.userId, eve.box, bob.topic)).rejects.toThrow()
    // Nothing readable crosses the relay.
    const text = new TextDecoder('latin1').decode(sealed)
    expect(text).not.toContain('Alice')
    expect(text).not.toContain(alice.identity.userId)
  })

  it('refuses a forged sender, a message for someone else, garbage, oversized and future-dated frames', async () => {
    const alice = await someone('Alice')
    const bob = await someone('Bob')
    const mallory = await someone('Mallory')
    // Mallory writes a request "from Alice" and signs it with her own key.
    const forged = await handMade(mallory.identity, bob, {
      type: 'request',
      id: newFriendMessageId(),
      from: alice.identity.userId,
      to: bob.identity.userId,
      sentAt: Date.now(),
      card: alice.code,
    })
    await expect(openFriendMessage(forged, bob.identity.userId, bob.box, bob.topic)).rejects.toThrow(/signed/)
    // A message honestly signed, but naming Carol as recipient, sealed to Bob's keys.
    const carol = await someone('Carol')
    const misaddressed = await handMade(alice.identity, bob, {
      type: 'request',
      id: newFriendMessageId(),
      from: alice.identity.userId,
      to: carol.identity.userId,
      sentAt: Date.now(),
      card: alice.code,
    })
    await expect(openFriendMessage(misaddressed, bob.identity.userId, bob.box, bob.topic)).rejects.toThrow()
    // A card that is not the sender's: answers would go to someone else.
    const wrongCard = await handMade(alice.identity, bob, {
      type: 'request',
      id: newFriendMessageId(),
      from: alice.identity.userId,
      to: bob.identity.userId,
      sentAt: Date.now(),
      card: carol.code,
    })
    await expect(openFriendMessage(wrongCard, bob.identity.userId, bob.box, bob.topic)).rejects.toThrow(
      /card/,
    )
    const future = await handMade(alice.identity, bob, {
      type: 'request',
      id: newFriendMessageId(),
      from: alice.identity.userId,
      to: bob.identity.userId,
      sentAt: Date.now() + 24 * 3600_000,
      card: alice.code,
    })
    await expect(openFriendMessage(future, bob.identity.userId, bob.box, bob.topic)).rejects.toThrow(/future/)
    for (const junk of [
      new Uint8Array(),
      randomBytes(100),
      await sealEnvelope(bob.topic.key, randomBytes(90)),
    ])
      await expect(openFriendMessage(junk, bob.identity.userId, bob.box, bob.topic)).rejects.toThrow()
    const huge = await sealEnvelope(bob.topic.key, randomBytes(MAX_FRIEND_FRAME_BYTES + 1))
    await expect(openFriendMessage(huge, bob.identity.userId, bob.box, bob.topic)).rejects.toThrow(/large/)
  })
})

/** The wire format written by hand, so a test can put in it what sealFriendMessage never would. */
async function handMade(
  signer: Identity,
  to: { box: { publicKey: Uint8Array }; topic: Awaited<ReturnType<typeof friendTopic>>; identity: Identity },
  message: Record<string, unknown>,
): Promise<Uint8Array> {
  const json = utf8(JSON.stringify(message))
  const signed = encoding.createEncoder()
  encoding.writeVarString(signed, 'tailmesh/friend-message/v1')
  encoding.writeVarUint8Array(signed, json)
  const inner = encoding.createEncoder()
  encoding.writeVarUint8Array(inner, json)
  encoding.writeVarUint8Array(inner, await signer.sign(encoding.toUint8Array(signed)))
  const eph = await boxKeyPairFromSecret(randomBytes(32))
  const boxed = await boxSeal(
    eph,
    to.box.publicKey,
    encoding.toUint8Array(inner),
    `tailmesh/friend-message/v1/${to.identity.userId}`,
  )
  return sealEnvelope(to.topic.key, new Uint8Array([1, ...eph.publicKey, ...boxed]))
}
