// A crowded member list in the built app (issue 18): 150 people joined a group from Node, each with a
// real signed join (app/seed-members.ts), and Alice joins from the link. The list is windowed: far
// fewer rows are in the DOM than there are members, each row says its place in the whole list,
// scrolling (wheel or keyboard) brings later members in, and the search finds a member by name.
//
// 150, not the thousands where the list folds offline members (HUGE_GROUP, unit-tested in
// web/src/members): seeding real joins and a newcomer's gate taking them in cost seconds per hundred
// today, too slow for a lean browser test; the windowing is the same at any size. Alice joins once
// the join screen counts every member: joining while the others' joins still arrive places hers
// before theirs arrive, and the gate judges each late one again (issue 18's gate work).
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { castOnRelay } from './app/cast'
import { joinFromScreen } from './app/manage-steps'
import { seedMembers } from './app/seed-members'
import { chooseNickname } from './app/steps'

const TOTAL = 150
/** The seeded members, the Seeder who made the group, and Alice. */
const EVERYONE = TOTAL + 2
const cast = castOnRelay(['alice'])
let a: Page

beforeAll(() => {
  a = cast.person('alice').page
})

const list = () => a.getByRole('region', { name: 'Members' })
const rows = () => list().getByRole('listitem')
/** The row of the member with this name (not of "Member 20" for "Member 2"). */
const row = (name: string) =>
  rows().filter({ has: a.getByRole('button', { name: new RegExp(`^${name}\\b`) }) })

describe('a crowded member list', () => {
  it(`Alice joins a group of ${TOTAL} members: a screenful of rows, each with its place`, async () => {
    const { link } = await seedMembers(cast.relay.url, { total: TOTAL, name: (i) => `Member ${i}` })
    await a.goto(link)
    await chooseNickname(a, 'Alice')
    await a.getByText(`${TOTAL + 1} members · Invited by Seeder`).waitFor({ timeout: 30_000 })
    await joinFromScreen(a)
    await list()
      .getByRole('group', { name: `Everyone — 1/${EVERYONE} online` })
      .waitFor({ timeout: 15_000 })
    const shown = await rows().count()
    expect(shown).toBeGreaterThan(5)
    expect(shown).toBeLessThan(EVERYONE / 3)
    // Alice (online) first, then the offline members by name, numbers by value.
    expect(await rows().first().getAttribute('aria-posinset')).toBe('1')
    expect(await rows().first().getAttribute('aria-setsize')).toBe(String(EVERYONE))
    await row('Alice').getByText('(you)').waitFor()
    expect(await row('Member 2').getAttribute('aria-posinset')).toBe('4')
    expect(await row('Member 10').getAttribute('aria-posinset')).toBe('12')
  })

  it('scrolling reveals later members, still only a screenful in the DOM', async () => {
    await row('Member 0').hover()
    await expect
      .poll(
        async () => {
          await a.mouse.wheel(0, 2000)
          return row('Member 120').count()
        },
        { timeout: 15_000 },
      )
      .toBe(1)
    expect(await row('Member 0').count()).toBe(0)
    expect(await rows().count()).toBeLessThan(EVERYONE / 3)
  })

  it('the keyboard walks every member: End, Home, arrows', async () => {
    await rows().first().getByRole('button').focus()
    await a.keyboard.press('End')
    // The last member by name: "Seeder", after "Member 149".
    const seeder = a.getByRole('button', { name: /^Seeder\b/ })
    await expect.poll(() => seeder.evaluate((el) => el === document.activeElement)).toBe(true)
    await a.keyboard.press('ArrowUp')
    const last = a.getByRole('button', { name: /^Member 149\b/ })
    await expect.poll(() => last.evaluate((el) => el === document.activeElement)).toBe(true)
    await a.keyboard.press('Home')
    const alice = a.getByRole('button', { name: /^Alice\b/ })
    await expect.poll(() => alice.evaluate((el) => el === document.activeElement)).toBe(true)
  })

  it('the search finds a member by name', async () => {
    const search = list().getByRole('searchbox', { name: 'Search members' })
    await search.fill('member 137')
    await expect.poll(() => rows().allTextContents()).toEqual([expect.stringContaining('Member 137')])
    await list().getByRole('status').filter({ hasText: '1 member matches' }).waitFor()
    await search.fill('Member 13')
    // 13 and 130–139.
    await list().getByRole('status').filter({ hasText: '11 members match' }).waitFor()
    await search.fill('')
  })
})
