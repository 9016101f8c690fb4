// Plugins in the built app, two people in their own Chromium profiles on the real relay. Plugin code
// comes from a separate local HTTP server (another origin, with CORS, as a plugin host would be):
// the template plugin bundled with esbuild, and two made to fail.
//
// One story, in order: Alice installs the Guestbook from its manifest URL (seeing who and what first)
// and adds a Guestbook panel; Bob, without the plugin, sees a placeholder naming it and installs from
// there; both sign and see each other's line; Bob uninstalls and gets the placeholder back. A plugin
// that throws on activate and one that throws on mount are reported, and chat goes on. A theme applies
// and is still there after a reload.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTemplate } from '@tailmesh/plugin-template/build'
import { castOnRelay } from './app/cast'
import { acceptDialogs, founder, joinWith, openSettings, backToGroup, panelLink } from './app/manage-steps'
import { messages, openFromAccountMenu, send, unnamedControls } from './app/steps'
import { repoRoot, type Person } from './harness'

const ALICE = 'Alice Quillfeather'
const BOB = 'Bob Ravensworth'

// Failing plugins' errors are expected in the console (the host reports them there too).
const cast = castOnRelay(['alice', 'bob'], {
  tolerated: (e) => /plugin com\.example\.(broken|fragile) failed/.test(e),
})
let alice: Person
let bob: Person
let a: Page
let b: Page

/** Plugin files on a server of their own origin, with CORS (module scripts and fetch need it). */
let pluginServer: Server
let pluginOrigin: string
const files = new Map<string, { type: string; body: string }>()
let dir: string

/** A plugin module from source, bundled like a third party would (the SDK inlined). */
async function bundle(source: string): Promise<string> {
  const out = await build({
    stdin: { contents: source, resolveDir: repoRoot, loader: 'ts' },
    bundle: true,
    format: 'esm',
    write: false,
    logLevel: 'silent',
  })
  return out.outputFiles[0]!.text
}

function failing(id: string, name: string, activate: string): { manifest: object; source: string } {
  const manifest = {
    id,
    name,
    version: '0.1.0',
    description: `${name}, made to fail`,
    author: 'Test',
    entry: `./${id}.js`,
    permissions: [],
  }
  return {
    manifest,
    source: `import { definePlugin } from '@tailmesh/plugin-sdk'
export default definePlugin({ manifest: ${JSON.stringify(manifest)}, activate(api) { ${activate} } })`,
  }
}

beforeAll(async () => {
  alice = cast.person('alice')
  bob = cast.person('bob')
  a = alice.page
  b = bob.page
  acceptDialogs(a)
  acceptDialogs(b)

  dir = mkdtempSync(join(tmpdir(), 'tailmesh-plugin-files-'))
  const { manifestFile, entryFile } = await buildTemplate(join(dir, 'guestbook'))
  files.set('/guestbook/manifest.json', {
    type: 'application/json',
    body: readFileSync(manifestFile, 'utf8'),
  })
  files.set('/guestbook/index.js', { type: 'text/javascript', body: readFileSync(entryFile, 'utf8') })
  const broken = failing('com.example.broken', 'Broken plugin', `throw new Error('boom in activate')`)
  const fragile = failing(
    'com.example.fragile',
    'Fragile plugin',
    `api.registerPanelType({ type: 'glass', name: { en: 'Glass' }, mount() { throw new Error('boom in mount') } })`,
  )
  for (const p of [broken, fragile]) {
    const id = (p.manifest as { id: string }).id
    files.set(`/${id}/manifest.json`, { type: 'application/json', body: JSON.stringify(p.manifest) })
    files.set(`/${id}/${id}.js`, { type: 'text/javascript', body: await bundle(p.source) })
  }
  pluginServer = createServer((req, res) => {
    const file = files.get(new URL(req.url ?? '/', 'http://x').pathname)
    res.setHeader('access-control-allow-origin', '*')
    if (!file) return void res.writeHead(404).end()
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body)
  })
  await new Promise<void>((r) => pluginServer.listen(0, '127.0.0.1', r))
  pluginOrigin = `http://127.0.0.1:${(pluginServer.address() as AddressInfo).port}`
}, 60_000)

