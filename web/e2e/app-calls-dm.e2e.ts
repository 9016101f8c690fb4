// A call started in a direct message, between two people in their own Chromium profiles (fake camera
// and microphone) through the real relay. One story, in order: Alice and Bob become friends and have
// their DM; Alice starts a call in it and Bob, on his home screen, gets a ringing notice; he declines
// (the notice goes, Alice is told), Alice leaves and the DM says "Alice started a call · 1 min"; she
// starts another, Bob accepts from the notice: he lands in the DM, in the call, and sound and video
// flow both ways (getStats); Alice closes her page, Bob hangs up, and the second row gets its length
// too (recorded by Bob's page: the starter is gone).
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { FAKE_MEDIA, callConsoleTolerated } from './app/call-steps'
import { castOnRelay } from './app/cast'
import { TEST_HOOKS } from './app/manage-steps'
import { chooseNickname, serviceWorkerReady } from './app/steps'

const cast = castOnRelay(['alice', 'bob'], { args: FAKE_MEDIA, tolerated: callConsoleTolerated })
let a: Page
let b: Page

beforeAll(() => {
  a = cast.person('alice').page
  b = cast.person('bob').page
})

const ringing = (p: Page) => p.getByRole('alertdialog', { name: 'Alice is calling you' })
const callRows = (p: Page) => p.getByRole('log', { name: 'Messages in dm' }).getByText(/Alice started a call/)
const tile = (p: Page, name: string) => p.getByRole('group', { name, exact: true })
const home = (p: Page) => p.getByRole('link', { name: 'Tailmesh home' }).click()

describe('a call in a direct message', () => {
  it('Alice and Bob become friends and open their DM', async () => {
    for (const [p, name] of [
      [a, 'Alice'],
      [b, 'Bob'],
    ] as const) {
      await p.goto(`/?${TEST_HOOKS}`)
      await chooseNickname(p, name)
    }
    await serviceWorkerReady(a)
    await a.getByRole('link', { name: 'Friends', exact: true }).click()
    const box = a.getByRole('textbox', { name: 'Friend link' })
    await expect.poll(() => box.inputValue(), { timeout: 15_000 }).toMatch(/#\/friend\//)
    const link = (await box.inputValue()).replace('/#/', `/?${TEST_HOOKS}#/`)
    await b.goto(link)
    await b.getByRole('button', { name: 'Send friend request' }).click()
    await a.getByRole('button', { name: 'Accept Bob' }).click({ timeout: 20_000 })
    await a.getByRole('textbox', { name: 'Message #dm' }).waitFor()
    await home(b)
    await b
      .getByRole('navigation', { name: 'Direct messages' })
      .getByRole('link', { name: /Alice/ })
      .waitFor({
        timeout: 30_000,
      })
  })

  it('Alice starts a call: Bob, elsewhere, is rung; he declines and Alice is told', async () => {
    await a.getByRole('button', { name: 'Start a call' }).click()
    await a.getByRole('toolbar', { name: 'Call controls' }).waitFor()
    await callRows(a)
      .filter({ hasText: /^📞 Alice started a call$/ })
      .waitFor()
    const notice = ringing(b)
    await notice.waitFor({ timeout: 15_000 })
    await notice.getByRole('button', { name: 'Decline' }).click()
    await notice.waitFor({ state: 'detached' })
    await a.getByRole('status').filter({ hasText: 'Bob declined the call' }).waitFor({ timeout: 10_000 })
    // Alice hangs up: the call is over, and its row says how long it lasted.
    await a.getByRole('button', { name: 'Leave the call' }).click()
    await callRows(a).filter({ hasText: 'Alice started a call · 1 min' }).waitFor({ timeout: 10_000 })
    await a.getByRole('button', { name: 'Start a call' }).waitFor()
    expect(await ringing(b).count()).toBe(0)
  })

  it('Alice calls again, Bob accepts and both hear and see each other; Alice closes her page, Bob hangs up', async () => {
    await a.getByRole('button', { name: 'Start a call' }).click()
    await a.getByRole('toolbar', { name: 'Call controls' }).waitFor()
    await ringing(b).getByRole('button', { name: 'Accept' }).click({ timeout: 15_000 })
    await b.getByRole('toolbar', { name: 'Call controls' }).waitFor()
    await b.getByRole('textbox', { name: 'Message #dm' }).waitFor()
    await tile(a, 'Bob').waitFor({ timeout: 15_000 })
    await tile(b, 'Alice').waitFor({ timeout: 15_000 })
    for (const p of [a, b])
      await expect
        .poll(
          async () => {
            const [s] = await p.evaluate(() => window.tailmeshTest!.callStats())
            return s && { state: s.state, sound: s.audioBytes > 0, video: s.videoFrames > 0 }
          },
          { timeout: 20_000 },
        )
        .toEqual({ state: 'connected', sound: true, video: true })
    await callRows(b)
      .filter({ hasText: /^📞 Alice started a call$/ })
      .waitFor()

    // Alice, who started it, closes her page: the call goes on for Bob alone until he hangs up; then
    // it has ended, and Bob's page records how long it lasted.
    await a.close()
    await tile(b, 'Alice').waitFor({ state: 'detached', timeout: 5_000 })
    expect(
      await callRows(b)
        .filter({ hasText: /^📞 Alice started a call$/ })
        .count(),
    ).toBe(1)
    await b.getByRole('button', { name: 'Leave the call' }).click()
    await expect
      .poll(() => callRows(b).filter({ hasText: 'Alice started a call · 1 min' }).count(), {
        timeout: 15_000,
      })
      .toBe(2)
  }, 90_000)
})
