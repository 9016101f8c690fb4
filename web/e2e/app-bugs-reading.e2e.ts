// Reading bugs of issue 21, two people in their own Chromium profiles on the real relay: a panel with
// many unread messages opens at the first unread one with the divider in view, and at the newest when
// nothing is unread (bug 2); a name typed in full after @ is a mention, and only real mentions are
// chips (bug 3); a #panel picked from the completion is a link to the panel (bug 4); a poll shows once,
// as its card (bug 9).
//
// One story, in order: each test starts where the previous one ended.
import type { Locator, Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { castOnRelay } from './app/cast'
import { founder, joinWith, panelLink } from './app/manage-steps'
import { messages, send } from './app/steps'

const ALICE = 'Alice Quillfeather'
const BOB = 'Bob Ravensworth'
const GROUP = 'Reading room'
const UNREAD = 40
const LAST = 'Last unread marker zebra'

const cast = castOnRelay(['alice', 'bob'])
let a: Page
let b: Page

beforeAll(() => {
  ;[a, b] = cast.people.map((p) => p.page) as [Page, Page]
})

const message = (p: Page, text: string): Locator =>
  messages(p).filter({ has: p.locator('.body', { hasText: text }) })
const log = (p: Page) => p.getByRole('log', { name: 'Messages in general' })

/** Whether `item` is wholly inside the message list's visible area. */
async function inView(p: Page, item: Locator): Promise<boolean> {
  const box = await log(p).boundingBox()
  const r = await item.boundingBox()
  return !!box && !!r && r.y >= box.y - 1 && r.y + r.height <= box.y + box.height + 1
}

async function goHome(p: Page): Promise<void> {
  await p.getByRole('link', { name: 'Tailmesh home' }).click()
  await p.getByRole('heading', { name: 'Your groups' }).waitFor()
}

describe('reading bugs', () => {
  it('a panel with many unread messages opens at the first of them, the divider in view', async () => {
    const link = await founder(a, ALICE, GROUP)
    await send(a, 'Read before the break')
    await joinWith(b, link, BOB)
    await message(b, 'Read before the break').waitFor({ timeout: 15_000 })
    await goHome(b)
    const box = a.getByRole('textbox', { name: 'Message #general' })
    for (let i = 1; i <= UNREAD; i++) {
      await box.fill(`Unread number ${i}\nsecond line of ${i}`)
      await box.press('Enter')
    }
    await send(a, LAST)
    await message(a, LAST).waitFor({ timeout: 15_000 })
    // Bob's device has them all before he opens the group: his search finds the last one.
    await b.getByRole('link', { name: 'Search', exact: true }).click()
    await b.getByRole('searchbox', { name: 'Search for' }).fill('zebra')
    await b.getByRole('status').filter({ hasText: '1 result' }).waitFor({ timeout: 20_000 })
    await goHome(b)
    await b.getByRole('link', { name: GROUP }).first().click()
    const first = messages(b).filter({
      has: b.locator('.body', { hasText: /Unread number 1\s+second line of 1\s*$/ }),
    })
    const divider = log(b).getByText('New messages')
    await divider.waitFor({ timeout: 15_000 })
    await expect.poll(() => inView(b, divider), { timeout: 5_000 }).toBe(true)
    await first.waitFor()
    expect(await inView(b, first)).toBe(true)
    expect(await message(b, LAST).count()).toBe(0) // not even rendered: far below
    // The panel is not read yet: the reader has not seen the rest.
    await b.waitForTimeout(500)
    expect(await panelLink(b, 'general').textContent()).toContain('unread')
  })

  it('with nothing unread it opens at the newest message', async () => {
    await b.getByRole('button', { name: 'Jump to latest' }).click()
    const last = message(b, LAST)
    await last.waitFor()
    await expect.poll(() => panelLink(b, 'general').textContent()).not.toContain('unread')
    await goHome(b)
    await b.getByRole('link', { name: GROUP }).first().click()
    await last.waitFor({ timeout: 10_000 })
    await expect.poll(() => inView(b, last), { timeout: 5_000 }).toBe(true)
  })

  it('a name typed in full after @ is a mention; only real mentions are chips', async () => {
    await send(a, `Lamp duty tonight @${BOB} please`)
    await send(a, 'Ask @Nobody Known about the keys')
    const typed = message(b, 'Lamp duty tonight')
    await typed.waitFor({ timeout: 10_000 })
    await typed.getByText('Mentions you').waitFor()
    expect(await typed.locator('[data-mention="user"]').allInnerTexts()).toEqual([`@${BOB}`])
    const nobody = message(b, 'Ask @Nobody Known')
    await nobody.waitFor({ timeout: 10_000 })
    expect(await nobody.locator('[data-mention]').count()).toBe(0)
  })

  it('a #panel picked from the completion is a link to the panel', async () => {
    const box = a.getByRole('textbox', { name: 'Message #general' })
    await box.click()
    await box.pressSequentially('Minutes go in #gen')
    await a.getByRole('listbox', { name: 'Suggestions' }).getByRole('option', { name: '#general' }).waitFor()
    await box.press('Enter')
    await box.pressSequentially('from now on')
    await box.press('Enter')
    const row = message(b, 'Minutes go in')
    await row.waitFor({ timeout: 10_000 })
    const link = row.getByRole('link', { name: '#general' })
    await link.waitFor()
    const href = (await link.getAttribute('href')) ?? ''
    expect(b.url().endsWith(href)).toBe(true)
  })

  it('a poll shows once: its card, not its text as well', async () => {
    await send(a, '/poll Lunch? | Pizza | Soup')
    const card = log(b).getByRole('region', { name: 'Poll: Lunch?' })
    await card.waitFor({ timeout: 20_000 })
    const row = messages(b).filter({ has: b.getByRole('region', { name: 'Poll: Lunch?' }) })
    expect(await row.textContent()).not.toContain('📊 Lunch?')
  })
})
