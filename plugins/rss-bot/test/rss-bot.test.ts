// The RSS bot end to end: a feed served on localhost, the real relay process, a person (a core
// peer) who invites the bot by link. New items reach the person, oldest first and once each — also
// after the bot restarts from its data directory; a failing feed is reported, not fatal.
import { describe, expect, it } from 'vitest'
import type { Bot } from '@tailmesh/bot-kit'
import { botHarness } from '@tailmesh/bot-kit/test/harness'
import { eventually, type Person } from '@tailmesh/bot-kit/test/peers'
import { RssBot } from '../src/index'
import { item, serveFeed } from './feed-server'

const h = botHarness()

async function setup(format: 'rss' | 'atom' = 'rss') {
  const feed = await serveFeed(format)
  h.defer(() => feed.close())
  const alice = await h.person('alice', 'Harbour watch')
  const dataDir = h.tempDir('tailmesh-rss-')
  return { feed, alice, dataDir }
}

const startBot = (dataDir: string): Promise<Bot> => h.startBot(dataDir, 'Harbour feed')

/** The messages the bot posted, as the person sees them. */
const fromBot = (alice: Person, bot: Bot) => alice.messages().filter((m) => m.author === bot.userId)

describe('RSS bot', () => {
  for (const format of ['rss', 'atom'] as const) {
    it(`posts new ${format} items to the person's panel once each, also across a restart`, async () => {
      const { feed, alice, dataDir } = await setup(format)
      feed.items.unshift(item('Ferry timetable changes'), item('Lighthouse repainted'))
      const bot = await startBot(dataDir)
      const { groupId } = await bot.join(await alice.invite())
      const rss = new RssBot(bot, { feedUrl: feed.url, groupId, panel: 'general' })

      expect((await rss.poll()).posted).toHaveLength(2)
      await eventually('alice has both items', () => fromBot(alice, bot).length === 2)
      const [first, second] = fromBot(alice, bot)
      // Oldest first; the title links to the item; the summary follows.
      expect(first!.body).toContain('[Ferry timetable changes](http://harbour.example/posts/')
      expect(first!.body).toContain('About Ferry timetable changes\\.')
      expect(first!.body.startsWith('Harbour news · ')).toBe(true)
      expect(second!.body).toContain('Lighthouse repainted')

      // Nothing new: nothing posted.
      expect((await rss.poll()).posted).toEqual([])
      feed.items.unshift(item('Storm warning'))
      expect((await rss.poll()).posted).toHaveLength(1)
      await eventually('alice has the new item', () => fromBot(alice, bot).length === 3)

      // A restart from the data directory remembers what was posted.
      await rss.stop()
      await bot.stop()
      const again = await startBot(dataDir)
      const rss2 = new RssBot(again, { feedUrl: feed.url, groupId })
      expect((await rss2.poll()).posted).toEqual([])
      feed.items.unshift(item('Harbour reopens'))
      expect((await rss2.poll()).posted).toHaveLength(1)
      await eventually('alice has the fourth item', () => fromBot(alice, bot).length === 4)
      expect(fromBot(alice, bot).map((m) => m.body.match(/\[([^\]]+)\]/)?.[1])).toEqual([
        'Ferry timetable changes',
        'Lighthouse repainted',
        'Storm warning',
        'Harbour reopens',
      ])
    })
  }

  it('polls on its interval, skips an unchanged feed cheaply, and reports a failing feed without stopping', async () => {
    const { feed, alice, dataDir } = await setup()
    const bot = await startBot(dataDir)
    const { groupId } = await bot.join(await alice.invite())
    const errors: unknown[] = []
    const rss = new RssBot(bot, {
      feedUrl: feed.url,
      groupId,
      intervalMs: 100,
      onError: (e) => errors.push(e),
    })
    h.defer(() => rss.stop())
    rss.start()
    await eventually('a few polls of the empty feed', () => feed.requests >= 3)
    expect(feed.notModified).toBeGreaterThan(0)

    feed.failWith = 500
    await eventually('the failure is reported', () => errors.length > 0)
    expect(String(errors[0])).toContain('500')
    feed.failWith = 'garbage'
    await eventually('not a feed is reported', () =>
      errors.some((e) => String(e).includes('Not an RSS or Atom feed')),
    )
    feed.failWith = null

    feed.items.unshift(item('Back to normal'))
    await eventually('the item arrives by the timer', () => fromBot(alice, bot).length === 1)
    expect(fromBot(alice, bot)[0]!.body).toContain('Back to normal')
  })

  it('on the first read posts only the newest `backfill` items; caps summaries and escapes feed markup', async () => {
    const { feed, alice, dataDir } = await setup()
    for (let i = 1; i <= 5; i++) feed.items.unshift(item(`Old news ${i}`))
    feed.items.unshift(item('Click [here](javascript:alert(1)) *now*', `<p>${'long text '.repeat(100)}</p>`))
    const bot = await startBot(dataDir)
    const { groupId } = await bot.join(await alice.invite())
    const rss = new RssBot(bot, {
      feedUrl: feed.url,
      groupId,
      backfill: 2,
      summaryChars: 50,
      showSource: false,
    })
    expect((await rss.poll()).posted).toHaveLength(2)
    await eventually('alice has the two newest', () => fromBot(alice, bot).length === 2)
    const [older, newest] = fromBot(alice, bot)
    expect(older!.body).toContain('Old news 5')
    expect(newest!.body).toMatch(
      /^\*\*\[Click \\\[here\\\]\\\(javascript\\:alert\\\(1\\\)\\\) \\\*now\\\*\]\(http:\/\/harbour\.example\/posts\/\d+\)\*\*/,
    )
    const summary = newest!.body.split('\n\n')[1]!
    expect(summary.replace(/\\/g, '').length).toBeLessThanOrEqual(50)
    expect(summary.endsWith('…')).toBe(true)
    expect(newest!.body).not.toContain('<p>')
  })
})
