// The creator story of the built-in calendar plugin, two people on the real relay, each in their own
// Chromium profile: Alice (the group's owner, so she holds the calendar's point) adds a Calendar panel
// and creates a weekly live stream and a soundcheck a few minutes away; Bob, a fan without the point,
// sees them in the group's sidebar and on the Upcoming page, cannot create events, answers "Going" (Alice
// sees the count), downloads the .ics files (parsed back with ical.js), and gets the soundcheck's
// reminder as a notification shown through the service worker (observed with getNotifications()).
import { readFileSync } from 'node:fs'
import ICAL from 'ical.js'
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { castOnRelay } from './app/cast'
import { backToGroup, founder, joinWith, openSettings, panelLink } from './app/manage-steps'
import { serviceWorkerReady, unnamedControls } from './app/steps'

const cast = castOnRelay(['alice', 'bob'])

const panel = (page: Page): Locator => page.getByRole('region', { name: 'streams' })
const event = (page: Page, title: string): Locator =>
  panel(page).getByRole('list', { name: 'Events' }).getByRole('article', { name: title })

/** A datetime-local value `minutes` from now on the page's own clock and zone. */
const localInput = (page: Page, minutes: number) =>
  page.evaluate((m) => {
    const d = new Date(Date.now() + m * 60_000)
    return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16)
  }, minutes)

async function createEvent(
  page: Page,
  fields: { title: string; start?: number; weekly?: boolean; link?: string },
) {
  await panel(page).getByRole('button', { name: 'New event' }).click()
  const form = panel(page).getByRole('form', { name: 'New event' })
  await form.getByLabel('Title').fill(fields.title)
  if (fields.start !== undefined) {
    await form.getByLabel('Starts').fill(await localInput(page, fields.start))
    await form.getByLabel('Ends').fill(await localInput(page, fields.start + 30))
  }
  if (fields.weekly) await form.getByLabel('Repeats every week').check()
  if (fields.link) await form.getByLabel('Link (stream, meeting)').fill(fields.link)
  await form.getByRole('button', { name: 'Save event' }).click()
  await event(page, fields.title).waitFor()
}

async function downloadText(page: Page, click: () => Promise<void>): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()])
  return readFileSync((await download.path())!, 'utf8')
}

const vevents = (ics: string) =>
  new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent').map((c) => new ICAL.Event(c))

describe('plugin: calendar', () => {
  it('a creator’s weekly stream reaches a fan: sidebar, Upcoming, RSVP, .ics and a reminder', async () => {
    const a = cast.person('alice').page
    const b = cast.person('bob').page
    await cast.person('bob').context.grantPermissions(['notifications'], { origin: cast.relay.url })
    const link = await founder(a, 'Alice Streamer', 'Fan club')
    await joinWith(b, link, 'Bob Fan')
    await serviceWorkerReady(b)

    await openSettings(a, 'Panels')
    const form = a.getByRole('form', { name: 'Create panel' })
    await form.getByLabel('Panel name').fill('streams')
    await form.getByLabel('Type').selectOption({ label: 'Calendar (plugin Calendar)' })
    await form.getByRole('button', { name: 'Create panel' }).click()
    await backToGroup(a)
    await panelLink(a, 'streams', '🧩').click()
    // Three hours ahead: the form's default start (the next full hour) would fall before the
    // soundcheck when the test runs in the last minutes of an hour.
    await createEvent(a, {
      title: 'Friday live stream',
      start: 180,
      weekly: true,
      link: 'https://live.example/alice',
    })
    await createEvent(a, { title: 'Soundcheck', start: 6 })

    // Bob sees both in the group's sidebar, soonest first.
    const sidebar = b.getByRole('region', { name: 'Upcoming events' })
    await expect
      .poll(() => sidebar.getByRole('button').allInnerTexts(), { timeout: 20_000 })
      .toEqual([expect.stringContaining('Soundcheck'), expect.stringContaining('Friday live stream')])

    // …and on the Upcoming page, with the group and panel named.
    await b.getByRole('navigation', { name: 'Chats' }).getByRole('link', { name: 'Upcoming' }).click()
    await b.getByRole('heading', { name: 'Upcoming', level: 1 }).waitFor()
    // A weekly event is listed once a week: the first of them.
    const listed = b.getByRole('article', { name: 'Friday live stream' }).first()
    await expect.poll(() => listed.innerText()).toContain('Fan club · streams')
    await listed.getByRole('button', { name: 'Open · Friday live stream' }).click()

    // Bob holds no point: no "New event", and the panel says who can add events.
    await event(b, 'Friday live stream').waitFor()
    expect(await panel(b).getByRole('button', { name: 'New event' }).count()).toBe(0)
    await panel(b).getByText('Only roles with “Create calendar events” can add events here.').waitFor()
    expect((await event(b, 'Friday live stream').innerText()).match(/Every \w+day at/)).not.toBeNull()

    // RSVP: Bob is going to both; Alice sees the count.
    for (const title of ['Friday live stream', 'Soundcheck'])
      await event(b, title).getByRole('button', { name: 'Going', exact: true }).click()
    await expect
      .poll(() => event(a, 'Friday live stream').innerText(), { timeout: 20_000 })
      .toContain('1 going · 0 maybe · 0 not going')
    expect(
      await event(b, 'Soundcheck')
        .getByRole('button', { name: 'Going', exact: true })
        .getAttribute('aria-pressed'),
    ).toBe('true')

    // The soundcheck starts within Bob's 10-minute reminder: the service worker shows it.
    const notes = () =>
      b.evaluate(async () => {
        const reg = await navigator.serviceWorker.ready
        return (await reg.getNotifications()).map((n) => ({ title: n.title, body: n.body }))
      })
    await expect
      .poll(notes, { timeout: 20_000 })
      .toEqual([{ title: 'Soundcheck', body: expect.stringContaining('Fan club · streams') }])

    // .ics: one event, then the whole panel, parsed back.
    const one = await downloadText(b, () =>
      event(b, 'Friday live stream')
        .getByRole('button', { name: 'Download .ics · Friday live stream' })
        .click(),
    )
    const [stream] = vevents(one)
    expect(stream!.summary).toBe('Friday live stream')
    expect(stream!.isRecurring()).toBe(true)
    expect(stream!.component.getFirstPropertyValue('url')).toBe('https://live.example/alice')
    const all = await downloadText(b, () =>
      panel(b).getByRole('button', { name: 'Export calendar (.ics)' }).click(),
    )
    expect(
      vevents(all)
        .map((e) => e.summary)
        .sort(),
    ).toEqual(['Friday live stream', 'Soundcheck'])
    expect(await unnamedControls(b)).toEqual([])
  })
})
