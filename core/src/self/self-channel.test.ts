// Read state and saved messages that follow a person to their linked device, through their self
// topic on a store-and-forward mailbox (the in-process stand-in; the browser suite runs the real relay).

import { afterEach, describe, expect, it } from 'vitest'
import { until } from '../../test/until'
import { TestMailbox } from '../friends/test-mailbox'
import { messageIdFor } from '../group/documents'
import { ReadState } from '../group/read-state'
import { Identity } from '../identity/identity'
import { SavedMessages } from './saved-messages'
import { SelfChannel } from './self-channel'
import { selfSecretOf } from './self-topic'

const open: SelfChannel[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()))
})

async function device(mailbox: TestMailbox, identity: Identity, secret: Uint8Array) {
  const reads = new ReadState()
  const saved = new SavedMessages()
  const channel = await SelfChannel.start({
    userId: identity.userId,
    secret,
    transports: [mailbox.transport()],
    reads,
    saved,
    postDelayMs: 5,
  })
  open.push(channel)
  return { reads, saved, channel }
}

const msg = (n: number) => messageIdFor(1_000_000 + n, `abcd${n}`)

describe('the self channel', () => {
  it('read marks made on one device show on the other, both ways, and a late device catches up', async () => {
    const mailbox = new TestMailbox()
    const alice = await Identity.create()
    const secret = await selfSecretOf(alice)
    const laptop = await device(mailbox, alice, secret)
    const phone = await device(mailbox, alice, secret)

    laptop.reads.markRead('g1', 'general', msg(5))
    await until(
      "the phone has the laptop's mark",
      () => phone.reads.readMark('g1', 'general')?.messageId === msg(5),
    )

    phone.reads.markRead('g1', 'random', msg(7))
    phone.reads.markRead('g1', 'general', msg(9))
    await until(
      "the laptop has the phone's marks",
      () => laptop.reads.readMark('g1', 'general')?.messageId === msg(9),
    )
    expect(laptop.reads.readMark('g1', 'random')?.messageId).toBe(msg(7))

    // A device that was away reads it all from the mailbox.
    const tablet = await device(mailbox, alice, secret)
    await until('the tablet caught up', () => tablet.reads.readMark('g1', 'general')?.messageId === msg(9))
    expect(tablet.reads.readMark('g1', 'random')?.messageId).toBe(msg(7))
  })

  it('saving and unsaving a message follows the person; the newest action wins', async () => {
    const mailbox = new TestMailbox()
    const alice = await Identity.create()
    const secret = await selfSecretOf(alice)
    const laptop = await device(mailbox, alice, secret)
    const phone = await device(mailbox, alice, secret)
    const ref = { groupId: 'g1', panelId: 'general', messageId: msg(1) }

    laptop.saved.set(ref, true)
    await until('the phone shows it saved', () => phone.saved.isSaved(ref))
    expect(phone.saved.list().map((s) => s.messageId)).toEqual([msg(1)])

    phone.saved.set(ref, false)
    await until('the laptop shows it unsaved', () => !laptop.saved.isSaved(ref))
    expect(laptop.saved.list()).toEqual([])
  })

  it('another person on the same relay reads nothing and changes nothing', async () => {
    const mailbox = new TestMailbox()
    const alice = await Identity.create()
    const mallory = await Identity.create()
    const laptop = await device(mailbox, alice, await selfSecretOf(alice))
    laptop.reads.markRead('g1', 'general', msg(3))
    laptop.saved.set({ groupId: 'g1', panelId: 'general', messageId: msg(3) }, true)
    await laptop.channel.flush()

    // Mallory on her own topic sees nothing of Alice's.
    const hers = await device(mailbox, mallory, await selfSecretOf(mallory))
    await hers.channel.settled()
    expect(hers.reads.readMark('g1', 'general')).toBeUndefined()
    expect(hers.saved.list()).toEqual([])

    // Garbage posted on Alice's topic (say, by the relay) is dropped; her state stays.
    for (const [topic] of mailbox.topics) mailbox.append(topic, new Uint8Array([1, 2, 3, 4, 5]))
    await laptop.channel.settled()
    expect(laptop.reads.readMark('g1', 'general')?.messageId).toBe(msg(3))
    // Every stored entry is ciphertext: no group or panel id in it.
    for (const entries of mailbox.topics.values())
      for (const e of entries) expect(Buffer.from(e).toString('latin1')).not.toContain('general')
  })
})
