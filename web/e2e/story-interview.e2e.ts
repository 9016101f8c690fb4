// The interview story, three actors on the real relay: the HR bot (plugins/hr-bot, a headless Node
// peer on the bot kit), Alice the team leader and Bob, each in their own Chromium profile. The bot
// joins by Alice's invite link; Alice gives it a candidate in #hiring (`!candidate Name | Role` and
// the résumé), and it posts a card with "Approve" / "Reject" that only team leads may press:
// Bob sees the buttons but is told why he cannot press them. Alice presses Approve: everyone's card
// turns into "Approved by Alice …", the bot replies, closes the card (every gate now refuses a
// press) and builds a panel "Interview · Ann Lee" holding the résumé (a markdown note), a voice room
// and a whiteboard. Alice opens it, and she and Bob draw on the whiteboard together. On the way, Bob
// forwards the card to #general: the copy's buttons are disabled, say why, and it links to the original.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { Bot } from '@tailmesh/bot-kit'
import { HrBot } from '@tailmesh/hr-bot'
import { castOnRelay } from './app/cast'
import { groupIdOf, joinWith, panelLink, withTestHooks } from './app/manage-steps'
import {
  chooseNickname,
  copyInviteLink,
  createGroup,
  messageAction,
  messages,
  send,
  serviceWorkerReady,
  unnamedControls,
} from './app/steps'

const cast = castOnRelay(['alice', 'bob'])
const ALICE = 'Alice Lead'
const BOB = 'Bob Builder'
const RESUME = '# Ann Lee\n\nProduct designer, **5 years**.\n\n- Led the redesign of a banking app'

let bot: Bot | null = null
let hr: HrBot | null = null
const botDir = mkdtempSync(join(tmpdir(), 'tailmesh-hr-bot-'))
afterAll(async () => {
  await hr?.stop()
  await bot?.stop()
  rmSync(botDir, { recursive: true, force: true })
})

const board = (page: Page) => page.getByRole('img', { name: /^Whiteboard: draw with the pointer/ })
const tools = (page: Page) => page.getByRole('toolbar', { name: 'Whiteboard tools' })

async function drag(page: Page, from: [number, number], to: [number, number], steps = 8): Promise<void> {
  const box = (await board(page).boundingBox())!
  await page.mouse.move(box.x + from[0], box.y + from[1])
  await page.mouse.down()
  for (let i = 1; i <= steps; i++)
    await page.mouse.move(
      box.x + from[0] + ((to[0] - from[0]) * i) / steps,
      box.y + from[1] + ((to[1] - from[1]) * i) / steps,
    )
  await page.mouse.up()
}

/** What is on a page's board, read back from its list ("<what> by <who>"), sorted. */
async function shapesOn(page: Page): Promise<string[]> {
  if (!(await page.locator('.tm-wb-list[open]').count()))
    await page.getByText(/^On the board \(\d+\)$/).click()
  const items = await page
    .getByRole('list', { name: 'On the board' })
    .locator('li[data-element-id]')
    .allTextContents()
  return items.sort()
}

