// Every place the app draws a plugin, as two people in their own Chromium profiles on the real relay
// see it. The template (Guestbook) comes from a second local origin with CORS and both install it;
// link cards and polls are built in. In order: a link card under a message; the composer's "+" menu
// and a plugin button; a paste taken by a plugin; a message renderer; a wave landing in the other's
// inbox and on the waver's profile line; a plugin's first panel giving everyone its default point
// (shown in the roles editor), which then lets Bob pin a note every peer's gate accepts; a group
// setting and a group-detail page in the Plugins tab; personal and settings pages.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTemplate } from '@tailmesh/plugin-template/build'
import { castOnRelay } from './app/cast'
import { acceptDialogs, backToGroup, founder, joinWith, openSettings, panelLink } from './app/manage-steps'
import { messages, openFromAccountMenu, send, unnamedControls } from './app/steps'

const ALICE = 'Alice Quillfeather'
const BOB = 'Bob Ravensworth'
const PIN = 'plugin.com.example.guestbook.pin'

const cast = castOnRelay(['alice', 'bob'])
let a: Page
let b: Page
let server: Server
let manifestUrl: string
let dir: string

beforeAll(async () => {
  a = cast.person('alice').page
  b = cast.person('bob').page
  acceptDialogs(a)
  acceptDialogs(b)
  dir = mkdtempSync(join(tmpdir(), 'tailmesh-plugin-surfaces-'))
  const built = await buildTemplate(dir)
  const files: Record<string, { type: string; body: string }> = {
    '/guestbook/manifest.json': { type: 'application/json', body: readFileSync(built.manifestFile, 'utf8') },
    '/guestbook/index.js': { type: 'text/javascript', body: readFileSync(built.entryFile, 'utf8') },
  }
  server = createServer((req, res) => {
    const file = files[new URL(req.url ?? '/', 'http://x').pathname]
    res.setHeader('access-control-allow-origin', '*')
    if (!file) return void res.writeHead(404).end()
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  manifestUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/guestbook/manifest.json`
}, 60_000)

afterAll(async () => {
  await new Promise((r) => server?.close(r))
  if (dir) rmSync(dir, { recursive: true, force: true })
})

async function openPlugins(page: Page): Promise<void> {
  // From my account menu (group settings have a Plugins tab too).
  await openFromAccountMenu(page, 'Plugins')
  await page.getByRole('heading', { name: 'Plugins', level: 1 }).waitFor()
}

async function installGuestbook(page: Page): Promise<void> {
  await openPlugins(page)
  await page.getByRole('textbox', { name: 'Plugin manifest URL' }).fill(manifestUrl)
  await page.getByRole('button', { name: 'Read manifest' }).click()
  await page
    .getByRole('region', { name: 'Install Guestbook?' })
    .getByRole('button', { name: 'Install Guestbook' })
    .click()
  await page.getByRole('status').filter({ hasText: 'Guestbook is installed.' }).waitFor()
  await page.goBack()
  await page.getByRole('heading', { name: '# general', level: 1 }).waitFor()
}

const composer = (page: Page) => page.getByRole('textbox', { name: 'Message #general' })
const log = (page: Page) => page.getByRole('log', { name: 'Messages in general' })

describe('plugins drawn where a person sees them', () => {
  it('both install the Guestbook; a link card shows under a message with a link, for both', async () => {
    const link = await founder(a, ALICE, 'Surface testers')
    await joinWith(b, link, BOB)
    await installGuestbook(a)
    await installGuestbook(b)

    await send(a, 'Our notes live at https://www.example.org/docs/lamps today')
    for (const page of [a, b]) {
      const card = log(page).getByRole('complementary', { name: 'Link to example.org' })
      await card.waitFor({ timeout: 20_000 })
      expect(await card.textContent()).toContain('https://www.example.org/docs/lamps')
    }
    // The card is text: the only link to the page is the message's own.
    expect(await log(b).getByRole('link', { name: 'https://www.example.org/docs/lamps' }).count()).toBe(1)
  })

  it('the composer has the plugins’ "+" menu (Enter opens it, Escape closes it) and button; a plugin takes a paste', async () => {
    await a.getByRole('button', { name: 'More actions' }).click()
    const menu = a.getByRole('menu', { name: 'Plugin actions' })
    expect(await menu.getByRole('menuitem').allTextContents()).toEqual(
      expect.arrayContaining([
        expect.stringContaining('New poll'),
        expect.stringContaining('Invite to sign the guestbook'),
      ]),
    )
    await a.keyboard.press('Escape')
    expect(await menu.count()).toBe(0)
    await a.getByRole('button', { name: 'More actions' }).press('Enter')
    await menu.getByRole('menuitem', { name: 'Invite to sign the guestbook' }).click()
    await expect.poll(() => composer(a).inputValue()).toBe('Please sign our guestbook!')
    await composer(a).press('Enter')
    await expect.poll(() => log(b).textContent(), { timeout: 20_000 }).toContain('Please sign our guestbook!')

    await composer(a).focus()
    await a.evaluate(() => {
      const data = new DataTransfer()
      data.setData('text/plain', 'guestbook: Lovely evening')
      document
        .getElementById('composer')!
        .dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
    })
    await expect.poll(() => composer(a).inputValue()).toBe('✍️ Lovely evening')
    await composer(a).fill('')
    expect(await unnamedControls(a)).toEqual([])
  })

  it('a message renderer draws a shout in place of the text', async () => {
    await send(a, '📣 lamps are lit')
    const shout = log(b).getByText('LAMPS ARE LIT', { exact: true })
    await shout.waitFor({ timeout: 20_000 })
    expect(await log(b).getByText('📣 lamps are lit').count()).toBe(0)
  })

  it('a wave reaches the other’s inbox (a plugin item type) and counts on the waver’s profile line', async () => {
    await a.getByRole('button', { name: 'Wave', exact: true }).click()
    await expect.poll(() => messages(b).last().textContent(), { timeout: 20_000 }).toContain('👋 everyone')
    await b.getByRole('link', { name: /^Inbox/ }).click()
    const items = b.getByRole('region', { name: 'From plugins' })
    const wave = items.getByRole('article', { name: `${ALICE} waved` })
    await wave.waitFor({ timeout: 20_000 })
    expect(await wave.textContent()).toContain('from Guestbook')
    await wave.getByRole('link', { name: `Open: ${ALICE} waved` }).click()
    await b.getByRole('heading', { name: '# general', level: 1 }).waitFor()

    await openSettings(b, 'Members')
    await b.getByLabel(`Plugin details of ${ALICE}`).waitFor()
    expect(await b.getByLabel(`Plugin details of ${ALICE}`).textContent()).toBe('Waves to you1')
    await backToGroup(b)
  })

  it('a plugin’s first panel gives everyone its default point; the roles editor shows it; Bob’s pin passes every gate', async () => {
    await openSettings(a, 'Panels')
    const form = a.getByRole('form', { name: 'Create panel' })
    await form.getByLabel('Panel name').fill('visitors')
    await form.getByLabel('Type').selectOption({ label: 'Guestbook (plugin Guestbook)' })
    await form.getByRole('button', { name: 'Create panel' }).click()
    await a
      .getByRole('status')
      .filter({
        hasText: `Everyone in the group now holds the permissions Guestbook gives by default: ${PIN}.`,
      })
      .waitFor()

    await a
      .getByRole('navigation', { name: 'Settings sections' })
      .getByRole('link', { name: 'Roles' })
      .click()
    const everyone = a.getByRole('group', { name: 'Plugin permissions of Everyone' })
    const pin = everyone.getByRole('checkbox', { name: "Pin a note to the top of the group's guestbooks" })
    await pin.waitFor()
    expect(await pin.isChecked()).toBe(true)
    expect(await everyone.textContent()).toContain(PIN)

    await panelLink(b, 'visitors', '🧩').click({ timeout: 20_000 })
    await b.getByRole('textbox', { name: 'Pinned note' }).fill('Bring a lamp')
    await b.getByRole('button', { name: 'Pin', exact: true }).click()
    await backToGroup(a)
    await panelLink(a, 'visitors', '🧩').click()
    await a.getByText('📌 Bring a lamp').waitFor({ timeout: 20_000 })
  })

  it('the Plugins tab of group settings: a group setting every member sees, and a group-detail page', async () => {
    await openSettings(a, 'Plugins')
    const form = a.getByRole('form', { name: 'Group settings of Guestbook' })
    await form.getByRole('textbox', { name: 'Guestbook welcome line' }).fill('Welcome to the lamp room')
    await form.getByRole('button', { name: 'Save the settings of Guestbook' }).click()
    await form.getByRole('status').filter({ hasText: 'Saved.' }).waitFor()
    const page = a.getByRole('region', { name: 'Guestbook in this group' })
    expect(await page.textContent()).toContain('Guestbooks of Surface testers are open to every member.')

    await b.getByText('Welcome to the lamp room').waitFor({ timeout: 20_000 })
    // Bob may not edit the group's configuration: he reads it only.
    await openSettings(b, 'Plugins')
    const bobs = b.getByRole('form', { name: 'Group settings of Guestbook' })
    expect(await bobs.getByRole('textbox', { name: 'Guestbook welcome line' }).inputValue()).toBe(
      'Welcome to the lamp room',
    )
    expect(await bobs.getByRole('textbox', { name: 'Guestbook welcome line' }).isDisabled()).toBe(true)
    expect(await unnamedControls(b)).toEqual([])
  })

  it('personal and settings pages open from the plugin manager', async () => {
    await openPlugins(b)
    await b.getByRole('navigation', { name: 'Personal' }).getByRole('link', { name: 'My waves' }).click()
    await b.getByRole('heading', { name: 'My waves', level: 1 }).waitFor()
    await b.getByText('People waved at you 1 times.').waitFor()
    await b.goBack()
    await b
      .getByRole('navigation', { name: 'Settings' })
      .getByRole('link', { name: 'About the guestbook' })
      .click()
    await b.getByText('The guestbook keeps one line per member.').waitFor()
  })
})
