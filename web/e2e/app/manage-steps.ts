// What a person does in group management, found by role and accessible name (see steps.ts).
import type { Page } from 'playwright-core'
import { chooseNickname, copyInviteLink, createGroup, serviceWorkerReady } from './steps'

/** The page address flag that installs the modified-client hooks (web/src/client/test-hooks.ts). */
export const TEST_HOOKS = 'tailmesh-test-hooks'

/** An app link (…/#/…) with the test hooks flag in the query, before the fragment. */
export const withTestHooks = (link: string): string => link.replace('/#/', `/?${TEST_HOOKS}#/`)

/** Accepts every confirm() the app shows (kick, ban, delete...). Playwright dismisses them by default. */
export function acceptDialogs(page: Page): void {
  page.on('dialog', (d) => void d.accept())
}

/** The group id of the open group, from the address (#/groups/<id>/...). */
export function groupIdOf(page: Page): string {
  const m = /#\/groups\/([^/?]+)/.exec(page.url())
  if (!m) throw new Error(`not in a group: ${page.url()}`)
  return m[1]!
}

export async function openSettings(page: Page, tab?: string): Promise<void> {
  await page.getByRole('link', { name: 'Group settings' }).click()
  await page.getByRole('navigation', { name: 'Settings sections' }).waitFor()
  if (tab)
    await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: tab }).click()
}

export async function backToGroup(page: Page): Promise<void> {
  await page.getByRole('link', { name: '← Back to the group' }).click()
}

/** Alice's start: nickname, a group, an invite link. */
export async function founder(page: Page, nickname: string, group: string): Promise<string> {
  await page.goto('/')
  await chooseNickname(page, nickname)
  await serviceWorkerReady(page)
  await createGroup(page, group)
  return copyInviteLink(page)
}

/** Opens an invite link as a new person and joins (waits for the Join button to enable). */
export async function joinWith(page: Page, link: string, nickname: string): Promise<void> {
  await page.goto(link)
  await chooseNickname(page, nickname)
  await joinFromScreen(page)
}

export async function joinFromScreen(page: Page): Promise<void> {
  const join = page.getByRole('button', { name: 'Join' })
  await join.waitFor({ timeout: 15_000 })
  // Enabled once the invite itself has arrived (it can come just after the group's name).
  for (let i = 0; i < 200 && !(await join.isEnabled()); i++) await page.waitForTimeout(100)
  await join.click()
  await page.getByRole('heading', { name: '# general', level: 1 }).waitFor({ timeout: 15_000 })
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** The sidebar link of a panel (its name may end with ", unread"). */
export const panelLink = (page: Page, name: string, mark = '#') =>
  page
    .getByRole('navigation', { name: 'Panels' })
    .getByRole('link', { name: new RegExp(`^${escape(mark)} ${escape(name)}(\\s*, unread)?$`) })

/** The sidebar member entry. */
export const memberEntry = (page: Page, nickname: string) =>
  page.getByRole('region', { name: 'Members' }).getByRole('listitem').filter({ hasText: nickname })
