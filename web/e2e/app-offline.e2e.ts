// Offline: once the service worker has precached the app shell, the app keeps working with the
// network cut — new messages are accepted and shown as pending, and a reload opens the app from the
// service worker with the identity read from IndexedDB.
//
// Not covered yet: history after an offline reload. Groups live in memory until the Replica (storage +
// transports) plugs into the client seam (web/src/client/sync.ts); a reload forgets them today.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { launchPerson, type Person } from './harness'
import { buildApp, startRelay, type RunningRelay } from './app/relay'
import { chooseNickname, createGroup, messages, send, serviceWorkerReady } from './app/steps'

let relay: RunningRelay
let alice: Person

beforeAll(async () => {
  await buildApp()
  relay = await startRelay()
  alice = await launchPerson('alice', { baseURL: relay.url })
}, 180_000)

afterAll(async () => {
  await alice?.close()
  await relay?.stop()
})

afterEach(() => {
  // Going offline makes Chromium log failed requests the app did not make on purpose (none expected).
  expect(alice.errors.splice(0), 'errors in the page').toEqual([])
})

describe('offline', () => {
  it('is installable: a manifest with name, icons and theme color', async () => {
    await alice.page.goto('/')
    const manifest = await alice.page.evaluate(async () => {
      const link = document.querySelector<HTMLLinkElement>('link[rel="manifest"]')
      return link ? ((await (await fetch(link.href)).json()) as Record<string, unknown>) : null
    })
    expect(manifest).toMatchObject({ name: 'Tailmesh', theme_color: '#3451b2', display: 'standalone' })
    const icons = (manifest?.icons ?? []) as { src: string; sizes: string }[]
    expect(icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']))
    for (const icon of icons) {
      const status = await alice.page.evaluate(async (src) => (await fetch(src)).status, icon.src)
      expect(status, icon.src).toBe(200)
    }
  })

  it('accepts messages as pending with the network cut, and reloads from the service worker', async () => {
    const { page, context } = alice
    await page.goto('/')
    await chooseNickname(page, 'Alice')
    await serviceWorkerReady(page)
    await createGroup(page, 'Offline club')
    await send(page, 'sent while online')
    await messages(page).filter({ hasText: 'sent while online' }).waitFor()

    await context.setOffline(true)
    await send(page, 'sent **offline**')
    const offline = messages(page).filter({ hasText: 'sent offline' })
    await offline.locator('strong').waitFor()
    // Nothing carries it anywhere: it stays on this device, marked as such.
    await offline.getByText('Pending', { exact: true }).waitFor()
    expect(await offline.getByText('Pending').getAttribute('title')).toMatch(/Not delivered yet/)

    const response = await page.reload()
    expect(response?.fromServiceWorker(), 'the reload was answered by the service worker').toBe(true)
    await page.getByRole('banner').getByText('Signed in as Alice').waitFor()
    // The group itself is gone after a reload until the Replica keeps groups (see the top of this file).
    await page.getByRole('heading', { name: 'This group is not open on this device.' }).waitFor()
    await page.getByRole('link', { name: 'Back to your groups' }).click()
    await page.getByRole('heading', { name: 'Your groups' }).waitFor()
    await page.getByRole('note').filter({ hasText: 'groups are kept only until this page reloads' }).waitFor()
    // Still offline, the app works: a new group, a message, pending.
    await createGroup(page, 'Made offline')
    await send(page, 'still here')
    await messages(page).filter({ hasText: 'still here' }).getByText('Pending', { exact: true }).waitFor()
    // The relay is still up: only this browser is offline, so no request reached it.
    await context.setOffline(false)
  })
})
