// Group management between two people in their own Chromium profiles, through the real relay: roles
// made and assigned by Alice take effect on Bob's side (he gets managePanel and creates a panel she
// sees); an announcement panel (Bob's composer disabled, with the reason); Bob without manageRoles
// sees no role controls, and a role change his modified client forges (core's skipLocalChecks, only
// installed with the test flag) is refused by Alice's gate: her view is unchanged.
//
// One story, in order: each test starts where the previous one ended.
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Person } from './harness'
import {
  acceptDialogs,
  backToGroup,
  founder,
  groupIdOf,
  joinWith,
  memberEntry,
  openSettings,
  panelLink,
  withTestHooks,
} from './app/manage-steps'
import { castOnRelay } from './app/cast'
import { messages, send, unnamedControls } from './app/steps'

const ALICE = 'Alice Quillfeather'
const BOB = 'Bob Ravensworth'
const GROUP = 'Lighthouse keepers'

const cast = castOnRelay(['alice', 'bob'])
let alice: Person
let bob: Person
let a: Page
let b: Page
let groupId: string

beforeAll(() => {
  alice = cast.person('alice')
  bob = cast.person('bob')
  a = alice.page
  b = bob.page
  acceptDialogs(a)
  acceptDialogs(b)
})

const rolesTab = (p: Page) =>
  p.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Roles' })

