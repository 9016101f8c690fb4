// Friends and direct messages between three people in their own Chromium profiles, through the real
// relay process serving the app: Alice copies her friend link, Bob opens it and asks, Alice accepts,
// and both talk in their new DM (listed under "Direct messages", named after the other person);
// Carol's request is denied — she is told, sees no DM, and her second request is never shown; Carol
// befriends Bob, and Bob starts a three-person DM with Alice and Carol where all three talk.
//
// One story, in order: each test starts where the previous one ended.
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { castOnRelay } from './app/cast'
import {
  chooseLanguage,
  chooseNickname,
  messages,
  send,
  serviceWorkerReady,
  tabTo,
  unnamedControls,
} from './app/steps'

const ALICE = 'Alice Quillfeather'
const BOB = 'Bob Ravensworth'
const CAROL = 'Carol Fenwick'

const cast = castOnRelay(['alice', 'bob', 'carol'])
let a: Page
let b: Page
let c: Page
let aliceLink = ''

beforeAll(async () => {
  ;[a, b, c] = cast.people.map((p) => p.page) as [Page, Page, Page]
  await cast
    .person('alice')
    .grantPermissions(['clipboard-read', 'clipboard-write'], cast.relay.url.replace(/\/$/, ''))
})

const openFriends = (p: Page) => p.getByRole('link', { name: 'Friends', exact: true }).click()

