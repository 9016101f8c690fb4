// The built-in notifications plugin in the built app, two people on the real relay: while Bob's tab is
// hidden, Alice's mention of him raises a Web Notification (the browser's own Notification, permission
// granted to Bob's profile; the test only records what was shown), and a message that does not mention
// him raises none; with the tab visible, a mention shows nothing. (DMs follow the same rule: rules.test.)
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { castOnRelay } from './app/cast'
import { founder, joinWith } from './app/manage-steps'
import { send } from './app/steps'

const ALICE = 'Alice Quillfeather'
const BOB = 'Bob Ravensworth'
const GROUP = 'Night shift'

const cast = castOnRelay(['alice', 'bob'])
let a: Page
let b: Page

interface Shown {
  title: string
  body: string
}

beforeAll(async () => {
  ;[a, b] = cast.people.map((p) => p.page) as [Page, Page]
  await cast.person('bob').context.grantPermissions(['notifications'], { origin: cast.relay.url })
  // Bob's page records each notification it shows: still the browser's Notification, subclassed.
  await cast.person('bob').context.addInitScript(() => {
    const Real = window.Notification
    const shown: { title: string; body: string }[] = []
    ;(window as unknown as { shownNotifications: typeof shown }).shownNotifications = shown
    window.Notification = class extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options)
        shown.push({ title, body: options?.body ?? '' })
      }
    } as typeof Notification
  })
})

/** A message mentioning Bob, chosen from the composer's suggestions as a person does. */
async function mentionBob(p: Page, text: string): Promise<void> {
  const box = p.getByRole('textbox', { name: 'Message #general' })
  await box.click()
  await box.pressSequentially('@Rav')
  await p
    .getByRole('listbox', { name: 'Suggestions' })
    .getByRole('option', { name: `@${BOB}` })
    .waitFor()
  await box.press('Tab')
  await box.pressSequentially(text)
  await box.press('Enter')
}

const shown = (p: Page): Promise<Shown[]> =>
  p.evaluate(() => (window as unknown as { shownNotifications: Shown[] }).shownNotifications)

/** What a person does by switching to another tab: the page becomes hidden. */
const hide = (p: Page, hidden: boolean) =>
  p.evaluate((h) => {
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => (h ? 'hidden' : 'visible'),
    })
    document.dispatchEvent(new Event('visibilitychange'))
  }, hidden)

describe('desktop notifications (built-in plugin)', () => {
  it('a mention while Bob’s tab is hidden raises a notification; other messages and a visible tab do not', async () => {
    const link = await founder(a, ALICE, GROUP)
    await joinWith(b, link, BOB)
    await b.reload()
    await b.getByRole('heading', { name: '# general', level: 1 }).waitFor({ timeout: 15_000 })
    expect(await b.evaluate(() => Notification.permission)).toBe('granted')

    // Visible: a mention shows nothing.
    await mentionBob(a, 'seen while you look')
    await b.getByText('seen while you look').waitFor({ timeout: 15_000 })
    await hide(b, true)
    await send(a, 'no mention in this one')
    await mentionBob(a, 'the lamp needs you')
    await expect.poll(() => shown(b), { timeout: 15_000 }).toHaveLength(1)
    expect(await shown(b)).toEqual([
      { title: `${ALICE} · ${GROUP} #general`, body: `@${BOB} the lamp needs you` },
    ])
    await hide(b, false)
  })
})
