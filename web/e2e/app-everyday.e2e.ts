// Issue 21's everyday features, as Alice (owner), Bob and Alice's laptop (a linked device) use them in
// real Chromium through the real relay. One story, in order: each test starts where the last ended.
// - the group's description on Bob's join page and in the group header; an avatar uploaded as a file;
// - Alice pins a message; Bob sees it under "Pinned messages" and has no Pin action (no pinMessage);
// - Bob saves a message and finds it under Saved; Alice forwards one to #random, with its origin;
// - Ctrl+K quick switcher, Alt+↑/↓ between panels, "?" lists the shortcuts, ↑ edits the last message;
// - a sound (WebAudio, counted in the page) for a message in another panel, none in Do Not Disturb;
// - "Install app" once the browser offers it;
// - the laptop, linked by a pairing code, follows Alice's read marks and saved messages.
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { castOnRelay } from './app/cast'
import {
  acceptDialogs,
  backToGroup,
  founder,
  joinFromScreen,
  openSettings,
  panelLink,
} from './app/manage-steps'
import { chooseNickname, messageAction, messages, moreActions, openFromAccountMenu, send } from './app/steps'

const ALICE = 'Alice Everyday'
const BOB = 'Bob Everyday'
const GROUP = 'Everyday crew'
const DESCRIPTION = 'Tide tables, boats and coffee'

const cast = castOnRelay(['alice', 'bob', 'laptop'])
let a: Page
let b: Page
let l: Page

beforeAll(async () => {
  ;[a, b, l] = cast.people.map((p) => p.page) as [Page, Page, Page]
  for (const p of [a, b, l]) acceptDialogs(p)
  // Count the notification chime's oscillators (two per chime) in Bob's page.
  await cast.person('bob').context.addInitScript(() => {
    const w = window as unknown as { oscillators: number }
    w.oscillators = 0
    const create = AudioContext.prototype.createOscillator
    AudioContext.prototype.createOscillator = function (this: AudioContext) {
      w.oscillators++
      return create.call(this)
    }
  })
})

const message = (p: Page, text: string, panel = 'general') => messages(p, panel).filter({ hasText: text })
const oscillators = (p: Page) => p.evaluate(() => (window as unknown as { oscillators: number }).oscillators)

