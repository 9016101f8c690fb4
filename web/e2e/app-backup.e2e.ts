// Identity backup end to end in the browser: Alice downloads a passphrase-encrypted backup in her
// profile; on a second device (another profile, no identity yet) a wrong passphrase is refused with a
// clear message and nothing kept, and the right one brings back the same user (same id, same
// nickname). Real relay, real IndexedDB keystore, real download.
import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { castOnRelay } from './app/cast'
import { chooseNickname, openFromAccountMenu } from './app/steps'

const NICKNAME = 'Alice Lindqvist'
const PASSPHRASE = 'correct horse battery staple'
const cast = castOnRelay(['alice', 'alice-laptop'])
let phone: Page
let laptop: Page

beforeAll(() => {
  phone = cast.person('alice').page
  laptop = cast.person('alice-laptop').page
})

/** The user id shown on the backup page. */
async function myId(page: Page): Promise<string> {
  await openFromAccountMenu(page, 'Backup')
  await page.getByRole('heading', { name: 'Identity backup' }).waitFor()
  const text = (await page.getByText(/^[A-Za-z0-9_-]{43}$/).textContent()) ?? ''
  return text.trim()
}

describe('identity backup in the browser', () => {
  it('a backup downloaded on one device restores the same person on another; a wrong passphrase keeps nothing', async () => {
    await phone.goto('/')
    await chooseNickname(phone, NICKNAME)
    const id = await myId(phone)
    expect(id).toHaveLength(43)

    await phone.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE)
    await phone.getByLabel('Passphrase again').fill('something else')
    await phone.getByRole('button', { name: 'Download backup' }).click()
    await phone.getByRole('alert').filter({ hasText: 'The two passphrases differ.' }).waitFor()
    await phone.getByLabel('Passphrase again').fill(PASSPHRASE)
    const [download] = await Promise.all([
      phone.waitForEvent('download'),
      phone.getByRole('button', { name: 'Download backup' }).click(),
    ])
    const file = await download.path()
    expect(readFileSync(file).length).toBeGreaterThan(100)
    expect(readFileSync(file).includes(Buffer.from(NICKNAME))).toBe(false)

    await laptop.goto('/')
    await laptop.getByLabel('Backup file').setInputFiles(file)
    await laptop.getByLabel('Passphrase', { exact: true }).fill('wrong passphrase')
    await laptop.getByRole('button', { name: 'Restore' }).click()
    await laptop.getByRole('alert').filter({ hasText: 'The passphrase does not open this backup.' }).waitFor()
    await laptop.reload()
    await laptop.getByLabel('Nickname').waitFor()

    await laptop.getByLabel('Backup file').setInputFiles(file)
    await laptop.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE)
    await laptop.getByRole('button', { name: 'Restore' }).click()
    await laptop.getByText(`Signed in as ${NICKNAME}`).waitFor()
    expect(await myId(laptop)).toBe(id)
    // Kept: still the same person after a reload.
    await laptop.reload()
    await laptop.getByText(`Signed in as ${NICKNAME}`).waitFor()
  })
})
