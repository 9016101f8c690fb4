// The bot kit against the real relay process: a person (a core peer) makes an invite link the way
// the web app does, the bot joins with it like a person, posts and hears messages; after a restart
// from its data directory it is the same member; bad or unusable links fail clearly.
import { describe, expect, it } from 'vitest'
import { InvalidInviteError, PermissionDeniedError, encodeInvitePayload, inviteLink } from '@tailmesh/core'
import { Bot, BotStoppedError, BotTimeoutError, type BotMessage } from '../src/index'
import { botHarness } from './harness'
import { eventually, type Person } from './peers'

const h = botHarness()

const alice = (groupName = 'Bot workshop'): Promise<Person> => h.person('alice', groupName)

const bot = (dataDir = h.tempDir(), name = 'Helper Bot'): Promise<Bot> =>
  h.startBot(dataDir, name, { joinTimeoutMs: 20_000 })

describe('bot kit', () => {
  it('joins by an invite link like a person, posts, and hears others', async () => {
    const a = await alice()
    const dir = h.tempDir()
    const b = await bot(dir)
    const joined = await b.join(await a.invite())
    expect(joined.groupId).toBe(a.group.groupId)
    expect(joined.name).toBe('Bot workshop')
    expect(joined.panels.map((p) => p.name)).toEqual(['general'])

    await eventually('alice sees the bot as a member', () => a.group.gate.authority().members.has(b.userId))
    const record = a.group.gate.authority().members.get(b.userId) as {
      profile?: { profile?: { nickname?: string } }
      relays?: string[]
    }
    expect(record.profile?.profile?.nickname).toBe('Helper Bot')
    // Its relay is on record: members on other relays get its posts handed on (core's Replica.bridge).
    expect(record.relays).toEqual([h.relay.http])

    const heard: BotMessage[] = []
    b.onMessage((m) => void heard.push(m))
    const id = await b.send(a.group.groupId, joined.panels[0]!.id, 'hello from the bot')
    await eventually("alice has the bot's message", () => a.bodies().includes('hello from the bot'))
    expect(a.messages().find((m) => m.id === id)?.author).toBe(b.userId)

    await a.group.actions.send(a.general, 'ping, bot')
    await eventually('the bot hears alice', () => heard.length > 0)
    expect(heard).toHaveLength(1)
    expect(heard[0]).toMatchObject({
      groupId: a.group.groupId,
      panelId: a.general,
      author: a.identity.userId,
      authorName: 'alice',
      body: 'ping, bot',
    })
    // Its own message is not among what it hears.
    expect(heard.some((m) => m.author === b.userId)).toBe(false)

    // A command bot: answers "!ping" with a reply to it.
    b.onMessage(async (m) => {
      if (m.body === '!ping') await b.send(m.groupId, m.panelId, 'pong', { replyTo: m.id })
    })
    const { id: ping } = await a.group.actions.send(a.general, '!ping')
    await eventually('alice gets the answer', () => a.bodies().includes('pong'))
    expect(a.messages().find((m) => m.body === 'pong')?.replyTo?.id).toBe(ping)
  })

  it('does not hand its handlers the history from before it joined, only what comes after', async () => {
    const a = await alice()
    await a.group.actions.send(a.general, 'said before the bot came')
    const b = await bot()
    const heard: string[] = []
    b.onMessage((m) => void heard.push(m.body))
    await b.join(await a.invite())
    await eventually('the bot holds the history', () =>
      b.history(a.group.groupId, a.general).some((m) => m.body === 'said before the bot came'),
    )
    await a.group.actions.send(a.general, 'said after')
    await eventually('the bot hears the new one', () => heard.includes('said after'))
    expect(heard).toEqual(['said after'])
  })

  it('follows a rotation of the group key: still hears and is heard afterwards', async () => {
    const a = await alice()
    const b = await bot()
    const heard: string[] = []
    b.onMessage((m) => void heard.push(m.body))
    await b.join(await a.invite())
    await eventually('alice sees the bot', () => a.group.gate.authority().members.has(b.userId))
    await a.group.actions.rotateKey()
    await a.group.actions.send(a.general, 'sealed with the new key')
    await eventually('the bot hears it', () => heard.includes('sealed with the new key'))
    await b.send(a.group.groupId, a.general, 'answered with the new key')
    await eventually('alice has the answer', () => a.bodies().includes('answered with the new key'))
  })

  it('is the same member after a restart from its data directory, and can post at once', async () => {
    const a = await alice()
    const dir = h.tempDir()
    const first = await Bot.start({ dataDir: dir, relay: h.relay.http, name: 'Helper Bot' })
    await first.join(await a.invite())
    const userId = first.userId
    await first.stop()

    // Restarted under a new name: the group learns it.
    const again = await bot(dir, 'Helper Bot 2')
    expect(again.userId).toBe(userId)
    await eventually('alice sees the new name', () => {
      const profile = a.group.gate.authority().members.get(userId)?.profile as
        { profile?: { nickname?: string } } | undefined
      return profile?.profile?.nickname === 'Helper Bot 2'
    })
    expect(again.groups().map((g) => g.groupId)).toEqual([a.group.groupId])
    // Joining again with a link to a group it is in changes nothing.
    await again.join(await a.invite())
    await again.send(a.group.groupId, a.general, 'back after a restart')
    await eventually('alice has it', () => a.bodies().includes('back after a restart'))
    const members = [...a.group.gate.authority().members.keys()]
    expect(members.filter((m) => m === userId)).toHaveLength(1)
  })

  it('posts nowhere it may not: in a read-only panel core refuses before anything is signed', async () => {
    const a = await alice()
    const b = await bot()
    await b.join(await a.invite())
    expect(b.canPost(a.group.groupId, a.general)).toBe(true)
    await a.group.actions.updatePanel(a.general, {
      overrides: { roles: { everyone: { allow: [], deny: ['message'] } } },
    })
    await eventually('the override reached the bot', () => !b.canPost(a.group.groupId, a.general))
    await expect(b.send(a.group.groupId, a.general, 'should not go')).rejects.toBeInstanceOf(
      PermissionDeniedError,
    )
  })

  it('refuses a damaged link, and gives up on a group nobody serves without keeping it', async () => {
    const a = await alice()
    const b = await bot()
    const link = await a.invite()
    await expect(b.join(link.slice(0, -3))).rejects.toBeInstanceOf(InvalidInviteError)
    await expect(b.join('https://example.org/#/groups/nothing')).rejects.toBeInstanceOf(InvalidInviteError)

    // A well-formed link to a group no member ever brought to the relay.
    const orphan = inviteLink(
      `${h.relay.http}/`,
      encodeInvitePayload({
        groupId: 'A'.repeat(22),
        groupKey: crypto.getRandomValues(new Uint8Array(32)),
        secret: crypto.getRandomValues(new Uint8Array(16)),
      }),
    )
    const quick = await Bot.start({
      dataDir: h.tempDir(),
      relay: h.relay.http,
      name: 'Quick',
      joinTimeoutMs: 1_000,
    })
    h.defer(() => quick.stop())
    await expect(quick.join(orphan)).rejects.toBeInstanceOf(BotTimeoutError)
    expect(quick.groups()).toEqual([])
  })

  it('rejects sends after stop', async () => {
    const b = await bot()
    await b.stop()
    expect(() => b.send('x', 'y', 'z')).toThrow(BotStoppedError)
  })
})