describe('story: the interview', () => {
  it('a bot card approved by the team lead becomes an interview panel the two draw in', async () => {
    const a = cast.person('alice').page
    const b = cast.person('bob').page
    // Alice's app runs with the test hooks only to set up roles quickly (she owns the group, so every
    // gate accepts them as if she had ticked the boxes in Roles).
    await a.goto(withTestHooks('/#/'))
    await chooseNickname(a, ALICE)
    await serviceWorkerReady(a)
    await createGroup(a, 'Acme design')
    const link = await copyInviteLink(a)
    await joinWith(b, link, BOB)

    bot = await Bot.start({ dataDir: botDir, relay: cast.relay.url, name: 'HR Bot' })
    const { groupId } = await bot.join(link)
    expect(groupId).toBe(groupIdOf(a))
    const aliceId = await a.evaluate(() => window.tailmeshTest!.me()!)
    const leads = await a.evaluate(
      async ([g, alice, botId]) => {
        const hooks = window.tailmeshTest!
        const leads = await hooks.forgeRole(g, 'Team leads', [])
        await hooks.forgeAssign(g, alice, leads)
        const builders = await hooks.forgeRole(g, 'Bots', ['groupDetail', 'managePanel'])
        await hooks.forgeAssign(g, botId, builders)
        return leads
      },
      [groupId, aliceId, bot.userId] as const,
    )
    await expect.poll(() => bot!.can(groupId, 'managePanel'), { timeout: 20_000 }).toBe(true)
    // The HR bot (plugins/hr-bot) in #hiring, for team leads; Alice hands it a candidate in chat.
    await bot.createPanel(groupId, { name: 'hiring' })
    hr = new HrBot(bot, { groupId, panel: 'hiring', reviewers: [leads] })
    await hr.start()
    for (const p of [a, b]) await panelLink(p, 'hiring').click({ timeout: 20_000 })
    await send(a, `!candidate Ann Lee | Product designer\n${RESUME}`, 'hiring')

    // Both see the card in #hiring; Bob's buttons say why he cannot press them.
    // The first row saying so (the bot's reply quotes it later).
    const card = (p: Page) =>
      messages(p, 'hiring').filter({ hasText: 'applied for Product designer' }).first()
    for (const p of [a, b])
      await card(p).getByRole('button', { name: 'Approve', exact: true }).waitFor({ timeout: 20_000 })
    const bobsApprove = card(b).getByRole('button', { name: 'Approve', exact: true })
    await expect.poll(() => bobsApprove.getAttribute('aria-disabled'), { timeout: 20_000 }).toBe('true')
    await card(b).getByText('Only the roles and members this card lists can act on it.').waitFor()
    // It stays keyboard-reachable (so its reason can be read); pressing it does nothing.
    await bobsApprove.press('Enter')
    expect(await card(b).getByRole('status').count()).toBe(0)

    // Bob forwards the card to #general: a copy, whose actions belong to the original. It shows the
    // buttons disabled, says why, and links to the original.
    await messageAction(card(b), 'Forward')
    const dialog = b.getByRole('dialog', { name: 'Forward message' })
    await dialog.getByRole('combobox', { name: 'Forward to' }).fill('gener')
    await dialog.getByRole('option', { name: /#general/ }).waitFor()
    await b.keyboard.press('Enter')
    await dialog.waitFor({ state: 'detached' })
    await panelLink(b, 'general').click()
    const copy = messages(b, 'general').filter({ hasText: 'applied for Product designer' })
    await copy
      .getByText('A forwarded copy: its buttons work only on the original.')
      .waitFor({ timeout: 20_000 })
    const copied = copy.getByRole('button', { name: 'Reject', exact: true })
    expect(await copied.getAttribute('aria-disabled')).toBe('true')
    await copy.getByRole('link', { name: 'Open the original' }).click()
    await b.getByRole('heading', { name: '# hiring', level: 1 }).waitFor()

    // Alice approves: the card changes for everyone, and the bot answers.
    const alicesApprove = card(a)
      .getByRole('group', { name: 'Actions on this card' })
      .getByRole('button', { name: 'Approve', exact: true })
    await expect.poll(() => alicesApprove.getAttribute('aria-disabled'), { timeout: 20_000 }).toBe(null)
    expect(await unnamedControls(a)).toEqual([])
    await alicesApprove.click()
    for (const p of [a, b]) {
      await card(p)
        .getByRole('status')
        .filter({ hasText: /^Approved by Alice Lead · \d\d:\d\d$/ })
        .waitFor({ timeout: 20_000 })
      expect(await card(p).getByRole('button', { name: 'Approve', exact: true }).count()).toBe(0)
      await messages(p, 'hiring')
        .filter({ hasText: 'Ann Lee passed the first review; interview invitation sent' })
        .waitFor({ timeout: 20_000 })
    }
    // The interview panel: the résumé, a voice room and a whiteboard.
    await panelLink(a, 'Résumé', '🧩').click({ timeout: 20_000 })
    await a
      .getByRole('region', { name: 'Preview' })
      .getByRole('heading', { name: 'Ann Lee' })
      .waitFor({ timeout: 20_000 })
    await panelLink(a, 'Interview call', '🔊').click()
    await a.getByRole('heading', { name: '🔊 Interview call', level: 1 }).waitFor()
    await a.getByRole('button', { name: 'Join the call' }).waitFor()

    // Alice and Bob draw on the whiteboard at once; both boards end up the same.
    for (const p of [a, b]) {
      await panelLink(p, 'Whiteboard', '🧩').click({ timeout: 20_000 })
      await board(p).waitFor()
    }
    await tools(a).getByRole('button', { name: 'Pen', exact: true }).click()
    await tools(b).getByRole('button', { name: 'Rectangle', exact: true }).click()
    await Promise.all([drag(a, [60, 60], [260, 120]), drag(b, [300, 80], [420, 180], 6)])
    for (const p of [a, b]) await expect.poll(() => shapesOn(p), { timeout: 20_000 }).toHaveLength(2)
    await expect.poll(() => shapesOn(b), { timeout: 20_000 }).toEqual(await shapesOn(a))
    const shapes = await shapesOn(a)
    expect(shapes.filter((s) => s.endsWith(`Pen stroke by ${ALICE}`))).toHaveLength(1)
    expect(shapes.filter((s) => s.endsWith(`Rectangle by ${BOB}`))).toHaveLength(1)
  })
})
