// The RSS bot's posts reach a person in the browser. Alice, in Chromium, creates a group and copies
// an invite link through the UI; the RSS bot (a headless Node peer: @tailmesh/bot-kit + rss-bot)
// joins with exactly that link through the same real relay process that serves the app, reads a
// feed served on localhost and posts its items: Alice sees them in her chat, from the bot, with the
// title as a link — and a later item arrives live.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Bot } from '@tailmesh/bot-kit'
import { RssBot } from '@tailmesh/rss-bot'
import { item, serveFeed, type FeedServer } from '@tailmesh/rss-bot/test/feed-server'
import { castOnRelay } from './app/cast'
import { chooseNickname, copyInviteLink, createGroup, messages } from './app/steps'

const cast = castOnRelay(['alice'])
let feed: FeedServer
let bot: Bot | null = null
let rss: RssBot | null = null
const botDir = mkdtempSync(join(tmpdir(), 'tailmesh-rss-e2e-'))

beforeAll(async () => {
  feed = await serveFeed('rss')
})
afterAll(async () => {
  await rss?.stop()
  await bot?.stop()
  await feed?.close()
  rmSync(botDir, { recursive: true, force: true })
})

describe('RSS bot and a person in the browser', () => {
  it("the RSS bot joins by Alice's invite link and its posts appear in her chat", async () => {
    const page = cast.person('alice').page
    await page.goto('/')
    await chooseNickname(page, 'Alice Quillfeather')
    await createGroup(page, 'Harbour watch')
    const link = await copyInviteLink(page)

    feed.items.unshift(item('Ferry timetable changes', '<p>The <b>early</b> ferry leaves at 6:40.</p>'))
    feed.items.unshift(item('Lighthouse repainted'))
    bot = await Bot.start({ dataDir: botDir, relay: cast.relay.url, name: 'Harbour feed' })
    const { groupId } = await bot.join(link)
    // Alice sees the bot join, under the name it chose.
    await page
      .getByRole('region', { name: 'Members' })
      .getByRole('listitem')
      .filter({ hasText: 'Harbour feed' })
      .waitFor({ timeout: 15_000 })

    rss = new RssBot(bot, { feedUrl: feed.url, groupId, panel: 'general', intervalMs: 250 })
    expect((await rss.poll()).posted).toHaveLength(2)

    const ferry = messages(page).filter({ hasText: 'Ferry timetable changes' })
    await ferry.waitFor({ timeout: 15_000 })
    // From the bot, the title a link to the item, the summary as plain text (the feed's HTML gone).
    await expect.poll(() => ferry.textContent()).toContain('Harbour feed')
    const title = ferry.getByRole('link', { name: 'Ferry timetable changes' })
    expect(await title.getAttribute('href')).toMatch(/^http:\/\/harbour\.example\/posts\/\d+$/)
    await expect.poll(() => ferry.textContent()).toContain('The early ferry leaves at 6:40.')
    await messages(page).filter({ hasText: 'Lighthouse repainted' }).waitFor()
    // Oldest item first, as the feed dated them.
    const texts = await messages(page).allTextContents()
    const at = (t: string) => texts.findIndex((x) => x.includes(t))
    expect(at('Ferry timetable changes')).toBeLessThan(at('Lighthouse repainted'))

    // The bot keeps polling: a new item shows up in the open chat without a reload.
    rss.start()
    feed.items.unshift(item('Storm warning for tonight'))
    await messages(page).filter({ hasText: 'Storm warning for tonight' }).waitFor({ timeout: 15_000 })
    // Each item once.
    const all = await messages(page).allTextContents()
    for (const t of ['Ferry timetable changes', 'Lighthouse repainted', 'Storm warning for tonight'])
      expect(all.filter((x) => x.includes(t))).toHaveLength(1)
  })
})
