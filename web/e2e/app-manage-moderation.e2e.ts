// Invites and moderation between three people in their own Chromium profiles, through the real relay:
// an invite with an expiry and a usage limit (the join screen shows the group, its member count and
// the inviter; a second person is refused once it is used up), the invite list and revoking; muting
// Bob for a while (his composer says until when; unmuted, he sends again), kicking Carol and banning
// Bob (each sees they are no longer a member, and a banned Bob cannot come back with a new invite).
//
// One story, in order: each test starts where the previous one ended.
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  acceptDialogs,
  backToGroup,
  founder,
  joinFromScreen,
  memberEntry,
  openSettings,
} from './app/manage-steps'
import { castOnRelay } from './app/cast'
import { chooseNickname, messages, send } from './app/steps'

const ALICE = 'Alice Quillfeather'
const BOB = 'Bob Ravensworth'
const CAROL = 'Carol Fenwick'
const GROUP = 'Harbour watch'

const cast = castOnRelay(['alice', 'bob', 'carol'])
let a: Page
let b: Page
let c: Page

beforeAll(() => {
  ;[a, b, c] = cast.people.map((p) => p.page) as [Page, Page, Page]
  for (const p of [a, b, c]) acceptDialogs(p)
})

const tab = (p: Page, name: string) =>
  p.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name }).click()

/** Creates an invite in the Invites section and returns its link. */
async function createInvite(p: Page, expiry: string, uses: string): Promise<string> {
  await p.getByLabel('Expires after').selectOption({ label: expiry })
  await p.getByLabel('Usage limit').selectOption({ label: uses })
  const box = p.getByRole('textbox', { name: 'New invite link' })
  const before = (await box.count()) ? await box.inputValue() : ''
  await p.getByRole('button', { name: 'Create invite' }).click()
  await expect
    .poll(async () => ((await box.count()) ? box.inputValue() : ''), { timeout: 10_000 })
    .not.toBe(before)
  return box.inputValue()
}

describe('invites and moderation among three people', () => {
  let oneUse: string

  it('an invite for 30 minutes and 1 use: Bob joins, Carol is refused; the join screen shows who invites', async () => {
    await founder(a, ALICE, GROUP)
    await openSettings(a, 'Invites')
    oneUse = await createInvite(a, '30 minutes', '1 use')

    await b.goto(oneUse)
    await chooseNickname(b, BOB)
    await b.getByText(`You are invited to ${GROUP}`).waitFor({ timeout: 15_000 })
    await b.getByText(`1 member · Invited by ${ALICE}`).waitFor({ timeout: 10_000 })
    await joinFromScreen(b)

    await c.goto(oneUse)
    await chooseNickname(c, CAROL)
    await c.getByText(`2 members · Invited by ${ALICE}`).waitFor({ timeout: 15_000 })
    // The join screen says so before any click, and offers no Join.
    await c.getByRole('alert').filter({ hasText: 'used up' }).waitFor({ timeout: 10_000 })
    expect(await c.getByRole('button', { name: 'Join' }).isDisabled()).toBe(true)

    // Alice's list: used 1 of 1, used up; and the expiry choices are Tailchat's.
    const row = a.getByRole('listitem').filter({ hasText: 'Used 1 of 1' })
    await row.waitFor({ timeout: 10_000 })
    await row.getByText('Used up').waitFor()
    expect(await a.getByLabel('Expires after').locator('option').allTextContents()).toEqual([
      '30 minutes',
      '1 hour',
      '6 hours',
      '12 hours',
      '1 day',
      '7 days',
      'Never',
    ])
  })

  it('a permanent unlimited invite lets Carol in; Alice revokes it', async () => {
    const forever = await createInvite(a, 'Never', 'Unlimited')
    await c.goto(forever)
    await joinFromScreen(c)
    const row = a.getByRole('listitem').filter({ hasText: 'Never expires' })
    await row.getByText('Used once').waitFor({ timeout: 10_000 })
    await row.getByRole('button', { name: /^Revoke invite/ }).click()
    // Revoked: the row says so instead of its expiry, and offers no revoke any more.
    const revoked = a.getByRole('listitem').filter({ hasText: 'Used once' })
    await revoked.getByText('Revoked').waitFor({ timeout: 10_000 })
    expect(await revoked.getByRole('button').count()).toBe(0)
  })

  it('Alice mutes Bob: his composer says until when; unmuted, he sends again', async () => {
    await tab(a, 'Members')
    await a.getByRole('combobox', { name: `Mute ${BOB} for` }).selectOption({ label: '5 minutes' })
    await a
      .getByRole('group', { name: `Moderate ${BOB}` })
      .getByRole('button', { name: 'Mute' })
      .click()
    await a.getByText(/^Muted until/).waitFor({ timeout: 10_000 })

    const box = b.getByRole('textbox', { name: 'Message #general' })
    await expect.poll(() => box.isDisabled(), { timeout: 10_000 }).toBe(true)
    await b.getByText(/^You are muted until \d/).waitFor()

    await a.getByRole('button', { name: `Unmute ${BOB}` }).click()
    await expect.poll(() => box.isEnabled(), { timeout: 10_000 }).toBe(true)
    await send(b, 'Thank you, I will keep it short')
    await backToGroup(a)
    await messages(a).filter({ hasText: 'Thank you, I will keep it short' }).waitFor({ timeout: 10_000 })
  })

  it('Alice kicks Carol and bans Bob: each is told, and Bob cannot come back', async () => {
    await openSettings(a, 'Members')
    await a.getByRole('button', { name: `Kick ${CAROL}` }).click()
    await c.getByText('You are no longer a member of this group.').waitFor({ timeout: 10_000 })
    await a.getByRole('button', { name: `Ban ${BOB}` }).click()
    await b.getByText('You are no longer a member of this group.').waitFor({ timeout: 10_000 })
    await a.getByRole('heading', { name: 'Banned' }).waitFor()
    await backToGroup(a)
    await expect.poll(() => memberEntry(a, BOB).count(), { timeout: 10_000 }).toBe(0)
    expect(await memberEntry(a, CAROL).count()).toBe(0)

    // The kick and the ban rotated the group key: Carol's app, still open, keeps the history she had
    // and reads nothing sent afterwards (Bob's neither), though its replica is still connected.
    await send(a, 'Said after the removals')
    await messages(a).filter({ hasText: 'Said after the removals' }).waitFor({ timeout: 10_000 })
    await messages(c).filter({ hasText: 'Thank you, I will keep it short' }).waitFor({ timeout: 10_000 })
    await c.waitForTimeout(2000)
    expect(await messages(c).filter({ hasText: 'Said after the removals' }).count()).toBe(0)
    expect(await messages(b).filter({ hasText: 'Said after the removals' }).count()).toBe(0)

    // A fresh invite does not let a banned member back in. The link carries the key the ban rotated
    // to, so Bob's app finds the invite, and the join screen says he is banned instead of offering
    // Join (his client would refuse, and so would every gate).
    await openSettings(a, 'Invites')
    const again = await createInvite(a, '1 day', '5 uses')
    await b.goto(again)
    await b.getByRole('alert').filter({ hasText: 'banned' }).waitFor({ timeout: 15_000 })
    expect(await b.getByRole('button', { name: 'Join' }).isDisabled()).toBe(true)
    await backToGroup(a)
    expect(await memberEntry(a, BOB).count()).toBe(0)
  })
})
