// The app under its Content-Security-Policy (relay/src/csp.ts), served by the real relay: the header
// is there, the app runs without one violation, no other site can frame it, and a remote image in a
// message fetches nothing from its host until the reader chooses "Load image" (or turns on "Always
// load images from members of this group" for that group, on this device).
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { serveStatic, type StaticServer } from './harness'
import { castOnRelay } from './app/cast'
import { backToGroup, openSettings, panelLink } from './app/manage-steps'
import { chooseNickname, createGroup, messages, send } from './app/steps'

const cast = castOnRelay(['alice'])
let a: Page
let images: StaticServer
let framer: StaticServer

/** A 1×1 transparent PNG. */
const PIXEL = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
)

/** Paths the image server was asked for, out of `path`. */
const fetched = (path: string) => images.requests.filter((p) => p === path).length

beforeAll(async () => {
  a = cast.person('alice').page
  // Every violation of the policy in any page of Alice's profile, collected as it happens.
  await cast.person('alice').context.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] }
    w.cspViolations = []
    document.addEventListener('securitypolicyviolation', (e) =>
      w.cspViolations.push(`${e.effectiveDirective} ${e.blockedURI}`),
    )
  })
  images = await serveStatic({
    '/pixel.png': PIXEL,
    '/always.png': PIXEL,
    '/favicon.ico': '',
    '/tides.html': '<!doctype html><title>Tides</title><h1>Tide table</h1>',
  })
  framer = await serveStatic({
    '/favicon.ico': '',
    '/index.html': `<!doctype html><title>Framer</title><iframe id="app" src="${cast.relay.url}" width="600" height="400"></iframe>`,
  })
  return async () => {
    await Promise.all([images.close(), framer.close()])
  }
})

const violations = (p: Page) =>
  p.evaluate(() => (window as unknown as { cspViolations?: string[] }).cspViolations ?? [])

describe('Content-Security-Policy', () => {
  it('comes with the app from the relay, with frame-ancestors and X-Frame-Options', async () => {
    for (const path of ['/', '/index.html', '/sw.js']) {
      const r = await fetch(new URL(path, cast.relay.url))
      const csp = r.headers.get('content-security-policy') ?? ''
      expect(csp, path).toContain("default-src 'self'")
      expect(csp, path).toContain("script-src 'self' blob:;")
      expect(csp, path).toContain("frame-ancestors 'none'")
      expect(csp, path).toContain("object-src 'none'")
      expect(csp, path).toContain("base-uri 'none'")
      expect(r.headers.get('x-frame-options'), path).toBe('DENY')
    }
    // The built page: a <meta> copy for other hosts, and not one inline script.
    const html = await (await fetch(cast.relay.url)).text()
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy"/)
    expect(html.match(/<script\b[^>]*>/g)?.every((tag) => /\ssrc=/.test(tag))).toBe(true)
  })

  it('lets the app start, sign in and make a group without one violation', async () => {
    await a.goto('/')
    await chooseNickname(a, 'Alice')
    await createGroup(a, 'Harbour')
    await send(a, '**hello** under the policy')
    await messages(a).filter({ hasText: 'hello under the policy' }).waitFor()
    expect(await violations(a)).toEqual([])
  })

  it('cannot be framed by another site', async () => {
    const page = await cast.person('alice').context.newPage()
    try {
      await page.goto(framer.url('/'))
      const frame = page.frameLocator('#app')
      // The frame's document never becomes the app: no app root, no sign-in, nothing to click.
      await page.waitForTimeout(1_500)
      const child = page.frames().find((f) => f !== page.mainFrame())
      expect(child).toBeDefined()
      const appRoot = await child!.evaluate(() => document.querySelector('#app') !== null).catch(() => false) // an error page in the frame: not even evaluable
      expect(appRoot).toBe(false)
      expect(await frame.getByRole('heading').count()).toBe(0)
      // Chromium says why, in the framing page's console: the app's frame-ancestors.
      const errors = cast.person('alice').errors.splice(0)
      expect(errors.join('\n')).toMatch(/frame-ancestors 'none'/)
      expect(errors.filter((e) => !/frame-ancestors|Refused to (display|frame)/.test(e))).toEqual([])
    } finally {
      await page.close()
    }
  })
})

