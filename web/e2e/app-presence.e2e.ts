// Presence in the built app between two people, each in their own Chromium profile, through the real
// relay: Bob sees Alice online in the member list (grouped by role), sees "Alice is typing…" under
// his composer while she types and not once she has sent, and sees her offline after she closes her
// page (no heartbeat for the expiry, 30 s).
//
// One story, in order: each test starts where the previous one ended.
import type { Locator, Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Person } from './harness'
import { castOnRelay } from './app/cast'
import { joinWith, memberEntry } from './app/manage-steps'
import { chooseNickname, copyInviteLink, createGroup, messages, RELAY_SOCKET_FAILED } from './app/steps'

const ALICE = 'Alice Quillfeather'
const BOB = 'Bob Ravensworth'

// Once Alice's page is gone, Bob's WebRTC connection to her may report its end on the console.
const cast = castOnRelay(['alice', 'bob'], { tolerated: (e) => RELAY_SOCKET_FAILED.test(e) })
let alice: Person
let a: Page
let b: Page

beforeAll(() => {
  alice = cast.person('alice')
  a = alice.page
  b = cast.person('bob').page
})

/** A member's entry says online or offline in words (visually hidden; the dot only shows it). */
const withStatus = (entry: Locator, status: 'online' | 'offline'): Locator =>
  entry.filter({ hasText: `, ${status}` })
const typingLine = (p: Page): Locator => p.getByRole('status').filter({ hasText: 'typing' })

describe('presence between two people', () => {
  it('Alice and Bob share a group; each sees the other online, grouped under Everyone', async () => {
    await a.goto('/')
    await chooseNickname(a, ALICE)
    await createGroup(a, 'Signal tower')
    const link = await copyInviteLink(a)
    await joinWith(b, link, BOB)
    await b.getByRole('heading', { name: '# general', level: 1 }).waitFor()

    await withStatus(memberEntry(b, ALICE), 'online').waitFor({ timeout: 20_000 })
    await withStatus(memberEntry(a, BOB), 'online').waitFor({ timeout: 20_000 })
    const members = b.getByRole('region', { name: 'Members' })
    await members.getByRole('group', { name: 'Everyone — 2/2 online' }).waitFor()
    // Bob's own entry is marked as his.
    expect(await memberEntry(b, BOB).textContent()).toContain('(you)')
  })

  it('Bob sees "Alice is typing…" while she types, and not after she sends', async () => {
    const box = a.getByRole('textbox', { name: 'Message #general' })
    await box.click()
    await box.pressSequentially('The lamp needs new oil', { delay: 20 })
    await typingLine(b)
      .filter({ hasText: `${ALICE} is typing…` })
      .waitFor({ timeout: 10_000 })
    // The line is a polite live region under the composer.
    expect(await typingLine(b).getAttribute('aria-live')).toBe('polite')
    // Alice does not see herself typing.
    expect(await typingLine(a).count()).toBe(0)

    await box.press('Enter')
    await messages(b).filter({ hasText: 'The lamp needs new oil' }).waitFor({ timeout: 10_000 })
    await expect.poll(() => typingLine(b).count(), { timeout: 10_000 }).toBe(0)
  })

  it('leaving the message box stops typing too', async () => {
    const box = a.getByRole('textbox', { name: 'Message #general' })
    await box.pressSequentially('Half a thought', { delay: 20 })
    await typingLine(b)
      .filter({ hasText: `${ALICE} is typing…` })
      .waitFor({ timeout: 10_000 })
    await a.getByRole('button', { name: 'Send' }).focus()
    await expect.poll(() => typingLine(b).count(), { timeout: 10_000 }).toBe(0)
  })

  it('Alice closes her page: Bob sees her offline within the expiry', async () => {
    await a.close()
    await withStatus(memberEntry(b, ALICE), 'offline').waitFor({ timeout: 45_000 })
    await b
      .getByRole('region', { name: 'Members' })
      .getByRole('group', { name: 'Everyone — 1/2 online' })
      .waitFor()
    // Online first: Bob (online) is listed before Alice (offline).
    const names = await b.getByRole('region', { name: 'Members' }).getByRole('listitem').allTextContents()
    expect(names.findIndex((n) => n.includes(BOB))).toBeLessThan(names.findIndex((n) => n.includes(ALICE)))
  })
})