afterAll(async () => {
  await new Promise((r) => pluginServer?.close(r))
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const manifestUrl = (id: string) => `${pluginOrigin}/${id}/manifest.json`

async function openPlugins(page: Page): Promise<void> {
  await openFromAccountMenu(page, 'Plugins')
  await page.getByRole('heading', { name: 'Plugins', level: 1 }).waitFor()
}

/** Reads a manifest by URL and returns the preview the manager shows before anything runs. */
async function readManifest(page: Page, url: string, name: string) {
  await page.getByRole('textbox', { name: 'Plugin manifest URL' }).fill(url)
  await page.getByRole('button', { name: 'Read manifest' }).click()
  const preview = page.getByRole('region', { name: `Install ${name}?` })
  await preview.waitFor()
  return preview
}

const guestbookSigner = (page: Page) => page.getByRole('textbox', { name: 'Your line' })
const signatures = (page: Page) => page.getByRole('list', { name: 'Signatures' }).getByRole('listitem')

describe('plugins: install by URL, a plugin panel between two people, failures, themes', () => {
  it('Alice reads the Guestbook manifest — who and what, before any code runs — and installs it', async () => {
    const link = await founder(a, ALICE, 'Plugin testers')
    await joinWith(b, link, BOB)
    await openPlugins(a)
    const preview = await readManifest(a, manifestUrl('guestbook'), 'Guestbook')
    await expect.poll(() => preview.textContent()).toContain('Tailmesh examples')
    expect(await preview.textContent()).toContain(`${pluginOrigin}/guestbook/index.js`)
    expect(await preview.textContent()).toContain('com.example.guestbook')
    // Nothing of the plugin's code was fetched yet.
    expect(await a.evaluate(() => performance.getEntriesByType('resource').map((r) => r.name))).not.toContain(
      `${pluginOrigin}/guestbook/index.js`,
    )
    await preview.getByRole('button', { name: 'Install Guestbook' }).click()
    await a.getByRole('status').filter({ hasText: 'Guestbook is installed.' }).waitFor()
    const entry = a.getByRole('article', { name: 'Guestbook' })
    await expect.poll(() => entry.textContent()).toContain('On')
    expect(await entry.getByRole('checkbox', { name: 'Enable Guestbook' }).isChecked()).toBe(true)
    expect(await unnamedControls(a)).toEqual([])
  })

  it('Alice adds a Guestbook panel; Bob, without the plugin, sees a placeholder naming it', async () => {
    await a.goBack()
    await a.getByRole('heading', { name: '# general', level: 1 }).waitFor()
    await openSettings(a, 'Panels')
    const form = a.getByRole('form', { name: 'Create panel' })
    await form.getByLabel('Panel name').fill('visitors')
    await form.getByLabel('Type').selectOption({ label: 'Guestbook (plugin Guestbook)' })
    await form.getByRole('button', { name: 'Create panel' }).click()
    await backToGroup(a)
    await panelLink(a, 'visitors', '🧩').click()
    await guestbookSigner(a).waitFor()

    await panelLink(b, 'visitors', '🧩').click({ timeout: 15_000 })
    const placeholder = b
      .getByRole('status')
      .filter({ hasText: 'This panel belongs to the plugin Guestbook.' })
    await placeholder.waitFor()
    expect(await placeholder.textContent()).toContain('The plugin Guestbook is not installed on this device.')
  })

  it('Bob installs from the placeholder; both sign and each sees the other’s line', async () => {
    await b.getByRole('link', { name: 'Install Guestbook' }).click()
    const preview = b.getByRole('region', { name: 'Install Guestbook?' })
    await preview.getByRole('button', { name: 'Install Guestbook' }).click()
    await b.getByRole('status').filter({ hasText: 'Guestbook is installed.' }).waitFor()
    await b.goBack()
    await guestbookSigner(b).waitFor()

    await guestbookSigner(a).fill('Hello from the lamp room')
    await a.getByRole('button', { name: 'Sign the guestbook' }).click()
    await guestbookSigner(b).fill('Bob was here')
    await b.getByRole('button', { name: 'Sign the guestbook' }).click()

    for (const page of [a, b])
      await expect
        .poll(() => signatures(page).allTextContents(), { timeout: 20_000 })
        .toEqual([`${ALICE}: Hello from the lamp room`, `${BOB}: Bob was here`])
    // Signing again changes my line, never someone else's.
    await a.getByRole('button', { name: 'Change my line' }).waitFor()
  })

  it('Bob uninstalls: the panel shows the placeholder naming the plugin, with an install action', async () => {
    await openPlugins(b)
    await b.getByRole('button', { name: 'Uninstall Guestbook' }).click()
    await expect.poll(() => b.getByRole('article', { name: 'Guestbook' }).count()).toBe(0)
    await b.goBack()
    await b.getByRole('status').filter({ hasText: 'This panel belongs to the plugin Guestbook.' }).waitFor()
    await b.getByRole('link', { name: 'Install Guestbook' }).waitFor()
    expect(await guestbookSigner(b).count()).toBe(0)
  })

  it('a slash command sends a card; with the plugin it is drawn with its button, without it the text stands', async () => {
    await panelLink(a, 'general').click()
    await panelLink(b, 'general').click()
    await send(a, '/wave Bob')
    const card = a
      .getByRole('log', { name: 'Messages in general' })
      .getByRole('button', { name: 'Wave back' })
    await card.waitFor({ timeout: 15_000 })
    expect(await messages(a).last().textContent()).toContain(`${ALICE} waves at Bob`)
    // Bob uninstalled the plugin: the message's text, no card.
    await expect.poll(() => messages(b).last().textContent(), { timeout: 20_000 }).toContain('👋 Bob')
    expect(await messages(b).last().getByRole('button', { name: 'Wave back' }).count()).toBe(0)
    // The card's button sends a message (a reply) that everyone sees.
    await card.click()
    await expect.poll(() => messages(b).last().textContent(), { timeout: 20_000 }).toContain(`👋 ${ALICE}`)
  })

  it('a plugin that throws on activate is reported; the app keeps working', async () => {
    await openPlugins(b)
    const preview = await readManifest(b, manifestUrl('com.example.broken'), 'Broken plugin')
    await preview.getByRole('button', { name: 'Install Broken plugin' }).click()
    const entry = b.getByRole('article', { name: 'Broken plugin' })
    await entry
      .getByRole('alert')
      .filter({ hasText: 'Broken plugin failed to start: boom in activate' })
      .waitFor()
    expect(await entry.textContent()).toContain('Failed')
    // The other plugins and chat are unaffected.
    expect(await b.getByRole('article', { name: 'Dark theme' }).textContent()).toContain('On')
    await b.goBack()
    await panelLink(b, 'general').click()
    await send(b, 'still chatting after a broken plugin')
    await panelLink(a, 'general').click()
    await expect
      .poll(() => messages(a).allTextContents(), { timeout: 20_000 })
      .toEqual(expect.arrayContaining([expect.stringContaining('still chatting after a broken plugin')]))
  })

  it('a plugin whose panel throws on mount is reported in the panel; the rest of the page works', async () => {
    await openPlugins(a)
    const preview = await readManifest(a, manifestUrl('com.example.fragile'), 'Fragile plugin')
    await preview.getByRole('button', { name: 'Install Fragile plugin' }).click()
    await a.getByRole('status').filter({ hasText: 'Fragile plugin is installed.' }).waitFor()
    await a.goBack()
    await openSettings(a, 'Panels')
    const form = a.getByRole('form', { name: 'Create panel' })
    await form.getByLabel('Panel name').fill('glasshouse')
    await form.getByLabel('Type').selectOption({ label: 'Glass (plugin Fragile plugin)' })
    await form.getByRole('button', { name: 'Create panel' }).click()
    await backToGroup(a)
    await panelLink(a, 'glasshouse', '🧩').click()
    await a
      .getByRole('alert')
      .filter({ hasText: 'The plugin Fragile plugin failed here: boom in mount' })
      .waitFor()
    await panelLink(a, 'general').click()
    await send(a, 'the glasshouse broke, the lobby did not')
    await expect
      .poll(() => messages(b).allTextContents(), { timeout: 20_000 })
      .toEqual(expect.arrayContaining([expect.stringContaining('the glasshouse broke, the lobby did not')]))
  })

  it('a theme applies at once and is still there after a reload', async () => {
    const background = () => a.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)
    const before = await background()
    await openPlugins(a)
    await a.getByRole('combobox', { name: 'Theme' }).selectOption({ label: 'Dark' })
    await expect.poll(background).toBe('rgb(13, 17, 23)')
    expect(before).not.toBe('rgb(13, 17, 23)')
    await a.reload()
    await a.getByRole('heading', { name: 'Plugins', level: 1 }).waitFor()
    await expect.poll(background).toBe('rgb(13, 17, 23)')
    expect(await a.getByRole('combobox', { name: 'Theme' }).inputValue()).toBe('com.tailmesh.theme-dark/dark')
    await a.getByRole('combobox', { name: 'Theme' }).selectOption({ label: 'Default' })
    await expect.poll(background).toBe(before)
  })
})
