// A long history in the built app: 1,200 messages over four weeks, seeded from Node through the real
// relay's mailbox (app/seed-history.ts), every seventh one two paragraphs tall. Alice joins and scrolls
// #history from the newest message to its start, paging back week by week: the message list renders
// only the rows near the viewport and recycles their elements for the rows scrolling in
// (chat/VirtualList.vue), and she still sees every message, each once, in order. A control she has
// focused stays on its own message when its row scrolls away.
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { castOnRelay } from './app/cast'
import { joinWith, panelLink } from './app/manage-steps'
import { seedHistory } from './app/seed-history'

const TOTAL = 1200
const cast = castOnRelay(['alice'])
let a: Page

const body = (i: number) =>
  i % 7 === 0 ? `Entry ${i} of the log\n\nwith a second paragraph` : `Entry ${i} of the log`

/** The message numbers the list shows now, top to bottom. */
const shown = (p: Page): Promise<number[]> =>
  p
    .getByRole('log', { name: 'Messages in history' })
    .evaluate((el) =>
      [...el.querySelectorAll('.msg .body')].map((b) =>
        Number(/Entry (\d+) /.exec(b.textContent ?? '')?.[1]),
      ),
    )

beforeAll(() => {
  a = cast.person('alice').page
})

describe('a long history', () => {
  it('Alice joins a group whose #history holds 1,200 messages over four weeks', async () => {
    const { link } = await seedHistory(cast.relay.url, { total: TOTAL, weeks: 4, body })
    await joinWith(a, link, 'Alice')
    await panelLink(a, 'history').click()
    await a.getByText(`Entry ${TOTAL - 1} of the log`).waitFor({ timeout: 30_000 })
  })

  it('scrolling to the start shows every message once, in order', async () => {
    const log = a.getByRole('log', { name: 'Messages in history' })
    const seen = new Set<number>()
    let first: number[] = []
    for (let step = 0; step < 2000; step++) {
      const rows = await shown(a)
      if (step === 0) first = rows
      // Consecutive, oldest first: no row missing, doubled, or showing another row's message.
      expect(rows.length).toBeGreaterThan(0)
      rows.forEach((n, i) => expect(n, `row ${i} of ${rows.join(',')}`).toBe(rows[0]! + i))
      for (const n of rows) seen.add(n)
      const done = await log.evaluate((el) => {
        const atStart = el.scrollTop === 0 && (el.textContent ?? '').includes('This is the start of #history')
        // Less than a screen at a time, so each screen overlaps the one before.
        el.scrollTop -= el.clientHeight * 0.7
        return atStart
      })
      if (done) break
      await a.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
    }
    expect(first).toContain(TOTAL - 1)
    expect(await shown(a)).toContain(0)
    expect(seen.size).toBe(TOTAL)
  })

  it('a focused control stays on its message when its row scrolls away', async () => {
    const log = a.getByRole('log', { name: 'Messages in history' })
    const row = a.locator('.msg').filter({ hasText: 'Entry 5 of the log' })
    await row.getByRole('button', { name: 'Reply' }).focus()
    const id = await row.getAttribute('data-message-id')
    // Down a little at a time until the row has long left the window: other rows scroll in and
    // out through the recycled elements.
    for (let step = 0; step < 40; step++) {
      await log.evaluate((el) => (el.scrollTop += 150))
      await a.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
      const focusedOn = await a.evaluate(
        () => document.activeElement?.closest('[data-message-id]')?.getAttribute('data-message-id') ?? null,
      )
      // On its own message, or on none (its row went): never on another message.
      expect([id, null]).toContain(focusedOn)
    }
    await a.getByRole('button', { name: 'Jump to latest' }).click()
    await a.getByText(`Entry ${TOTAL - 1} of the log`).waitFor()
  })
})
