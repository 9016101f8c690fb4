// Messaging between two people in the built app, each in their own Chromium profile, through the real
// relay: reply + jump to the original, a reaction (count and who), edit ("edited" on the other side),
// recall (body gone on both sides), no Delete on someone else's message without deleteMessage, an
// @mention through the composer's completion that lands in Bob's inbox and opens in context, and the
// unread dot of a panel that appears while Bob reads older messages and clears at the bottom.
//
// One story, in order: each test starts where the previous one ended.
import type { Locator, Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Person } from './harness'
import { castOnRelay } from './app/cast'
import { joinWith } from './app/manage-steps'
import {
  chooseNickname,
  copyInviteLink,
  createGroup,
  messageAction,
  messages,
  moreActions,
  send,
} from './app/steps'

const ALICE = 'Alice Quillfeather'
const BOB = 'Bob Ravensworth'

const cast = castOnRelay(['alice', 'bob'])
let alice: Person
let bob: Person
let a: Page
let b: Page

beforeAll(() => {
  alice = cast.person('alice')
  bob = cast.person('bob')
  a = alice.page
  b = bob.page
})

/** The message whose body (not a reply quote of it) has `text`. */
const message = (p: Page, text: string): Locator =>
  messages(p).filter({ has: p.locator('.body', { hasText: text }) })
const tombstone = (p: Page, text: string): Locator =>
  messages(p).filter({ has: p.locator('.hint', { hasText: text }) })
const actions = (item: Locator): Locator => item.getByRole('toolbar', { name: 'Message actions' })