/** The Friends screen's link box, once the friend channel has started. */
async function friendLink(p: Page): Promise<string> {
  const box = p.getByRole('textbox', { name: 'Friend link' })
  await expect.poll(() => box.inputValue(), { timeout: 15_000 }).toMatch(/#\/friend\//)
  return box.inputValue()
}

/** Opens someone's friend link and sends the request from the screen it shows. */
async function askWithLink(p: Page, link: string): Promise<void> {
  await p.goto(link)
  await expect
    .poll(() => p.getByRole('textbox', { name: 'Friend code or link' }).inputValue())
    .toBe(link.split('#/friend/')[1])
  await p.getByRole('button', { name: 'Send friend request' }).click()
  await p.getByRole('status').filter({ hasText: 'Request sent.' }).waitFor()
}

function dmLinks(p: Page) {
  return p.getByRole('navigation', { name: 'Direct messages' }).getByRole('link')
}

async function home(p: Page): Promise<void> {
  await p.getByRole('link', { name: 'Tailmesh home' }).click()
}

describe('friends and direct messages', () => {
  it('Alice copies her friend link; Bob opens it and asks; Alice accepts and both talk in their DM', async () => {
    for (const [p, name] of [
      [a, ALICE],
      [b, BOB],
      [c, CAROL],
    ] as const) {
      await p.goto('/')
      await chooseNickname(p, name)
    }
    await serviceWorkerReady(a)
    await openFriends(a)
    await a.getByRole('heading', { name: 'Friends', level: 1 }).waitFor()
    const shown = await friendLink(a)
    expect(await unnamedControls(a)).toEqual([])
    await tabTo(a, 'button', 'Copy friend link')
    await a.getByRole('button', { name: 'Copy friend link' }).click()
    await a.getByRole('status').filter({ hasText: 'Copied.' }).waitFor()
    aliceLink = await a.evaluate(() => navigator.clipboard.readText())
    expect(aliceLink).toBe(shown)
    // The friend secret is in the fragment: nothing of it is in what reaches the server.
    expect(new URL(aliceLink).hash).toMatch(/^#\/friend\/[A-Za-z0-9_-]+$/)

    await askWithLink(b, aliceLink)
    await b.getByText(/waiting for an answer/).waitFor()

    // Alice sees the request arrive on the screen she has open, and accepts: the DM opens.
    await a.getByText(`${BOB} wants to be your friend`).waitFor({ timeout: 20_000 })
    await a.getByRole('button', { name: `Accept ${BOB}` }).click()
    await a.getByRole('heading', { name: BOB, level: 2 }).waitFor()
    await send(a, 'Hello Bob, welcome aboard', 'dm')
    await messages(a, 'dm').filter({ hasText: 'Hello Bob, welcome aboard' }).waitFor()

    // Bob's app joined the DM by itself: it is under Direct messages, named after Alice.
    await home(b)
    await dmLinks(b).filter({ hasText: ALICE }).waitFor({ timeout: 30_000 })
    await expect.poll(() => b.getByRole('navigation', { name: 'Groups' }).getByRole('link').count()).toBe(0)
    await dmLinks(b).filter({ hasText: ALICE }).click()
    await messages(b, 'dm').filter({ hasText: 'Hello Bob, welcome aboard' }).waitFor({ timeout: 20_000 })
    await send(b, 'Thanks Alice!', 'dm')
    await messages(a, 'dm').filter({ hasText: 'Thanks Alice!' }).waitFor({ timeout: 20_000 })

    // Each lists the other as a friend.
    await openFriends(b)
    await b.getByRole('button', { name: `Message ${ALICE}` }).waitFor()
    await openFriends(a)
    await a.getByRole('button', { name: `Message ${BOB}` }).waitFor()
  })

  it('Alice denies Carol: Carol is told and sees no DM, and her second request is not shown', async () => {
    await askWithLink(c, aliceLink)
    await a.getByText(`${CAROL} wants to be your friend`).waitFor({ timeout: 20_000 })
    await a.getByRole('button', { name: `Deny ${CAROL}` }).click()
    await expect.poll(() => a.getByText(`${CAROL} wants to be your friend`).count()).toBe(0)

    await openFriends(c)
    await c.getByText(/declined/).waitFor({ timeout: 20_000 })
    await home(c)
    await expect.poll(() => dmLinks(c).count()).toBe(0)
    await c.getByText('No direct messages yet.', { exact: false }).waitFor()

    // She asks again; Alice's screen never shows it (checked once something sent after it arrived).
    await askWithLink(c, aliceLink)
  })

  it('Bob starts a DM with Alice and Carol; all three talk in it', async () => {
    // Carol befriends Bob (Bob accepts), so Bob has two friends to pick from.
    await openFriends(b)
    const bobLink = await friendLink(b)
    await askWithLink(c, bobLink)
    await b.getByText(`${CAROL} wants to be your friend`).waitFor({ timeout: 20_000 })
    await b.getByRole('button', { name: `Accept ${CAROL}` }).click()
    await b.getByRole('heading', { name: CAROL, level: 2 }).waitFor()

    await openFriends(b)
    const picker = b.getByRole('group', { name: 'Friends in the group DM' })
    await picker.getByRole('checkbox', { name: ALICE }).check()
    await picker.getByRole('checkbox', { name: CAROL }).check()
    await b.getByRole('button', { name: 'Create group DM' }).click()
    await b.getByRole('textbox', { name: 'Message #dm' }).waitFor()
    await send(b, 'A room for the three of us', 'dm')

    const both = (p: Page, x: string, y: string) => dmLinks(p).filter({ hasText: x }).filter({ hasText: y })
    for (const [p, other] of [
      [a, CAROL],
      [c, ALICE],
    ] as const) {
      await home(p)
      await both(p, BOB, other).waitFor({ timeout: 30_000 })
      await both(p, BOB, other).click()
      await messages(p, 'dm').filter({ hasText: 'A room for the three of us' }).waitFor({ timeout: 20_000 })
    }
    await send(a, 'Alice here', 'dm')
    await send(c, 'Carol here', 'dm')
    for (const p of [a, b, c])
      for (const text of ['A room for the three of us', 'Alice here', 'Carol here'])
        await messages(p, 'dm').filter({ hasText: text }).waitFor({ timeout: 20_000 })

    // Bob's invite reached Alice's friend topic after Carol's second request: that one was dropped.
    await openFriends(a)
    await a.getByText('No friend requests.').waitFor()
    await expect.poll(() => a.getByText(`${CAROL} wants to be your friend`).count()).toBe(0)

    // Friends and refusals are kept on the device: after a reload Bob is still a friend, and Carol's
    // requests (read again from the relay's mailbox if need be) are still not shown.
    await a.reload()
    await a.getByRole('button', { name: `Message ${BOB}` }).waitFor({ timeout: 20_000 })
    await a.getByText('No friend requests.').waitFor()
    await a.getByRole('button', { name: `Message ${BOB}` }).click()
    await messages(a, 'dm').filter({ hasText: 'Thanks Alice!' }).waitFor({ timeout: 20_000 })
  })

  it('the Friends screen speaks Simplified Chinese', async () => {
    await openFriends(a)
    await chooseLanguage(a, '中文')
    await a.getByRole('heading', { name: '好友', level: 1 }).waitFor()
    await a.getByRole('button', { name: '复制好友链接' }).waitFor()
    await a.getByRole('button', { name: `给 ${BOB} 发消息` }).waitFor()
    await chooseLanguage(a, 'English')
  })
})
