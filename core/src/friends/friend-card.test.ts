import { describe, expect, it } from 'vitest'
import { randomBytes, toBase64Url } from '../bytes'
import { Identity } from '../identity/identity'
import {
  decodeFriendCard,
  encodeFriendCard,
  friendCodeOf,
  friendLink,
  InvalidFriendCodeError,
  type FriendCard,
} from './friend-card'
import { friendTopic } from './friend-topic'

async function card(relays: string[] = []): Promise<FriendCard> {
  const identity = await Identity.create()
  return {
    userId: identity.userId,
    box: (await identity.boxKeys()).publicKey,
    secret: randomBytes(16),
    relays,
  }
}

describe('friend cards', () => {
  it('round-trips through a code and a link, relays included', async () => {
    const c = await card(['wss://relay.example/mailbox', 'ws://127.0.0.1:8787/mailbox'])
    const code = encodeFriendCard(c)
    expect(decodeFriendCard(code)).toEqual(c)
    const link = friendLink('https://app.example/tailmesh/#/home', code)
    expect(link).toBe(`https://app.example/tailmesh/#/friend/${code}`)
    // The secret is only in the fragment: what a browser would send to the server has none of it.
    expect(new URL(link).pathname + new URL(link).search).not.toContain(code)
    expect(friendCodeOf(`  ${link} `)).toBe(code)
    expect(friendCodeOf(code)).toBe(code)
  })

  it('refuses damaged, truncated, foreign and oversized codes', async () => {
    const code = encodeFriendCard(await card())
    for (const bad of [
      '',
      'not a code!',
      code.slice(0, 40),
      code + 'AAAA',
      'A'.repeat(5000),
      toBase64Url(new Uint8Array([2, ...randomBytes(80)])),
    ])
      expect(() => decodeFriendCard(bad), bad.slice(0, 20)).toThrow(InvalidFriendCodeError)
    expect(() => friendCodeOf('https://app.example/#/join/abc')).toThrow(InvalidFriendCodeError)
    await expect(async () => encodeFriendCard(await card(['https://not-a-socket.example/']))).rejects.toThrow(
      InvalidFriendCodeError,
    )
    await expect(async () => encodeFriendCard(await card(['javascript:alert(1)']))).rejects.toThrow(
      InvalidFriendCodeError,
    )
  })

  it('derives an unrelated topic for a new secret, and the same topic for the same card', async () => {
    const c = await card()
    const a = await friendTopic(c)
    const again = await friendTopic({ ...c })
    const renewed = await friendTopic({ ...c, secret: randomBytes(16) })
    expect(again.access.topic.id).toBe(a.access.topic.id)
    expect(renewed.access.topic.id).not.toBe(a.access.topic.id)
    // Nothing of the secret or the user id shows in what the relay sees.
    expect(a.access.topic.id).not.toContain(toBase64Url(c.secret))
    expect(a.access.topic.id).toMatch(/^[0-9a-f]{64}$/)
  })
})
