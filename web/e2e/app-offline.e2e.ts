// Offline: once the service worker has precached the app shell, the app keeps working with the
// network cut — new messages are accepted and shown as pending, a reload opens the app from the
// service worker with the identity, groups and history from IndexedDB (still pending what was), and
// once the network is back the pending message is delivered through the relay's mailbox.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { launchPerson, type Person } from './harness'
import { buildApp, startRelay, type RunningRelay } from './app/relay'
import {
  RELAY_SOCKET_FAILED,
  chooseNickname,
  connection,
  createGroup,
  messages,
  send,
  serviceWorkerReady,
} from './app/steps'

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
  // Going offline makes Chromium log each failed reconnect of the relay's sockets (expected); any
  // other failed request or error is not.
  expect(
    alice.errors.splice(0).filter((e) => !RELAY_SOCKET_FAILED.test(e)),
    'errors in the page',
  ).toEqual([])
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

  it('keeps messages pending with the network cut, across a reload, and delivers them once back', async () => {
    const { page, context } = alice
    await page.goto('/')
    await chooseNickname(page, 'Alice')
    await serviceWorkerReady(page)
    await createGroup(page, 'Offline club')
    await send(page, 'sent while online')
    const online = messages(page).filter({ hasText: 'sent while online' })
    await online.waitFor()
    // Acknowledged by the relay's mailbox: not pending.
    await online.getByText('Pending', { exact: true }).waitFor({ state: 'detached' })
    await connection(page).filter({ hasText: 'Relay connected' }).waitFor()

    // Chromium's offline emulation fails new connections but leaves an open WebSocket alone: cut the
    // network, then reload (from the service worker) so the app starts with the relay out of reach.
    await context.setOffline(true)
    const response = await page.reload()
    expect(response?.fromServiceWorker(), 'the reload was answered by the service worker').toBe(true)
    await page.getByRole('banner').getByText('Signed in as Alice').waitFor()
    // The group and its history come from IndexedDB.
    await page.getByRole('heading', { name: '# general', level: 1 }).waitFor()
    await online.waitFor()
    await connection(page).filter({ hasText: 'Relay unreachable' }).waitFor()

    await send(page, 'sent **offline**')
    const offline = messages(page).filter({ hasText: 'sent offline' })
    await offline.locator('strong').waitFor()
    // Nothing can carry it: it stays on this device, marked as such.
    await offline.getByText('Pending', { exact: true }).waitFor()
    expect(await offline.getByText('Pending').getAttribute('title')).toMatch(/Not delivered yet/)
    await new Promise((r) => setTimeout(r, 1000))
    expect(await offline.getByText('Pending', { exact: true }).count(), 'still pending after 1 s').toBe(1)

    // Reloaded again, still offline: what is pending stays pending (the replica's outbox is stored).
    await page.reload()
    await online.waitFor()
    expect(await online.getByText('Pending', { exact: true }).count()).toBe(0)
    await offline.getByText('Pending', { exact: true }).waitFor()
    await page.getByRole('link', { name: 'Tailmesh home' }).click()
    await page.getByRole('heading', { name: 'Your groups' }).waitFor()
    await page
      .getByRole('navigation', { name: 'Groups' })
      .getByRole('link', { name: 'Offline club' })
      .waitFor()
    expect(await page.getByRole('note').count(), 'no "groups are not kept" note').toBe(0)
    await page.getByRole('navigation', { name: 'Groups' }).getByRole('link', { name: 'Offline club' }).click()
    await offline.getByText('Pending', { exact: true }).waitFor()

    // Back online: the replica sends it again and the mailbox acknowledges it.
    const back = Date.now()
    await context.setOffline(false)
    await offline.getByText('Pending', { exact: true }).waitFor({ state: 'detached', timeout: 15_000 })
    console.log(`pending → delivered ${Date.now() - back} ms after the network came back`)
    await connection(page).filter({ hasText: 'Relay connected' }).waitFor()
  })
})
