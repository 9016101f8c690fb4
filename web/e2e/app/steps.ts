// What a person does in the app, found the way they find it: by role and accessible name.
import type { Locator, Page } from 'playwright-core'

export async function chooseNickname(page: Page, nickname: string): Promise<void> {
  await page.getByLabel('Nickname').fill(nickname)
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.getByText(`Signed in as ${nickname}`).waitFor()
}

/** Creates a group and waits for its "general" panel to open. */
export async function createGroup(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Create group' }).click()
  const dialog = page.getByRole('dialog', { name: 'Create a group' })
  await dialog.getByLabel('Group name').fill(name)
  await dialog.getByRole('button', { name: 'Create' }).click()
  await page.getByRole('heading', { name: '# general', level: 1 }).waitFor()
}

/** The messages of a panel: each an article in the panel's log (date and "new" rows are not). */
export function messages(page: Page, panel = 'general'): Locator {
  return page.getByRole('log', { name: `Messages in ${panel}` }).getByRole('article')
}

export async function send(page: Page, text: string, panel = 'general'): Promise<void> {
  const box = page.getByRole('textbox', { name: `Message #${panel}` })
  await box.fill(text)
  await box.press('Enter')
}

/** Presses Tab until the element named `name` with `role` has focus (proves it is keyboard-reachable). */
export async function tabTo(page: Page, role: Parameters<Page['getByRole']>[0], name: string): Promise<void> {
  const target = page.getByRole(role, { name, exact: true })
  for (let i = 0; i < 40; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return
    await page.keyboard.press('Tab')
  }
  throw new Error(`${role} "${name}" never received focus by Tab`)
}

/** Waits until the service worker controls the page (the app shell is precached then). */
export async function serviceWorkerReady(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready
    if (!navigator.serviceWorker.controller)
      await new Promise((r) =>
        navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }),
      )
  })
}

/**
 * Controls on the page with no accessible name, from Chromium's accessibility tree (Playwright's ARIA
 * snapshot lists a named control as `- button "Name"`, an unnamed one as `- button`).
 */
export async function unnamedControls(page: Page): Promise<string[]> {
  const snapshot = await page.locator('body').ariaSnapshot()
  return snapshot
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^- (button|textbox|combobox|link|checkbox|radio|dialog|log|navigation)\b(?! ")/.test(l))
}

/** Makes a fresh invite and reads its link from the page (the clipboard may be unavailable). */
export async function copyInviteLink(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Copy invite link' }).click()
  const box = page.getByRole('textbox', { name: 'Invite link' })
  await box.waitFor()
  return box.inputValue()
}

/** The group's connection line in the sidebar. */
export function connection(page: Page): Locator {
  return page.getByRole('region', { name: 'Connection' }).getByRole('status')
}

/** Waits until `page` shows `count` peers connected directly (WebRTC). */
export async function peersConnected(page: Page, count: number, timeout = 20_000): Promise<void> {
  const text =
    count === 0 ? 'No peer connected' : count === 1 ? '1 peer connected' : `${count} peers connected`
  await connection(page).filter({ hasText: text }).waitFor({ timeout })
}

/** Chromium's console lines for the relay's WebSockets failing while the relay is down (expected then). */
export const RELAY_SOCKET_FAILED =
  /WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/(mailbox|signal)' failed/

/** My account menu (avatar at the bottom of the panel column or the rail): opens it if closed. */
export async function openAccountMenu(page: Page): Promise<Locator> {
  const button = page.getByRole('button', { name: /^(Account menu|账户菜单)/ })
  const menu = page.getByRole('navigation', { name: /^(Your account|我的账户)$/ })
  // The menu closes itself when the route changes, and the app may still be settling on its first
  // screen (a redirect after signing in): press again, as a person would, until it stays open.
  for (let tries = 0; !(await menu.isVisible()); tries++) {
    await button.click()
    const shown = await menu.waitFor({ timeout: tries < 4 ? 5_000 : 30_000 }).then(
      () => true,
      () => false,
    )
    if (!shown && tries >= 4) throw new Error('the account menu did not open after 5 presses')
  }
  return menu
}

/** A screen reached from my account menu: Settings, Devices, Backup, Plugins, Profile and status. */
export async function openFromAccountMenu(page: Page, name: string): Promise<void> {
  const menu = await openAccountMenu(page)
  await menu.getByRole('link', { name, exact: true }).click()
}

/** Switches the language: the picker on the screen (welcome, settings) or in my account menu. */
export async function chooseLanguage(page: Page, label: 'English' | '中文'): Promise<void> {
  const onScreen = page.getByRole('combobox', { name: 'Language / 语言' })
  if (await onScreen.first().isVisible()) return void (await onScreen.first().selectOption({ label }))
  const menu = await openAccountMenu(page)
  await menu.getByRole('combobox', { name: 'Language / 语言' }).selectOption({ label })
  await page.keyboard.press('Escape')
}

/** A message's action: Reply and React are on its toolbar, the rest under "More message actions". */
export async function messageAction(row: Locator, name: string): Promise<void> {
  const toolbar = row.getByRole('toolbar', { name: 'Message actions' })
  await row.hover()
  const direct = toolbar.getByRole('button', { name, exact: true })
  if (!(await direct.count())) await toolbar.getByRole('button', { name: 'More message actions' }).click()
  await direct.click()
}

/** The names of a message's actions under "More message actions" (opened, read, closed). */
export async function moreActions(row: Locator): Promise<string[]> {
  const toolbar = row.getByRole('toolbar', { name: 'Message actions' })
  if (!(await toolbar.count())) return []
  await row.hover()
  const more = toolbar.getByRole('button', { name: 'More message actions' })
  await more.click()
  const menu = toolbar.getByRole('group', { name: 'More message actions' })
  await menu.waitFor()
  const names = (await menu.getByRole('button').allTextContents()).map((s) => s.trim())
  await row.page().keyboard.press('Escape')
  await menu.waitFor({ state: 'detached' })
  return names
}
