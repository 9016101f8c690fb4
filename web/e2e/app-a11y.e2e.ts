// axe-core on the main screens of the built app, served by the real relay: welcome, home, a group's
// chat, its settings sections, the inbox, devices, plugins and backup, in English and in Chinese, in the
// light and the dark theme. No serious or critical WCAG 2.1 A/AA violation on any of them.
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { castOnRelay } from './app/cast'
import { seriousViolations } from './app/axe'
import { founder, joinWith, openSettings } from './app/manage-steps'
import { chooseLanguage, openAccountMenu, openFromAccountMenu, send } from './app/steps'

const cast = castOnRelay(['alice', 'bob'])
let a: Page
let b: Page

beforeAll(() => {
  ;[a, b] = cast.people.map((p) => p.page) as [Page, Page]
})

async function check(page: Page, screen: string): Promise<void> {
  expect(await seriousViolations(page), `axe on ${screen}`).toEqual([])
}

const header = (p: Page, name: string) => p.getByRole('banner').getByRole('link', { name, exact: true })

describe('accessibility (axe-core)', () => {
  it('welcome, home, chat with messages, settings sections, inbox, devices, plugins, backup', async () => {
    await a.goto('/')
    await a.getByRole('heading', { name: 'Welcome to Tailmesh' }).waitFor()
    await check(a, 'welcome')

    const link = await founder(a, 'Alice', 'Accessible team')
    await joinWith(b, link, 'Bob')
    await send(b, 'hello **Alice**, see https://example.org')
    await send(a, '@Bob welcome')
    await a
      .getByRole('log', { name: 'Messages in general' })
      .getByText('welcome')
      .waitFor({ timeout: 15_000 })
    await check(a, 'chat')
    await check(b, 'chat (member)')

    await openSettings(a)
    for (const section of ['Overview', 'Panels', 'Roles', 'Members', 'Invites']) {
      await a
        .getByRole('navigation', { name: 'Settings sections' })
        .getByRole('link', { name: section })
        .click()
      await check(a, `settings: ${section}`)
    }
    await header(a, 'Inbox').click()
    await a.getByRole('heading', { level: 1 }).first().waitFor()
    await check(a, 'inbox')
    // My account menu, open: its links, the language picker and "Sign out of this device".
    await openAccountMenu(a)
    await check(a, 'account menu')
    for (const [name, screen] of [
      ['Devices', 'devices'],
      ['Plugins', 'plugins'],
      ['Backup', 'backup'],
    ] as const) {
      await openFromAccountMenu(a, name)
      await a.getByRole('heading', { level: 1 }).first().waitFor()
      await check(a, screen)
    }
  })

  it('the same in Chinese and in the dark theme', async () => {
    await chooseLanguage(a, '中文')
    await a.goto('/')
    await check(a, 'home (zh-CN)')
    await a.getByRole('navigation').getByRole('link', { name: 'Accessible team' }).first().click()
    await check(a, 'chat (zh-CN)')
    await a.emulateMedia({ colorScheme: 'dark' })
    await check(a, 'chat (zh-CN, dark)')
    await chooseLanguage(a, 'English')
    await check(a, 'chat (dark)')
    // The phone layout, its drawer open.
    await a.setViewportSize({ width: 390, height: 844 })
    await check(a, 'chat (phone, dark)')
    await a.getByRole('button', { name: 'Panel list' }).click()
    await check(a, 'drawer (phone, dark)')
    await a.setViewportSize({ width: 1280, height: 800 })
  })
})
