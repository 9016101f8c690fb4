// Alice links her laptop to the identity on her first device with a pairing code, through the real
// relay's /signal: the laptop shows the code and a fingerprint, Alice types the code on her device and
// confirms after comparing the fingerprint; the laptop then opens her group, reads its history and
// posts as Alice. Then the laptop is "stolen": Alice revokes it, and what it sends afterwards never
// reaches Bob, while it no longer reads what the others write.
//
// One story, in order: each test starts where the previous one ended.
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { castOnRelay } from './app/cast'
import { acceptDialogs, founder, joinWith } from './app/manage-steps'
import { messages, openFromAccountMenu, send } from './app/steps'

const ALICE = 'Alice Quillfeather'
const BOB = 'Bob Ravensworth'
const GROUP = 'Two screens'

// The stolen laptop's own gate refuses what it sends after the revocation; its page may log that.
const cast = castOnRelay(['alice', 'laptop', 'bob'], { tolerated: (e) => /revoked/i.test(e) })
let a: Page
let l: Page
let b: Page

beforeAll(() => {
  ;[a, l, b] = cast.people.map((p) => p.page) as [Page, Page, Page]
  for (const p of [a, l, b]) acceptDialogs(p)
})

const message = (p: Page, text: string) => messages(p).filter({ hasText: text })

describe('a second device, linked and revoked', () => {
  it('the laptop shows a code; Alice confirms the same fingerprint; the laptop reads and posts as Alice', async () => {
    const link = await founder(a, ALICE, GROUP)
    await send(a, 'hello from the first device')
    await joinWith(b, link, BOB)

    await l.goto('/')
    await l.getByLabel('Name for this device').fill('Laptop')
    await l.getByRole('button', { name: 'Show a pairing code' }).click()
    const code = (await l.getByTestId('pairing-code').textContent())!.trim()
    const fingerprint = (await l.getByTestId('pairing-fingerprint').textContent())!.replace(
      'Fingerprint: ',
      '',
    )
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{1,4}){6}$/)

    await openFromAccountMenu(a, 'Devices')
    await a.getByLabel('Pairing code shown on the new device').fill(code.toLowerCase())
    await a.getByRole('button', { name: 'Link device' }).click()
    const dialog = a.getByRole('dialog', { name: 'Link this device?' })
    await dialog.waitFor({ timeout: 20_000 })
    expect(await dialog.textContent()).toContain(`“Laptop”`)
    expect(await dialog.textContent()).toContain(fingerprint)
    await dialog.getByRole('button', { name: 'Link it' }).click()
    await a.getByRole('status').filter({ hasText: '“Laptop” is linked.' }).waitFor({ timeout: 20_000 })
    await a
      .getByRole('listitem')
      .filter({ hasText: 'Laptop' })
      .getByRole('button', { name: 'Revoke Laptop' })
      .waitFor()

    // The laptop is Alice now, with her group and its history.
    await l.getByText(`Signed in as ${ALICE}`).waitFor({ timeout: 20_000 })
    const home = l.getByRole('navigation', { name: 'Groups' }).getByRole('link', { name: GROUP })
    await home.waitFor({ timeout: 20_000 })
    await home.click()
    await message(l, 'hello from the first device').waitFor({ timeout: 20_000 })
    await send(l, 'typed on the laptop')
    await message(b, 'typed on the laptop').waitFor({ timeout: 20_000 })
    expect(await message(b, 'typed on the laptop').textContent()).toContain(ALICE)
    await a.goBack()
    await message(a, 'typed on the laptop').waitFor({ timeout: 20_000 })

    // The laptop keeps all of it across a reload: identity, group and history.
    await l.reload()
    await l.getByText(`Signed in as ${ALICE}`).waitFor({ timeout: 20_000 })
    await message(l, 'typed on the laptop').waitFor({ timeout: 20_000 })
  })

  it('revoked, the laptop is refused by the others and reads nothing sent afterwards', async () => {
    await openFromAccountMenu(a, 'Devices')
    await a.getByRole('button', { name: 'Revoke Laptop' }).click()
    await a.getByRole('status').filter({ hasText: 'Revoked.' }).waitFor({ timeout: 20_000 })
    await a.getByRole('listitem').filter({ hasText: 'Laptop' }).getByText('revoked').waitFor()

    // The thief's laptop learns of it too (its Devices page shows it), then keeps typing.
    await openFromAccountMenu(l, 'Devices')
    await l.getByRole('listitem').filter({ hasText: 'revoked' }).waitFor({ timeout: 20_000 })
    await l.goBack()
    await send(l, 'sent by the thief')

    await a.goBack()
    await send(a, 'after the revocation')
    await message(b, 'after the revocation').waitFor({ timeout: 20_000 })
    await b.waitForTimeout(2_000)
    expect(await message(b, 'sent by the thief').count()).toBe(0)
    expect(await message(a, 'sent by the thief').count()).toBe(0)
    expect(await message(l, 'after the revocation').count()).toBe(0)
  })
})
