// Sign in with Tailmesh, the whole way: Alice (owner of "Hiring", holding its "Leader" role) opens a
// web panel showing the example site (plugins/auth-verify/example, a real HTTP server on another
// origin). The page asks who she is; the app, not the page, asks her, naming the site's origin and
// what it will get; she allows it; the site's server verifies the assertion offline and the page
// greets her and confirms the role. A second visit signs in without asking; a request without the
// frame's token (what a page navigated to inside the frame would send) is refused; Settings lists
// the site and revokes it.
import { startExampleSite, type ExampleSite } from '@tailmesh/auth-verify/example'
import type { Frame, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { castOnRelay } from './app/cast'
import { backToGroup, founder, openSettings, panelLink } from './app/manage-steps'
import { unnamedControls } from './app/steps'

const cast = castOnRelay(['alice'])
let site: ExampleSite
beforeAll(async () => void (site = await startExampleSite({ role: 'Leader' })))
afterAll(() => site?.close())

const ALICE = 'Alice Quillfeather'
const panelFrame = (page: Page) => page.frameLocator('iframe[title="Web page example-site"]')
const prompt = (page: Page) => page.getByRole('dialog', { name: 'Sign in with Tailmesh?' })

async function signInFromPanel(page: Page): Promise<void> {
  await panelLink(page, 'example-site', '🌐').click()
  await panelFrame(page).getByRole('button', { name: 'Sign in with Tailmesh' }).click()
}

function siteFrame(page: Page): Frame {
  const frame = page.frames().find((f) => f.url().startsWith(site.origin))
  if (!frame) throw new Error('the example site is not in a frame')
  return frame
}

describe('plugin: sign in with Tailmesh', () => {
  it('a web panel page signs Alice in after she allows it, and a second visit does not ask', async () => {
    const a = cast.person('alice').page
    await founder(a, ALICE, 'Hiring')

    await openSettings(a, 'Roles')
    await a.getByLabel('New role name').fill('Leader')
    await a.getByRole('button', { name: 'Create role' }).click()
    await a.getByRole('article', { name: 'Leader' }).waitFor()
    await a
      .getByRole('navigation', { name: 'Settings sections' })
      .getByRole('link', { name: 'Members' })
      .click()
    const roles = a.getByRole('group', { name: `Roles of ${ALICE}` })
    await roles.getByRole('checkbox', { name: 'Leader' }).check()
    await expect.poll(() => roles.getByRole('checkbox', { name: 'Leader' }).isChecked()).toBe(true)

    await a
      .getByRole('navigation', { name: 'Settings sections' })
      .getByRole('link', { name: 'Panels' })
      .click()
    const form = a.getByRole('form', { name: 'Create panel' })
    await form.getByLabel('Panel name').fill('example-site')
    await form.getByLabel('Type').selectOption({ label: 'Web page' })
    await form.getByLabel('Web page URL').fill(site.url)
    await form.getByRole('button', { name: 'Create panel' }).click()
    await backToGroup(a)

    // First visit: the app asks, naming the site's origin, what it gets and the group.
    await signInFromPanel(a)
    await prompt(a).waitFor()
    const text = await prompt(a).textContent()
    expect(text).toContain(`${site.origin} asks who you are`)
    expect(text).toContain(`your user id and nickname (${ALICE})`)
    expect(text).toContain('the group Hiring and your roles in it')
    expect(await unnamedControls(a)).toEqual([])
    await prompt(a).getByRole('button', { name: 'Allow', exact: true }).click()
    await panelFrame(a).getByText(`Hello ${ALICE}`).waitFor({ timeout: 15_000 })
    await panelFrame(a).getByText('You are a Leader in Hiring.').waitFor()
    expect(site.signIns).toHaveLength(1)
    expect(site.signIns[0]!.aud).toBe(site.origin)

    // A request without this frame's token is refused, and never reaches the member.
    const refused = await siteFrame(a).evaluate(
      () =>
        new Promise<unknown>((resolve) => {
          const c = new MessageChannel()
          c.port1.onmessage = (e) => resolve(e.data)
          const request = {
            type: 'tailmesh.sign-in.request',
            version: 1,
            nonce: 'abcdefgh-1234',
            frame: 'guess',
          }
          window.parent.postMessage(request, '*', [c.port2])
        }),
    )
    expect(refused).toMatchObject({ type: 'tailmesh.sign-in.error', code: 'invalid' })
    expect(await prompt(a).count()).toBe(0)

    // Second visit (the frame loads again): signed in without a prompt.
    await panelLink(a, 'general').click()
    await a.getByRole('heading', { name: '# general', level: 1 }).waitFor()
    await signInFromPanel(a)
    await expect.poll(() => site.signIns.length, { timeout: 15_000 }).toBe(2)
    await panelFrame(a).getByText(`Hello ${ALICE}`).waitFor()
    expect(await prompt(a).count()).toBe(0)

    // Settings lists the site for this group; revoking it empties the list.
    await a.goto('/#/settings')
    const sites = a.getByRole('region', { name: 'Sites you signed in to' })
    const revoke = sites.getByRole('button', { name: `Revoke ${site.origin} in Hiring` })
    await revoke.click()
    await sites.getByText('None yet.').waitFor()
  })
})