describe('messaging between two people', () => {
  it('Alice and Bob share a group', async () => {
    await a.goto('/')
    await chooseNickname(a, ALICE)
    await createGroup(a, 'Signal tower')
    await send(a, 'Original note about the lamp')
    const link = await copyInviteLink(a)
    await joinWith(b, link, BOB)
    await message(b, 'Original note about the lamp').waitFor({ timeout: 10_000 })
    await a.getByRole('region', { name: 'Members' }).getByText(BOB).waitFor({ timeout: 10_000 })
  })

  it('Bob replies; Alice sees the quote, and clicking it jumps to and highlights the original', async () => {
    const original = message(b, 'Original note about the lamp')
    await original.hover()
    await actions(original).getByRole('button', { name: 'Reply' }).click()
    await b.getByText(`Replying to ${ALICE}`).waitFor()
    // The composer has focus after choosing Reply.
    await b.keyboard.type('Reply from Bob')
    await b.keyboard.press('Enter')
    const reply = message(a, 'Reply from Bob')
    await reply.waitFor({ timeout: 10_000 })
    const quote = reply.getByRole('button', {
      name: /^Reply to Alice Quillfeather: Original note about the lamp/,
    })
    await quote.click()
    await a
      .locator('.msg.highlighted', { hasText: 'Original note about the lamp' })
      .waitFor({ timeout: 5_000 })
  })

  it('a reaction from Bob shows count 1 and who reacted on Alice’s side', async () => {
    const original = message(b, 'Original note about the lamp')
    await original.hover()
    await actions(original).getByRole('button', { name: 'Add reaction' }).click()
    await b
      .getByRole('dialog', { name: 'Pick a reaction' })
      .getByRole('button', { name: 'thumbs up', exact: true })
      .click()
    const chip = message(a, 'Original note about the lamp').getByRole('button', { name: /^👍 1: / })
    await chip.waitFor({ timeout: 10_000 })
    expect(await chip.getAttribute('aria-label')).toBe(`👍 1: ${BOB}`)
    expect(await chip.getAttribute('title')).toContain(BOB)
    expect(await chip.getAttribute('aria-pressed')).toBe('false')
  })

  it('Alice edits her message: Bob sees the new text marked edited', async () => {
    const mine = message(a, 'Original note about the lamp')
    await messageAction(mine, 'Edit')
    const box = a.getByRole('textbox', { name: 'Edit message' })
    await box.fill('Corrected note about the lamp')
    await box.press('Enter')
    const edited = message(b, 'Corrected note about the lamp')
    await edited.waitFor({ timeout: 10_000 })
    await edited.getByText('(edited)').waitFor()
  })

  it('Bob has no Delete on Alice’s message (no deleteMessage), but has it on his own', async () => {
    const hers = message(b, 'Corrected note about the lamp')
    const hersMore = await moreActions(hers)
    expect(hersMore).toContain('Save message')
    expect(hersMore).not.toContain('Delete')
    expect(hersMore).not.toContain('Recall')
    const his = message(b, 'Reply from Bob')
    expect(await moreActions(his)).toContain('Delete')
  })

  it('Alice recalls a message: the body is gone on both sides', async () => {
    await send(a, 'Oops, wrong tower')
    await message(b, 'Oops, wrong tower').waitFor({ timeout: 10_000 })
    const oops = message(a, 'Oops, wrong tower')
    await messageAction(oops, 'Recall')
    for (const p of [a, b]) {
      await tombstone(p, 'This message was recalled.').waitFor({ timeout: 10_000 })
      expect(await message(p, 'Oops, wrong tower').count()).toBe(0)
    }
  })

  it('Alice mentions Bob through completion; it is in Bob’s inbox and opens in context', async () => {
    // Bob is on his home screen (reading the panel would read the mention too).
    const groupUrl = b.url()
    await b.getByRole('link', { name: 'Tailmesh home' }).click()
    await b.getByRole('heading', { name: 'Your groups' }).waitFor()
    const box = a.getByRole('textbox', { name: 'Message #general' })
    await box.click()
    await box.pressSequentially('Lamp duty tonight @Rav')
    const option = a.getByRole('listbox', { name: 'Suggestions' }).getByRole('option', { name: `@${BOB}` })
    await option.waitFor()
    expect(await option.getAttribute('aria-selected')).toBe('true')
    await box.press('Tab')
    expect(await box.inputValue()).toBe(`Lamp duty tonight @${BOB} `)
    await box.pressSequentially('please')
    await box.press('Enter')

    const inboxLink = b.getByRole('link', { name: 'Inbox, 1 unread' })
    await inboxLink.waitFor({ timeout: 10_000 })
    await inboxLink.click()
    const item = b.getByRole('link', { name: /Alice Quillfeather mentioned you in #general/ })
    await item.waitFor()
    await item.click()
    await b.getByRole('heading', { name: '# general', level: 1 }).waitFor()
    await b.locator('.msg.highlighted', { hasText: 'Lamp duty tonight' }).waitFor({ timeout: 5_000 })
    await b.getByRole('link', { name: 'Inbox', exact: true }).waitFor({ timeout: 5_000 })
    expect(b.url()).toContain(groupUrl.split('#')[1]!.split('?')[0]!)
  })

  it('the @mention chip and a member row open the profile card; the member search filters', async () => {
    // Bob presses the chip of his own mention: his card, named, with his roles; Escape returns focus.
    const chip = message(b, 'Lamp duty tonight').getByRole('button', { name: `@${BOB}` })
    await chip.click()
    const card = b.getByRole('dialog', { name: `Profile of ${BOB}` })
    await card.getByRole('heading', { name: BOB }).waitFor()
    await card.getByText('This is you.').waitFor()
    await b.keyboard.press('Escape')
    await card.waitFor({ state: 'detached' })
    expect(await chip.evaluate((el) => el === document.activeElement)).toBe(true)
    // Alice opens Bob's card from the member list: the owner may moderate him, and may add him.
    const members = a.getByRole('region', { name: 'Members' })
    await members.getByRole('button', { name: new RegExp(`^${BOB}`) }).click()
    const his = a.getByRole('dialog', { name: `Profile of ${BOB}` })
    await his.getByRole('link', { name: 'Moderate in group settings' }).waitFor()
    // "Add friend" goes straight to the add field, focused, saying whose code to paste.
    await his.getByRole('link', { name: 'Add friend' }).click()
    const field = a.getByRole('textbox', { name: 'Friend code or link' })
    await field.waitFor()
    await expect.poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true)
    expect(await field.getAttribute('aria-describedby')).toBe('friend-code-ask')
    await a.getByText(`Ask ${BOB} for their friend code or link, and paste it here.`).waitFor()
    await a.goBack()
    await a.getByRole('heading', { name: '# general', level: 1 }).waitFor()
    // The search keeps only the members whose name matches.
    await members.getByRole('searchbox', { name: 'Search members' }).fill('raven')
    await expect
      .poll(() => members.getByRole('listitem').allTextContents())
      .toEqual([expect.stringContaining(BOB)])
    await members.getByRole('searchbox', { name: 'Search members' }).fill('nobody here')
    await members.getByText('No member matches “nobody here”.').waitFor()
    await members.getByRole('searchbox', { name: 'Search members' }).fill('')
  })

  it('the unread dot appears while Bob reads older messages and clears at the bottom', async () => {
    // Enough history that the panel scrolls.
    for (let i = 0; i < 30; i++) await send(b, `Log line ${i}\n\nwith a second paragraph`)
    await message(a, 'Log line 29').waitFor({ timeout: 15_000 })
    const panelLink = b.getByRole('navigation', { name: 'Panels' }).getByRole('link', { name: /general/ })
    await expect.poll(() => panelLink.innerText()).not.toContain('unread')
    // Bob scrolls up to the start: he is not at the bottom, so new messages stay unread.
    await b.getByRole('log', { name: 'Messages in general' }).evaluate((el) => el.scrollTo(0, 0))
    const jump = b.getByRole('button', { name: 'Jump to latest' })
    await jump.waitFor()
    await send(a, 'Tower two reports fog')
    await expect.poll(() => panelLink.getAttribute('aria-current')).toBe('page')
    await panelLink.getByText('unread').waitFor({ timeout: 10_000 })
    await jump.click()
    await message(b, 'Tower two reports fog').waitFor()
    await panelLink.getByText('unread').waitFor({ state: 'detached', timeout: 5_000 })
    // The read mark survives a reload (kept on this device).
    await panelLink.click()
    await b.reload()
    await message(b, 'Tower two reports fog').waitFor({ timeout: 15_000 })
    expect(await panelLink.innerText()).not.toContain('unread')
  })
})