describe('everyday features', () => {
  it('the description shows on the join page and in the header; an avatar uploaded as a file', async () => {
    const link = await founder(a, ALICE, GROUP)
    await openSettings(a)
    await a.getByLabel('Description').fill(DESCRIPTION)
    await a
      .getByRole('region', { name: 'Group information' })
      .getByRole('button', { name: 'Save', exact: true })
      .click()
    await a
      .getByRole('navigation', { name: 'Settings sections' })
      .getByRole('link', { name: 'Panels' })
      .click()
    await a.getByLabel('Panel name').fill('random')
    await a.getByRole('button', { name: 'Create panel' }).click()
    await backToGroup(a)
    await a.getByText(DESCRIPTION).waitFor()

    await b.goto(link)
    await chooseNickname(b, BOB)
    await b.getByText(DESCRIPTION).waitFor({ timeout: 20_000 })
    await joinFromScreen(b)
    await b.getByRole('navigation', { name: 'Panels' }).getByText(DESCRIPTION).waitFor()
  })

  it('Alice pins a message; Bob sees it under Pinned messages and cannot pin', async () => {
    await send(a, 'Rule one: be kind')
    await messageAction(message(a, 'Rule one'), 'Pin message')
    await expect.poll(() => moreActions(message(a, 'Rule one'))).toContain('Unpin message')

    await message(b, 'Rule one').waitFor({ timeout: 20_000 })
    expect(await moreActions(message(b, 'Rule one'))).not.toContain('Pin message')
    await b.getByRole('button', { name: 'Pinned messages' }).click()
    const list = b.getByRole('dialog', { name: 'Pinned messages in #general' })
    await list.getByText('Rule one: be kind').waitFor({ timeout: 20_000 })
    await list.getByText(`Pinned by ${ALICE}`).waitFor()
    expect(await list.getByRole('button', { name: 'Unpin message' }).count()).toBe(0)
    await b.keyboard.press('Escape')
    await list.waitFor({ state: 'detached' })
    expect(await b.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Pinned messages')
  })

  it('Bob saves a message and finds it under Saved; Alice forwards one to #random', async () => {
    await send(b, 'Low tide at 6:40')
    await messageAction(message(b, 'Low tide'), 'Save message')
    await expect.poll(() => moreActions(message(b, 'Low tide'))).toContain('Remove from saved')
    await b.getByRole('link', { name: 'Saved', exact: true }).click()
    await b.getByRole('heading', { name: 'Saved messages' }).waitFor()
    await b.getByText('Low tide at 6:40').waitFor()
    await b.getByRole('link', { name: 'Open in #general' }).click()
    await b.getByRole('heading', { name: '# general', level: 1 }).waitFor()

    await message(a, 'Low tide').waitFor({ timeout: 20_000 })
    await messageAction(message(a, 'Low tide'), 'Forward')
    const dialog = a.getByRole('dialog', { name: 'Forward message' })
    await dialog.getByRole('combobox', { name: 'Forward to' }).fill('rand')
    await dialog.getByRole('option', { name: /#random/ }).waitFor()
    await a.keyboard.press('Enter')
    await dialog.waitFor({ state: 'detached' })
    await panelLink(a, 'random').click()
    const forwarded = message(a, 'Low tide at 6:40', 'random')
    await forwarded.getByText(`Forwarded from ${BOB} in #general`).waitFor({ timeout: 20_000 })
  })

  it('Ctrl+K switches panels, Alt+↑/↓ move between them, ? lists the shortcuts, ↑ edits my last', async () => {
    await a.keyboard.press('Control+k')
    const switcher = a.getByRole('dialog', { name: 'Quick switcher' })
    await switcher.getByRole('combobox', { name: 'Where to?' }).fill('gnrl')
    await switcher.getByRole('option', { name: /#general/ }).waitFor()
    await a.keyboard.press('Enter')
    await a.getByRole('heading', { name: '# general', level: 1 }).waitFor()
    await switcher.waitFor({ state: 'detached' })

    await a.keyboard.press('Alt+ArrowDown')
    await a.getByRole('heading', { name: '# random', level: 1 }).waitFor()
    await a.keyboard.press('Alt+ArrowUp')
    await a.getByRole('heading', { name: '# general', level: 1 }).waitFor()

    await a.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
    await a.keyboard.press('?')
    const help = a.getByRole('dialog', { name: 'Keyboard shortcuts' })
    await help.getByText('Open the quick switcher').waitFor()
    await a.keyboard.press('Escape')
    await help.waitFor({ state: 'detached' })

    const box = a.getByRole('textbox', { name: 'Message #general' })
    await box.focus()
    await a.keyboard.press('ArrowUp')
    const edit = a.getByRole('textbox', { name: 'Edit message' })
    expect(await edit.inputValue()).toBe('Rule one: be kind')
    await edit.fill('Rule one: be very kind')
    await edit.press('Enter')
    await message(b, 'Rule one: be very kind').waitFor({ timeout: 20_000 })
  })

  it('Bob hears a chime for a message in another panel, and none in Do Not Disturb', async () => {
    const before = await oscillators(b)
    await panelLink(a, 'random').click()
    await send(a, 'Boat leaves at noon', 'random')
    await panelLink(b, 'random').filter({ hasText: 'unread' }).waitFor({ timeout: 20_000 })
    await expect.poll(() => oscillators(b), { timeout: 20_000 }).toBeGreaterThan(before)

    await openFromAccountMenu(b, 'Settings')
    await b.getByRole('checkbox', { name: 'Do Not Disturb (no sounds)' }).check()
    const quiet = await oscillators(b)
    await send(a, 'Quiet please', 'random')
    await b.goBack()
    await panelLink(b, 'random').click()
    await message(b, 'Quiet please', 'random').waitFor({ timeout: 20_000 })
    expect(await oscillators(b)).toBe(quiet)
  })

  it('"Install app" shows while the browser offers it and hands the offer back', async () => {
    // Headless Chromium may make a real offer already; the test's own offer replaces it.
    await a.evaluate(() => {
      const offer = new Event('beforeinstallprompt', { cancelable: true }) as Event & {
        prompt(): Promise<void>
      }
      offer.prompt = async () => {
        ;(window as unknown as { prompted: boolean }).prompted = true
      }
      window.dispatchEvent(offer)
    })
    await a.getByRole('button', { name: 'Install app' }).click()
    expect(await a.evaluate(() => (window as unknown as { prompted?: boolean }).prompted)).toBe(true)
    await a.getByRole('button', { name: 'Install app' }).waitFor({ state: 'detached' })
  })

  it('the laptop, linked to Alice, follows her read marks and saved messages', async () => {
    await l.goto('/')
    await l.getByLabel('Name for this device').fill('Laptop')
    await l.getByRole('button', { name: 'Show a pairing code' }).click()
    const code = (await l.getByTestId('pairing-code').textContent())!.trim()
    await openFromAccountMenu(a, 'Devices')
    await a.getByLabel('Pairing code shown on the new device').fill(code)
    await a.getByRole('button', { name: 'Link device' }).click()
    await a
      .getByRole('dialog', { name: 'Link this device?' })
      .getByRole('button', { name: 'Link it' })
      .click()
    await l.getByText(`Signed in as ${ALICE}`).waitFor({ timeout: 30_000 })

    // The laptop opens the group (it lands on #general) and moves to #random; then Bob writes in
    // #general while Alice is away from it on both of her devices.
    await l
      .getByRole('navigation', { name: 'Chats' })
      .getByRole('link', { name: new RegExp(GROUP) })
      .click()
    await panelLink(l, 'random').click()
    await l.getByRole('heading', { name: '# random', level: 1 }).waitFor()
    await panelLink(b, 'general').click()
    await send(b, 'Anyone for coffee?')
    await panelLink(l, 'general').filter({ hasText: 'unread' }).waitFor({ timeout: 30_000 })

    // Alice reads it on her first device: the laptop's mark follows through her self topic.
    await a.goBack()
    await panelLink(a, 'general').click()
    await message(a, 'Anyone for coffee?').waitFor({ timeout: 20_000 })
    await expect
      .poll(() => panelLink(l, 'general').textContent(), { timeout: 30_000 })
      .not.toContain('unread')

    // And a message she saves there is in the laptop's Saved list.
    await messageAction(message(a, 'Anyone for coffee?'), 'Save message')
    await l.getByRole('link', { name: 'Saved', exact: true }).click()
    await l.getByText('Anyone for coffee?').waitFor({ timeout: 30_000 })
  })
})
