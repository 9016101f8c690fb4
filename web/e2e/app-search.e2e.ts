// Local search in the built app, through the real relay: Alice has two groups, Bob is in one of them.
// Alice's search finds messages across both groups (with group, panel, author and the matched words
// marked), the panel and author filters narrow the results, a message that arrives while the search
// view is open shows up in it, and clicking a result opens the panel at that message (highlighted,
// scrolled into view though newer messages came after it).
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { castOnRelay } from './app/cast'
import { joinWith } from './app/manage-steps'
import { chooseNickname, copyInviteLink, createGroup, messages, send, serviceWorkerReady } from './app/steps'

const cast = castOnRelay(['alice', 'bob'])
let a: Page
let b: Page

beforeAll(() => {
  a = cast.person('alice').page
  b = cast.person('bob').page
})

/** Waits until `p` shows `text` in the open panel and it is no longer pending. */
async function delivered(p: Page, text: string): Promise<void> {
  const item = messages(p).filter({ hasText: text })
  await item.waitFor({ timeout: 15_000 })
  await item.getByText('Pending', { exact: true }).waitFor({ state: 'detached', timeout: 15_000 })
}

const results = (p: Page) =>
  p.getByRole('list').filter({ has: p.getByRole('link', { name: /^Open message/ }) })
const resultLinks = (p: Page) => p.getByRole('link', { name: /^Open message/ })

describe('search', () => {
  it('finds messages across two groups and narrows by panel and author', async () => {
    await a.goto('/')
    await chooseNickname(a, 'Alice')
    await serviceWorkerReady(a)
    await createGroup(a, 'Harbour crew')
    await send(a, 'The lighthouse lamp needs new oil')
    await delivered(a, 'The lighthouse lamp needs new oil')
    const link = await copyInviteLink(a)

    await joinWith(b, link, 'Bob')
    await b.getByRole('heading', { name: '# general', level: 1 }).waitFor()
    await send(b, 'I will bring lamp oil tomorrow')
    await delivered(b, 'I will bring lamp oil tomorrow')
    await messages(a).filter({ hasText: 'I will bring lamp oil tomorrow' }).waitFor({ timeout: 15_000 })
    // Newer messages after Bob's, so that jumping to it has to scroll.
    for (let i = 1; i <= 25; i++) await send(a, `Tide table entry number ${i}`)
    await delivered(a, 'Tide table entry number 25')

    await a.getByRole('link', { name: 'Tailmesh home' }).click()
    await createGroup(a, 'Garden club')
    await send(a, 'Tomatoes need a lamp in winter')
    await delivered(a, 'Tomatoes need a lamp in winter')

    await a.getByRole('link', { name: 'Search', exact: true }).click()
    await a.getByRole('heading', { name: 'Search messages', level: 1 }).waitFor()
    await a.getByRole('searchbox', { name: 'Search for' }).fill('lamp')
    await expect.poll(() => resultLinks(a).count(), { timeout: 15_000 }).toBe(3)
    await a.getByRole('status').filter({ hasText: '3 results' }).waitFor()
    const texts = await resultLinks(a).allInnerTexts()
    expect(texts.some((t) => t.includes('Garden club › #general'))).toBe(true)
    expect(texts.filter((t) => t.includes('Harbour crew › #general'))).toHaveLength(2)
    // The matched word is marked in each excerpt.
    expect(await results(a).locator('mark').allInnerTexts()).toEqual(['lamp', 'lamp', 'lamp'])

    // Two words: both must match.
    await a.getByRole('searchbox', { name: 'Search for' }).fill('lamp oil')
    await expect.poll(() => resultLinks(a).count()).toBe(2)

    // Panel filter: the garden club's general only.
    await a.getByRole('searchbox', { name: 'Search for' }).fill('lamp')
    await a.getByRole('combobox', { name: 'Panel' }).selectOption({ label: 'Garden club › #general' })
    await expect.poll(() => resultLinks(a).count()).toBe(1)
    await expect.poll(() => resultLinks(a).first().innerText()).toContain('Tomatoes need a lamp')
    await a.getByRole('combobox', { name: 'Panel' }).selectOption({ label: 'All panels' })
    await expect.poll(() => resultLinks(a).count()).toBe(3)

    // Author filter: Bob's message only.
    await a.getByRole('combobox', { name: 'Author' }).selectOption({ label: 'Bob' })
    await expect.poll(() => resultLinks(a).count()).toBe(1)
    await expect.poll(() => resultLinks(a).first().innerText()).toContain('I will bring lamp oil tomorrow')
    await a.getByRole('combobox', { name: 'Author' }).selectOption({ label: 'Anyone' })
    await expect.poll(() => resultLinks(a).count()).toBe(3)
  })

  it('a message that arrives while the search is open shows up in it', async () => {
    await send(b, 'Found a spare lamp wick in the shed')
    await expect.poll(() => resultLinks(a).count(), { timeout: 15_000 }).toBe(4)
    await expect
      .poll(() => resultLinks(a).allInnerTexts(), { timeout: 15_000 })
      .toContainEqual(expect.stringContaining('Found a spare lamp wick'))
  })

  it('clicking a result opens its panel at the message, highlighted', async () => {
    await a.getByRole('combobox', { name: 'Author' }).selectOption({ label: 'Bob' })
    await a.getByRole('searchbox', { name: 'Search for' }).fill('tomorrow')
    await expect.poll(() => resultLinks(a).count()).toBe(1)
    await resultLinks(a).first().click()
    await a.getByRole('heading', { name: '# general', level: 1 }).waitFor()
    const target = a.locator('.msg.highlighted', { hasText: 'I will bring lamp oil tomorrow' })
    await target.waitFor({ timeout: 10_000 })
    await expect.poll(() => target.isVisible()).toBe(true)
    // In view: the list scrolled back past the 25 newer messages.
    const inView = await target.evaluate((el) => {
      const r = el.getBoundingClientRect()
      return r.bottom > 0 && r.top < window.innerHeight
    })
    expect(inView).toBe(true)
    expect(a.url()).toContain('m=')

    // Back returns to the same search.
    await a.goBack()
    await a.getByRole('heading', { name: 'Search messages', level: 1 }).waitFor()
    expect(await a.getByRole('searchbox', { name: 'Search for' }).inputValue()).toBe('tomorrow')
    await expect.poll(() => resultLinks(a).count()).toBe(1)
  })
})