describe('frames under the policy', () => {
  it("a web panel still shows another site's page in its sandboxed frame", async () => {
    await openSettings(a, 'Panels')
    const form = a.getByRole('form', { name: 'Create panel' })
    await form.getByLabel('Panel name').fill('tides')
    await form.getByLabel('Type').selectOption({ label: 'Web page' })
    await form.getByLabel('Web page URL').fill(images.url('/tides.html'))
    await form.getByRole('button', { name: 'Create panel' }).click()
    await backToGroup(a)
    await panelLink(a, 'tides', '🌐').click()
    const frame = a.frameLocator('iframe[sandbox]')
    await frame.getByRole('heading', { name: 'Tide table' }).waitFor()
    expect(await violations(a)).toEqual([])
    await panelLink(a, 'general').click()
    await a.getByRole('heading', { name: '# general', level: 1 }).waitFor()
  })

  it("the Community template's web panel shows the relay's own welcome page, filling the panel", async () => {
    await a.getByRole('navigation', { name: 'Chats' }).getByRole('button', { name: 'Create group' }).click()
    const dialog = a.getByRole('dialog', { name: 'Create a group' })
    await dialog.getByLabel('Group name').fill('Harbour community')
    await dialog.getByRole('radio', { name: /^Community/ }).check()
    await dialog.getByRole('button', { name: 'Create', exact: true }).click()
    await panelLink(a, 'Tailmesh guide', '🌐').click()
    const iframe = a.locator('iframe[sandbox]')
    // The frame's address is the relay's /welcome (the host adds a #tailmesh-frame token).
    const src = new URL((await iframe.getAttribute('src'))!)
    expect(`${src.origin}${src.pathname}`).toBe(`${new URL(cast.relay.url).origin}/welcome`)
    await a
      .frameLocator('iframe[sandbox]')
      .getByRole('heading', { name: 'Welcome to your community' })
      .waitFor({ timeout: 10_000 })
    expect(await violations(a)).toEqual([])
    // The frame fills the panel: most of the window's height, all of the panel's width.
    const frame = (await iframe.boundingBox())!
    const panel = (await a.getByRole('main').boundingBox())!
    expect(frame.height).toBeGreaterThan(a.viewportSize()!.height * 0.6)
    expect(frame.width).toBeGreaterThan(panel.width * 0.9)
    await panelLink(a, 'general').click()
    await a.getByRole('heading', { name: '# general', level: 1 }).waitFor()
  })
})

describe('remote images in messages', () => {
  it('fetch nothing until "Load image" is chosen, then that one image', async () => {
    const url = images.url('/pixel.png')
    await send(a, `look: ![a pixel](${url})`)
    const row = messages(a).filter({ hasText: 'look:' })
    const button = row.getByRole('button', { name: 'Load image' })
    await button.waitFor()
    await expect(row.getByText(`Image from ${new URL(url).host}`).isVisible()).resolves.toBe(true)
    expect(await row.getByRole('img', { name: 'a pixel' }).count()).toBe(0)
    await a.waitForTimeout(500)
    expect(fetched('/pixel.png')).toBe(0)

    // From the keyboard: the button takes focus and Enter loads the image.
    await button.focus()
    await a.keyboard.press('Enter')
    const img = row.getByRole('img', { name: 'a pixel' })
    await img.waitFor()
    await a.waitForFunction(
      (el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth === 1,
      await img.elementHandle(),
    )
    expect(fetched('/pixel.png')).toBe(1)
    expect(await row.getByRole('button', { name: 'Load image' }).count()).toBe(0)
    expect(await violations(a)).toEqual([])
  })

  it('load at once in a group whose members this device always loads images from', async () => {
    await openSettings(a)
    const always = a.getByRole('checkbox', { name: 'Always load images from members of this group' })
    expect(await always.isChecked()).toBe(false)
    await always.check()
    await backToGroup(a)
    await send(a, `again: ![another pixel](${images.url('/always.png')})`)
    const row = messages(a).filter({ hasText: 'again:' })
    await row.getByRole('img', { name: 'another pixel' }).waitFor()
    await expect.poll(() => fetched('/always.png')).toBe(1)
    expect(await row.getByRole('button', { name: 'Load image' }).count()).toBe(0)

    // A preference of this device that outlives a reload.
    await a.reload()
    await openSettings(a)
    expect(
      await a.getByRole('checkbox', { name: 'Always load images from members of this group' }).isChecked(),
    ).toBe(true)
    expect(await violations(a)).toEqual([])
  })
})