describe('roles, panels and permissions between two people', () => {
  it('Bob joins; without manageRoles he sees no role controls', async () => {
    const link = await founder(a, ALICE, GROUP)
    groupId = groupIdOf(a)
    // Bob's app is the modified client: the test flag installs window.tailmeshTest.
    await joinWith(b, withTestHooks(link), BOB)
    await memberEntry(a, BOB).waitFor({ timeout: 10_000 })

    await openSettings(b)
    const tabs = b.getByRole('navigation', { name: 'Settings sections' })
    await expect.poll(() => tabs.getByRole('link').allTextContents()).toEqual(['Overview', 'Members'])
    await tabs.getByRole('link', { name: 'Members' }).click()
    await b.getByRole('heading', { name: 'Members', level: 2 }).waitFor()
    expect(await b.getByRole('checkbox').count()).toBe(0)
    expect(await b.getByRole('group', { name: /^Roles of/ }).count()).toBe(0)
    expect(await b.getByRole('button', { name: /^(Kick|Ban)/ }).count()).toBe(0)
    expect(await unnamedControls(b)).toEqual([])
    await backToGroup(b)
  })

  it("a role change forged by Bob's modified client is refused by Alice's gate", async () => {
    // A new role with management points, and the everyone role rewritten to hold them all.
    const forged = await b.evaluate(async (g) => {
      const hooks = window.tailmeshTest!
      const roleId = await hooks.forgeRole(g, 'Pirate king', ['groupDetail', 'manageRoles', 'manageUser'])
      await hooks.forgeRolePoints(g, 'everyone', [
        'viewPanel',
        'message',
        'groupDetail',
        'manageRoles',
        'manageUser',
      ])
      return roleId
    }, groupId)
    expect(forged).toMatch(/\S/)
    // Bob then says something legitimate: once Alice has it, she has had his forged edits too.
    await send(b, 'I am just a humble keeper')
    await messages(a).filter({ hasText: 'I am just a humble keeper' }).waitFor({ timeout: 10_000 })

    await openSettings(a, 'Roles')
    await a.getByRole('heading', { name: 'Roles', level: 2 }).waitFor()
    expect(await a.getByRole('heading', { name: 'Pirate king' }).count()).toBe(0)
    await a
      .getByRole('navigation', { name: 'Settings sections' })
      .getByRole('link', { name: 'Members' })
      .click()
    const bobCard = a.getByRole('listitem', { name: BOB })
    await bobCard.waitFor()
    expect(await bobCard.getByText('Pirate king').count()).toBe(0)
    // The everyone role is as it was: viewing, sending, and joining and speaking in calls.
    await a
      .getByRole('navigation', { name: 'Settings sections' })
      .getByRole('link', { name: 'Roles' })
      .click()
    const everyone = a.getByRole('article', { name: 'Everyone (every member holds it)' })
    await everyone.waitFor()
    const checked = everyone.getByRole('checkbox', { checked: true })
    expect(await checked.count()).toBe(4)
    for (const forgedPoint of ['Group settings', 'Manage roles', 'Manage members'])
      expect(await everyone.getByRole('checkbox', { name: forgedPoint }).isChecked()).toBe(false)
    // Bob's own app refused it too: still no Roles tab for him.
    await openSettings(b)
    expect(await rolesTab(b).count()).toBe(0)
    await backToGroup(b)
    await backToGroup(a)
  })

  it('Alice makes a role with managePanel and gives it to Bob; Bob creates a panel Alice sees', async () => {
    await openSettings(a, 'Roles')
    await a.getByLabel('New role name').fill('Panel keeper')
    await a.getByRole('button', { name: 'Create role' }).click()
    const role = a.getByRole('article', { name: 'Panel keeper' })
    await role.waitFor()
    const managePanel = role.getByRole('checkbox', { name: 'Manage panels' })
    await managePanel.check()
    // Its prerequisite came with it.
    await expect.poll(() => role.getByRole('checkbox', { name: 'Group settings' }).isChecked()).toBe(true)
    await expect.poll(() => managePanel.isChecked()).toBe(true)
    // The description and the prerequisite are the checkbox's description.
    expect(await managePanel.getAttribute('aria-describedby')).toBeTruthy()
    await expect
      .poll(() => role.getByText('Create, edit, move and delete panels').textContent())
      .toContain('Needs “Group settings”')

    await a
      .getByRole('navigation', { name: 'Settings sections' })
      .getByRole('link', { name: 'Members' })
      .click()
    const roles = a.getByRole('group', { name: `Roles of ${BOB}` })
    await roles.getByRole('checkbox', { name: 'Panel keeper' }).check()
    await expect.poll(() => roles.getByRole('checkbox', { name: 'Panel keeper' }).isChecked()).toBe(true)

    // Bob's side: a Panels section appears (still no Roles).
    await openSettings(b)
    const panelsTab = b
      .getByRole('navigation', { name: 'Settings sections' })
      .getByRole('link', { name: 'Panels' })
    await panelsTab.waitFor({ timeout: 10_000 })
    expect(await rolesTab(b).count()).toBe(0)
    await panelsTab.click()
    await b.getByLabel('Panel name').fill('tide-tables')
    await b.getByRole('button', { name: 'Create panel' }).click()
    await b.getByText('tide-tables').first().waitFor()
    await backToGroup(a)
    await panelLink(a, 'tide-tables').waitFor({ timeout: 10_000 })
    await backToGroup(b)
  })

  it('an announcement panel: Bob may read but not send, and is told why', async () => {
    await openSettings(a, 'Panels')
    await a.getByLabel('Panel name').fill('announcements')
    await a.getByRole('button', { name: 'Create panel' }).click()
    await a.getByRole('button', { name: 'Permissions of announcements' }).click()
    const dialog = a.getByRole('dialog', { name: 'Permissions in announcements' })
    await dialog.getByRole('button', { name: 'Apply preset' }).click()
    await expect
      .poll(() =>
        dialog
          .getByRole('combobox', { name: 'Send messages for Everyone (every member holds it)' })
          .inputValue(),
      )
      .toBe('deny')
    await dialog.getByRole('button', { name: 'Close' }).click()
    await backToGroup(a)
    await panelLink(a, 'announcements').click()
    await send(a, 'The lamp will be serviced at noon', 'announcements')

    await panelLink(b, 'announcements').click({ timeout: 10_000 })
    await messages(b, 'announcements')
      .filter({ hasText: 'The lamp will be serviced at noon' })
      .waitFor({ timeout: 10_000 })
    const box = b.getByRole('textbox', { name: 'Message #announcements' })
    await expect.poll(() => box.isDisabled()).toBe(true)
    expect(await b.getByText('Only some roles may send messages in this panel.').isVisible()).toBe(true)
    // In general he still can.
    await panelLink(b, 'general').click()
    await expect.poll(() => b.getByRole('textbox', { name: 'Message #general' }).isEnabled()).toBe(true)
  })

  it('the panel menu: mark read and a local mute (keyboard only); then Alice deletes the group', async () => {
    // Alice posts in announcements while Bob is in general: a red dot for Bob.
    await send(a, 'Second notice: the lamp is back', 'announcements')
    await panelLink(b, 'announcements').filter({ hasText: 'unread' }).waitFor({ timeout: 10_000 })
    const options = b.getByRole('button', { name: 'Options for announcements' })
    await options.focus()
    await b.keyboard.press('Enter')
    const menu = b.getByRole('menu', { name: 'Options for announcements' })
    await expect
      .poll(() =>
        menu
          .getByRole('menuitem', { name: 'Mute notifications' })
          .evaluate((el) => el === document.activeElement),
      )
      .toBe(true)
    await b.keyboard.press('ArrowDown')
    await b.keyboard.press('Enter')
    await expect.poll(() => panelLink(b, 'announcements').textContent()).not.toContain('unread')
    // Focus is back on the options button; mute from the keyboard.
    await b.keyboard.press('Enter')
    await b.keyboard.press('Enter')
    await b.getByText('(muted)').waitFor()

    await openSettings(a)
    await a.getByLabel('Type the group name to confirm').fill(GROUP)
    await a.getByRole('button', { name: 'Delete group' }).click()
    await a.getByRole('heading', { name: 'Your groups' }).waitFor({ timeout: 15_000 })
    expect(await a.getByRole('link', { name: GROUP }).count()).toBe(0)
    await b.getByText('The owner deleted this group.').waitFor({ timeout: 10_000 })
  })
})
