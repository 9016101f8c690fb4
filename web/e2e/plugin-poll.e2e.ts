// The built-in poll plugin between two people, each in their own Chromium profile, on the real relay:
// a poll sent with /poll shows as a card for both, votes from both converge to the same counts on
// both screens, and voting again replaces a vote (one vote per member, held by every peer's gate).
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { castOnRelay } from './app/cast'
import { founder, joinWith } from './app/manage-steps'
import { messages, send, unnamedControls } from './app/steps'

const cast = castOnRelay(['alice', 'bob'])

/** The poll card in the chat (a region named after its question). */
const pollCard = (page: Page): Locator =>
  page.getByRole('log', { name: 'Messages in general' }).getByRole('region', { name: 'Poll: Lunch?' })

/** What a person reads on the card: each option's button name, then the status line. */
async function readPoll(page: Page): Promise<string[]> {
  const card = pollCard(page)
  const options = await card.getByRole('listitem').getByRole('button').all()
  const names = await Promise.all(options.map((b) => b.getAttribute('aria-label')))
  return [
    ...names.map((n) => (n ?? '').replace(/, your vote$/, '')),
    await card.getByRole('status').innerText(),
  ]
}

const option = (page: Page, name: string) =>
  pollCard(page).getByRole('button', { name: new RegExp(`^${name}, \\d+ votes?`) })

describe('plugin: poll', () => {
  it('poll votes from two people converge', async () => {
    const a = cast.person('alice').page
    const b = cast.person('bob').page
    const link = await founder(a, 'Alice Quillfeather', 'Lunch club')
    await joinWith(b, link, 'Bob Ravensworth')

    await send(a, '/poll Lunch? | Pizza | Soup')
    for (const page of [a, b]) await pollCard(page).waitFor({ timeout: 20_000 })
    // The body is written for members without the plugin: where the card is drawn it stands in
    // for it, so the poll is not shown twice.
    expect(
      await messages(b)
        .filter({ has: b.getByRole('region', { name: 'Poll: Lunch?' }) })
        .textContent(),
    ).not.toContain('📊 Lunch?')

    await option(a, 'Pizza').click()
    await option(b, 'Soup').click()
    const split = ['Pizza, 1 vote', 'Soup, 1 vote', '2 people voted']
    for (const page of [a, b]) await expect.poll(() => readPoll(page), { timeout: 20_000 }).toEqual(split)
    expect(await option(a, 'Pizza').getAttribute('aria-pressed')).toBe('true')
    expect(await option(b, 'Soup').getAttribute('aria-pressed')).toBe('true')

    // Bob changes his mind: his vote moves, it is not added.
    await option(b, 'Pizza').click()
    const moved = ['Pizza, 2 votes', 'Soup, 0 votes', '2 people voted']
    for (const page of [a, b]) await expect.poll(() => readPoll(page), { timeout: 20_000 }).toEqual(moved)
    expect(await option(b, 'Soup').getAttribute('aria-pressed')).toBe('false')

    // Clicking the same option again changes nothing either.
    await option(a, 'Pizza').click()
    await option(b, 'Pizza').click()
    for (const page of [a, b]) await expect.poll(() => readPoll(page), { timeout: 20_000 }).toEqual(moved)
    expect(await unnamedControls(a)).toEqual([])
  })
})
