// The app as a person meets it, built (web/dist) and served by the real relay process: first run,
// a group with "general", markdown messages (and hostile ones rendered inert), the identity across a
// reload, invite links, the language switch and a keyboard-only run.
import { randomBytes } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { encodeInvitePayload } from '../src/client/invite-link'
import { closeEveryone, launchPerson, type Person } from './harness'
import { buildApp, startRelay, type RunningRelay } from './app/relay'
import {
  chooseLanguage,
  chooseNickname,
  createGroup,
  messages,
  send,
  tabTo,
  unnamedControls,
} from './app/steps'

let relay: RunningRelay
const people: Person[] = []

async function person(name: string): Promise<Person> {
  const p = await launchPerson(name, { baseURL: relay.url })
  people.push(p)
  return p
}

beforeAll(async () => {
  await buildApp()
  relay = await startRelay()
}, 180_000)

afterAll(async () => {
  await closeEveryone()
  await relay?.stop()
})

afterEach(async () => {
  // Each person's page errors fail the test that caused them.
  for (const p of people) expect(p.errors.splice(0), `errors in ${p.name}'s page`).toEqual([])
  await Promise.all(people.splice(0).map((p) => p.close()))
})

describe('first run', () => {
  it('nickname → group with "general" → markdown message; hostile HTML is inert', async () => {
    const { page } = await person('alice')
    await page.goto('/')
    await page.getByRole('heading', { name: 'Welcome to Tailmesh' }).waitFor()
    // A nickname over 32 characters is refused with the rule.
    await page.getByLabel('Nickname').fill('x'.repeat(33))
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByRole('alert').filter({ hasText: '1 to 32 characters' }).waitFor()

    await chooseNickname(page, 'Alice')
    await page.getByRole('heading', { name: 'Your groups' }).waitFor()
    await createGroup(page, 'Tailmesh team')
    await page.getByRole('navigation', { name: 'Panels' }).getByRole('link', { name: '# general' }).waitFor()
    await page
      .getByRole('navigation', { name: 'Panels' })
      .getByRole('heading', { name: 'Tailmesh team' })
      .waitFor()

    await send(page, 'hello **bold** and `code`')
    const first = messages(page).first()
    await first.getByText('Alice', { exact: true }).waitFor()
    expect(await first.locator('strong').textContent()).toBe('bold')
    expect(await first.locator('code').textContent()).toBe('code')
    expect(await first.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/)

    const hostile =
      '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">[x](javascript:window.__pwned=3)'
    await send(page, hostile)
    const second = messages(page).nth(1)
    await second.waitFor()
    // Shown as text, never as markup: no script or img element, no javascript: link, nothing ran.
    expect(await second.locator('script, img, [onerror]').count()).toBe(0)
    expect(await second.locator('a[href^="javascript"]').count()).toBe(0)
    expect(await second.textContent()).toContain('<script>')
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined()
  })

  it('the identity survives a reload', async () => {
    const { page } = await person('bob')
    await page.goto('/')
    await chooseNickname(page, 'Bob 🚀')
    await page.reload()
    await page.getByText('Signed in as Bob 🚀').waitFor()
    await page.getByRole('heading', { name: 'Your groups' }).waitFor()
    expect(await page.getByLabel('Nickname').count()).toBe(0)
  })

  it('the invite link carries its payload only after "#"; the Join screen reads it', async () => {
    const carol = await person('carol')
    await carol.grantPermissions(['clipboard-read', 'clipboard-write'], new URL(relay.url).origin)
    await carol.page.goto('/')
    await chooseNickname(carol.page, 'Carol')
    await createGroup(carol.page, 'Book club')
    await carol.page.getByRole('button', { name: 'Copy invite link' }).click()
    await carol.page.getByRole('status').filter({ hasText: 'Invite link copied.' }).waitFor()
    const link = await carol.page.getByRole('textbox', { name: 'Invite link' }).inputValue()
    expect(await carol.page.evaluate(() => navigator.clipboard.readText())).toBe(link)

    const url = new URL(link)
    expect(url.origin + '/').toBe(relay.url)
    expect(url.pathname).toBe('/')
    expect(url.search).toBe('')
    expect(url.hash).toMatch(/^#\/join\/[A-Za-z0-9_-]{95}$/)

    // The same person opening their own link: the group is known here, so its name shows.
    await carol.page.goto(link)
    await carol.page.getByText('You are a member of Book club.').waitFor()
    await carol.page.getByRole('button', { name: 'Open group' }).click()
    await carol.page.getByRole('heading', { name: '# general', level: 1 }).waitFor()
    // Nothing of the payload reached the server (its log names every request it refuses or fails).
    expect(relay.output()).not.toContain(url.hash.slice('#/join/'.length))

    // Someone else: first a nickname, then back to the invite; the group document comes from the
    // relay's mailbox (or from Carol directly), and then the Join screen names the group.
    const dave = await person('dave')
    await dave.page.goto(link)
    await chooseNickname(dave.page, 'Dave')
    await dave.page.getByRole('heading', { name: 'Join a group' }).waitFor()
    await dave.page.getByText('You are invited to Book club').waitFor({ timeout: 15_000 })
    // Join is enabled once the invite itself has arrived too (it can come just after the name).
    await expect.poll(() => dave.page.getByRole('button', { name: 'Join' }).isEnabled()).toBe(true)
    expect(await unnamedControls(dave.page), 'join').toEqual([])

    // A well-formed link to a group nobody here holds: Join waits, disabled, until a member is seen.
    const unknown = encodeInvitePayload({
      groupId: randomBytes(17).toString('base64url').slice(0, 22),
      groupKey: new Uint8Array(randomBytes(32)),
      secret: new Uint8Array(randomBytes(16)),
    })
    await dave.page.goto(`/#/join/${unknown}`)
    await dave.page.getByRole('status').filter({ hasText: 'Looking for the group' }).waitFor()
    expect(await dave.page.getByRole('button', { name: 'Join' }).isDisabled()).toBe(true)
    expect(await unnamedControls(dave.page), 'join (waiting)').toEqual([])

    // A damaged link says so.
    await dave.page.goto(link.slice(0, -3))
    await dave.page.getByRole('alert').filter({ hasText: 'This invite link is not valid.' }).waitFor()
  })

  it('switching the language to 中文 changes the visible labels, and it is kept', async () => {
    const { page } = await person('erin')
    await page.goto('/')
    await page.getByRole('combobox', { name: 'Language / 语言' }).selectOption({ label: '中文' })
    await page.getByRole('heading', { name: '欢迎使用 Tailmesh' }).waitFor()
    expect(await page.getByRole('button', { name: '继续' }).isVisible()).toBe(true)
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN')
    await page.getByLabel('昵称').fill('小明')
    await page.getByRole('button', { name: '继续' }).click()
    await page.getByRole('button', { name: '创建群组' }).waitFor()
    await page.reload()
    await page.getByRole('heading', { name: '我的群组' }).waitFor()
    // Signed in, the picker is in the account menu.
    await chooseLanguage(page, 'English')
    await page.getByRole('button', { name: 'Create group' }).waitFor()
  })

  it('keyboard only: nickname, create a group, send a message (Tab and Enter)', async () => {
    const { page } = await person('frank')
    await page.goto('/')
    // The nickname field has focus on arrival.
    await page.getByLabel('Nickname').waitFor()
    expect(await unnamedControls(page), 'welcome').toEqual([])
    await page.keyboard.type('Frank')
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: 'Your groups' }).waitFor()
    expect(await unnamedControls(page), 'home').toEqual([])

    await tabTo(page, 'button', 'Create group')
    await page.keyboard.press('Enter')
    await page.getByRole('dialog', { name: 'Create a group' }).waitFor()
    expect(await unnamedControls(page), 'create-group dialog').toEqual([])
    await page.keyboard.type('Keyboard club')
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: '# general', level: 1 }).waitFor()

    await tabTo(page, 'textbox', 'Message #general')
    await page.keyboard.type('typed *without* a mouse')
    await page.keyboard.press('Enter')
    await messages(page).first().locator('em').filter({ hasText: 'without' }).waitFor()

    await tabTo(page, 'button', 'Copy invite link')
    await page.keyboard.press('Enter')
    await page.getByRole('textbox', { name: 'Invite link' }).waitFor()
    expect(await unnamedControls(page), 'group').toEqual([])
  })
})
