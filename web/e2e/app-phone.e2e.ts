// The phone layout (issue 21), at 390×844 through the real relay: one column, nothing wider than the
// screen on any main screen (no horizontal scrolling), the composer in view with a long history above
// it, and the groups and panels reachable from the header's drawer; Bob, on a phone too, joins and
// replies. One story: each test starts where the previous one ended.
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { castOnRelay } from './app/cast'
import { joinWith, openSettings, panelLink } from './app/manage-steps'
import { chooseNickname, copyInviteLink, createGroup, messages, openFromAccountMenu, send } from './app/steps'

const PHONE = { width: 390, height: 844 }
const GROUP = 'Harbour watch'

const cast = castOnRelay(['alice', 'bob'])
let a: Page
let b: Page

beforeAll(async () => {
  ;[a, b] = cast.people.map((p) => p.page) as [Page, Page]
  for (const p of [a, b]) await p.setViewportSize(PHONE)
})

/** Widths of the page and of any element sticking out past the right edge (none, on a phone layout). */
async function overflow(p: Page): Promise<{ scrollWidth: number; wide: string[] }> {
  return p.evaluate(() => {
    const vw = document.documentElement.clientWidth
    const wide = [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((el) => {
        const r = el.getBoundingClientRect()
        // Inside a scrolling box (a code block, a table) a wide child is scrolled there, not the page.
        const clipped = el.closest('pre, table, .messages, .app-rail ul, .visually-hidden') !== null
        return r.width > 0 && r.right > vw + 1 && !clipped && getComputedStyle(el).position !== 'fixed'
      })
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`)
    return { scrollWidth: document.documentElement.scrollWidth, wide }
  })
}

async function noHorizontalScroll(p: Page, screen: string): Promise<void> {
  const o = await overflow(p)
  expect(o.wide, `elements past the right edge on ${screen}`).toEqual([])
  expect(o.scrollWidth, `page width on ${screen}`).toBeLessThanOrEqual(PHONE.width)
}

/** The invite link, from the panel list in the drawer (which closes again). */
async function copyInviteLinkFromDrawer(p: Page): Promise<string> {
  await p.getByRole('button', { name: 'Panel list' }).click()
  const link = await copyInviteLink(p)
  await p.keyboard.press('Escape')
  return link
}

/** The composer's message box is on screen, whole. */
async function composerInView(p: Page, panel = 'general'): Promise<void> {
  const box = (await p.getByRole('textbox', { name: `Message #${panel}` }).boundingBox())!
  expect(box.y).toBeGreaterThanOrEqual(0)
  expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height)
  expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width)
}

/** The message box's placeholder fits its width: one line, not wrapped onto a second nor cut. */
async function placeholderOnOneLine(p: Page, panel = 'general'): Promise<void> {
  const fit = await p
    .getByRole('textbox', { name: `Message #${panel}` })
    .evaluate((box: HTMLTextAreaElement) => {
      const style = getComputedStyle(box)
      const ctx = document.createElement('canvas').getContext('2d')!
      ctx.font = style.font
      const room = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
      return { text: box.placeholder, width: ctx.measureText(box.placeholder).width, room }
    })
  expect(fit.text).toBe(`Message #${panel}`)
  expect(fit.width, `placeholder "${fit.text}" in ${fit.room}px`).toBeLessThanOrEqual(fit.room)
}

describe('the phone layout at 390×844', () => {
  it('welcome and the first group: one column, no horizontal scrolling', async () => {
    await a.goto('/')
    await a.getByRole('heading', { name: 'Welcome to Tailmesh' }).waitFor()
    await noHorizontalScroll(a, 'welcome')
    await chooseNickname(a, 'Alice Quillfeather-Lighthouse')
    await a.getByRole('heading', { name: 'Your groups' }).waitFor()
    await noHorizontalScroll(a, 'home')
    // "Create group" is in the rail, which is the drawer of the header's menu button.
    await a.getByRole('button', { name: 'Groups' }).click()
    await createGroup(a, GROUP)
    const link = await copyInviteLinkFromDrawer(a)
    await noHorizontalScroll(a, 'chat')
    await composerInView(a)
    await placeholderOnOneLine(a)
    // One column: the panel list and the rail are in the drawer, closed.
    expect(await a.getByRole('navigation', { name: 'Panels' }).isVisible()).toBe(false)
    expect(await a.getByRole('navigation', { name: 'Chats' }).isVisible()).toBe(false)
    await joinWith(b, link, 'Bob')
    await noHorizontalScroll(b, 'chat after joining')
    await composerInView(b)
  })

  it('a long history, long words and code: the composer stays in view and nothing scrolls sideways', async () => {
    for (let i = 1; i <= 25; i++) await send(a, `Watch report ${i}: all quiet on the breakwater.`)
    await send(
      a,
      'A very long word: Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft\n' +
        '```\nconst tide = { high: "06:40", low: "12:55", note: "a long line of code that would not fit a phone" }\n```',
    )
    await messages(b).filter({ hasText: 'Donaudampf' }).waitFor({ timeout: 20_000 })
    for (const p of [a, b]) {
      await composerInView(p)
      await noHorizontalScroll(p, 'chat with history')
    }
    await send(b, 'Thanks, I have the next watch')
    await messages(a).filter({ hasText: 'I have the next watch' }).waitFor({ timeout: 20_000 })
    await composerInView(b)
  })

  it('the drawer opens the rail and the panel list; choosing a panel closes it', async () => {
    const drawer = a.getByRole('button', { name: 'Panel list' })
    await drawer.click()
    await a.getByRole('navigation', { name: 'Chats' }).getByRole('link', { name: GROUP }).waitFor()
    await panelLink(a, 'general').waitFor()
    await noHorizontalScroll(a, 'drawer')
    await panelLink(a, 'general').click()
    await expect.poll(() => a.getByRole('navigation', { name: 'Panels' }).isVisible()).toBe(false)
    // The members open from the panel header and fit the screen.
    await a.getByRole('button', { name: 'Members', exact: true }).click()
    await a.getByRole('region', { name: 'Members' }).getByText('Bob').waitFor()
    await noHorizontalScroll(a, 'members')
    await a.getByRole('button', { name: 'Members', exact: true }).click()
  })

  it('every other main screen fits the width', async () => {
    await a.getByRole('button', { name: 'Panel list' }).click()
    await openSettings(a, 'Members')
    await noHorizontalScroll(a, 'group settings: members')
    for (const section of ['Overview', 'Panels', 'Roles', 'Invites']) {
      await a
        .getByRole('navigation', { name: 'Settings sections' })
        .getByRole('link', { name: section })
        .click()
      await noHorizontalScroll(a, `group settings: ${section}`)
    }
    for (const name of ['Search', 'Inbox', 'Saved', 'Friends']) {
      await a.getByRole('banner').getByRole('link', { name, exact: true }).click()
      await a.getByRole('heading', { level: 1 }).first().waitFor()
      await noHorizontalScroll(a, name)
    }
    await a.getByRole('link', { name: 'Tailmesh home' }).click()
    await a.getByRole('heading', { name: 'Your groups' }).waitFor()
    await noHorizontalScroll(a, 'home')
    for (const name of ['Settings', 'Devices', 'Backup', 'Plugins']) {
      await a.getByRole('button', { name: 'Groups' }).click()
      await openFromAccountMenu(a, name)
      await a.getByRole('heading', { level: 1 }).first().waitFor()
      await noHorizontalScroll(a, name)
    }
  })
})
