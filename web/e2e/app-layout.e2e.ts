// The app's shell between two people in their own Chromium profiles, through the real relay: the
// left rail of groups (navigating between two), group templates (Community, Study group) with their
// panels, a panel pinned to the right with its own chat view (sending in both), the one-column
// layout of a narrow screen with its toggles (by keyboard), and system rows in the first text panel
// ("Bob joined through Alice's invite", "Bob was muted for 10 minutes") that both people see, also in
// Chinese, and that are not messages; the rail's unread mark.
//
// One story, in order: each test starts where the previous one ended.
import type { Locator, Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { castOnRelay } from './app/cast'
import { backToGroup, founder, joinWith, openSettings, panelLink } from './app/manage-steps'
import { chooseLanguage, messages, send } from './app/steps'

const ALICE = 'Alice Quillfeather'
const BOB = 'Bob Ravensworth'
const KEEPERS = 'Lighthouse keepers'
const COMMUNITY = 'Harbour community'
const STUDY = 'Tide tables study'

const cast = castOnRelay(['alice', 'bob'])
let a: Page
let b: Page

beforeAll(() => {
  ;[a, b] = cast.people.map((p) => p.page) as [Page, Page]
  for (const p of [a, b]) p.on('dialog', (d) => void d.accept())
})

const rail = (p: Page): Locator => p.getByRole('navigation', { name: 'Chats' })
const log = (p: Page, panel = 'general'): Locator => p.getByRole('log', { name: `Messages in ${panel}` })
const groupHeading = (p: Page, name: string): Locator => p.getByRole('heading', { name, level: 2 })

async function createFromTemplate(p: Page, name: string, template: RegExp): Promise<void> {
  await rail(p).getByRole('button', { name: 'Create group' }).click()
  const dialog = p.getByRole('dialog', { name: 'Create a group' })
  await dialog.getByLabel('Group name').fill(name)
  await dialog.getByRole('radio', { name: template }).check()
  await dialog.getByRole('button', { name: 'Create', exact: true }).click()
  await groupHeading(p, name).waitFor({ timeout: 15_000 })
}

describe('the shell: rail, templates, pinned panel, narrow screens, system rows', () => {
  it('Bob joins by invite: both see "Bob joined through Alice\'s invite" as a row that is not a message', async () => {
    const link = await founder(a, ALICE, KEEPERS)
    await send(a, 'Welcome aboard')
    await joinWith(b, link, BOB)
    const joined = `${BOB} joined through ${ALICE}'s invite`
    for (const p of [a, b]) {
      await log(p).getByText(joined).waitFor({ timeout: 20_000 })
      // Not an article (not a message: no actions, not counted), and it has its time.
      expect(await messages(p).filter({ hasText: 'joined through' }).count()).toBe(0)
      expect(await log(p).locator('.system-row time').count()).toBeGreaterThan(0)
    }
    // Alice's message came before the join, and stays a message.
    await messages(b).filter({ hasText: 'Welcome aboard' }).waitFor({ timeout: 20_000 })
  })

  it('Alice mutes Bob for 10 minutes: both see the row at its time', async () => {
    await openSettings(a, 'Members')
    await a.getByRole('combobox', { name: `Mute ${BOB} for` }).selectOption({ label: '10 minutes' })
    await a
      .getByRole('group', { name: `Moderate ${BOB}` })
      .getByRole('button', { name: 'Mute' })
      .click()
    await a.getByText(/^Muted until/).waitFor({ timeout: 10_000 })
    await backToGroup(a)
    for (const p of [a, b])
      await log(p).getByText(`${BOB} was muted for 10 minutes`).waitFor({ timeout: 20_000 })
    // The order is the order of events: the join before the mute.
    const rows = await log(b).locator('.system-row span').allTextContents()
    expect(rows).toEqual([`${BOB} joined through ${ALICE}'s invite`, `${BOB} was muted for 10 minutes`])
  })

  it('in Chinese, Bob sees the same rows and the rail in Chinese', async () => {
    await chooseLanguage(b, '中文')
    await b.getByRole('navigation', { name: '聊天' }).getByRole('button', { name: '创建群组' }).waitFor()
    const zhLog = b.getByRole('log', { name: /general/ })
    await zhLog.getByText(`${BOB} 通过 ${ALICE} 的邀请加入了群组`).waitFor()
    await zhLog.getByText(`${BOB} 被禁言 10 分钟`).waitFor()
    await chooseLanguage(b, 'English')
    await rail(b).waitFor()
  })

  it('a Community group from its template has its panels; the rail moves between the two groups', async () => {
    await createFromTemplate(a, COMMUNITY, /^Community/)
    for (const name of ['general', 'announcements', 'off-topic']) await panelLink(a, name).waitFor()
    await a.getByRole('navigation', { name: 'Panels' }).getByText('Resources').waitFor()
    await panelLink(a, 'Tailmesh guide', '🌐').waitFor()
    // Announcements is an announcement panel: in settings it carries the badge.
    await openSettings(a, 'Panels')
    await a
      .getByRole('listitem')
      .filter({ hasText: 'announcements' })
      .getByText('Announcement', { exact: true })
      .waitFor()
    await backToGroup(a)

    // The rail lists both groups; each link opens its group.
    await expect.poll(() => rail(a).getByRole('link', { name: KEEPERS }).count()).toBe(1)
    await rail(a).getByRole('link', { name: KEEPERS }).click()
    await groupHeading(a, KEEPERS).waitFor()
    expect(await rail(a).getByRole('link', { name: KEEPERS }).getAttribute('aria-current')).toBe('page')
    await rail(a).getByRole('link', { name: COMMUNITY }).click()
    await groupHeading(a, COMMUNITY).waitFor()
    await rail(a).getByRole('link', { name: 'Home' }).click()
    await a.getByRole('heading', { name: 'Your groups' }).waitFor()
    await rail(a).getByRole('link', { name: COMMUNITY }).click()
    await groupHeading(a, COMMUNITY).waitFor()
  })

  it('#off-topic pinned to the right has its own chat view: Alice sends in both, then unpins', async () => {
    await a.getByRole('button', { name: 'Options for off-topic' }).click()
    await a.getByRole('menuitem', { name: 'Pin to the right' }).click()
    const pinned = a.getByRole('region', { name: 'Pinned panel: #off-topic' })
    await pinned.waitFor()

    await send(a, 'Main view says hello')
    await send(a, 'Pinned view says hello', 'off-topic')
    await messages(a).filter({ hasText: 'Main view says hello' }).waitFor({ timeout: 10_000 })
    await messages(a, 'off-topic').filter({ hasText: 'Pinned view says hello' }).waitFor({ timeout: 10_000 })
    // Each view shows only its own panel's messages.
    expect(await messages(a).filter({ hasText: 'Pinned view' }).count()).toBe(0)
    expect(await messages(a, 'off-topic').filter({ hasText: 'Main view' }).count()).toBe(0)
    expect(await pinned.getByRole('log', { name: 'Messages in off-topic' }).count()).toBe(1)

    // The menu offers to unpin what is pinned; the pinned view's own button unpins too.
    await a.getByRole('button', { name: 'Options for off-topic' }).click()
    await a.getByRole('menuitem', { name: 'Unpin' }).waitFor()
    await a.keyboard.press('Escape')
    await pinned.getByRole('button', { name: 'Unpin' }).click()
    await expect.poll(() => pinned.count()).toBe(0)
  })

  it('a narrow screen shows one column; the panel list and members open from named buttons by keyboard', async () => {
    await a.setViewportSize({ width: 420, height: 800 })
    const panels = a.getByRole('navigation', { name: 'Panels' })
    const members = a.getByRole('region', { name: 'Members' })
    await expect.poll(() => panels.isVisible()).toBe(false)
    expect(await members.isVisible()).toBe(false)
    await messages(a).filter({ hasText: 'Main view says hello' }).waitFor()

    const listButton = a.getByRole('button', { name: 'Panel list' })
    expect(await listButton.getAttribute('aria-expanded')).toBe('false')
    await listButton.focus()
    await a.keyboard.press('Enter')
    await panels.waitFor()
    expect(await listButton.getAttribute('aria-expanded')).toBe('true')
    // Choosing a panel closes the list and shows that panel.
    await panelLink(a, 'off-topic').click()
    await a.getByRole('heading', { name: '# off-topic', level: 1 }).waitFor()
    await expect.poll(() => panels.isVisible()).toBe(false)

    const membersButton = a.getByRole('button', { name: 'Members', exact: true })
    await membersButton.focus()
    await a.keyboard.press('Enter')
    await members.waitFor()
    await members.getByText(ALICE).waitFor()
    // The rail of groups is in the same drawer as the panel list; Escape closes it, focus returns.
    expect(await rail(a).isVisible()).toBe(false)
    await listButton.click()
    await rail(a).getByRole('link', { name: KEEPERS }).waitFor()
    await a.keyboard.press('Escape')
    await expect.poll(() => rail(a).isVisible()).toBe(false)
    expect(await listButton.evaluate((el) => el === document.activeElement)).toBe(true)
    await a.setViewportSize({ width: 1280, height: 800 })
    await panels.waitFor()
  })

  it('a Study group from its template has #homework and a notes panel', async () => {
    await createFromTemplate(a, STUDY, /^Study group/)
    await panelLink(a, 'homework').waitFor()
    await panelLink(a, 'notes', '🧩').waitFor({ timeout: 15_000 })
    // The lobby is #general, where the group landed.
    await a.getByRole('heading', { name: '# general', level: 1 }).waitFor()
  })

  it('the rail marks a group with something unread for Bob, and the mark clears once he reads it', async () => {
    await rail(b).getByRole('link', { name: 'Home' }).click()
    await b.getByRole('heading', { name: 'Your groups' }).waitFor()
    await rail(a).getByRole('link', { name: KEEPERS }).click()
    await send(a, 'Anyone on watch tonight?')
    const marked = rail(b).getByRole('link', { name: `${KEEPERS}, unread` })
    await marked.waitFor({ timeout: 20_000 })
    await marked.click()
    await messages(b).filter({ hasText: 'Anyone on watch tonight?' }).waitFor()
    await rail(b).getByRole('link', { name: KEEPERS, exact: true }).waitFor({ timeout: 10_000 })
    expect(await marked.count()).toBe(0)
  })
})
