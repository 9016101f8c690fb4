// The built-in notes plugin between two people, each in their own Chromium profile, on the real
// relay: Alice adds a Notes panel, both type into it (at the same time, at different places), and
// both end with the same text holding everything either typed.
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { castOnRelay } from './app/cast'
import { backToGroup, founder, joinWith, openSettings, panelLink } from './app/manage-steps'
import { unnamedControls } from './app/steps'

const cast = castOnRelay(['alice', 'bob'])

const editor = (page: Page) => page.getByRole('textbox', { name: 'Notes (Markdown)' })

describe('plugin: notes', () => {
  it('notes edited by two people converge', async () => {
    const a = cast.person('alice').page
    const b = cast.person('bob').page
    const link = await founder(a, 'Alice Quillfeather', 'Notebook club')
    await joinWith(b, link, 'Bob Ravensworth')

    await openSettings(a, 'Panels')
    const form = a.getByRole('form', { name: 'Create panel' })
    await form.getByLabel('Panel name').fill('minutes')
    await form.getByLabel('Type').selectOption({ label: 'Notes (plugin Notes)' })
    await form.getByRole('button', { name: 'Create panel' }).click()
    await backToGroup(a)
    await panelLink(a, 'minutes', '🧩').click()
    await editor(a).waitFor()
    await panelLink(b, 'minutes', '🧩').click({ timeout: 20_000 })
    await editor(b).waitFor()

    // A first line both see, then both type at once: Alice at the end, Bob at the start.
    await editor(a).click()
    await editor(a).pressSequentially('# Minutes\n')
    await expect.poll(() => editor(b).inputValue(), { timeout: 20_000 }).toBe('# Minutes\n')
    await editor(b).click()
    await b.keyboard.press('Control+Home')
    await editor(a).press('Control+End')
    await Promise.all([
      editor(a).pressSequentially('- Alice: lamps checked\n', { delay: 20 }),
      editor(b).pressSequentially('Attendees: Alice, Bob\n', { delay: 20 }),
    ])

    const expected = 'Attendees: Alice, Bob\n# Minutes\n- Alice: lamps checked\n'
    for (const page of [a, b])
      await expect.poll(() => editor(page).inputValue(), { timeout: 20_000 }).toBe(expected)
    // The preview renders the same markdown on both sides.
    for (const page of [a, b])
      await expect
        .poll(() =>
          page.getByRole('region', { name: 'Preview' }).getByRole('heading', { name: 'Minutes' }).count(),
        )
        .toBe(1)
    expect(await unnamedControls(b)).toEqual([])
  })
})
