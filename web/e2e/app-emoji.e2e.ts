// Emoji and images in the built app, through the real relay (issue 21): the composer's emoji picker by
// keyboard (arrows, Enter; Escape returns focus) and by search, recently used first next time; a
// reaction with any emoji from the picker; `:smi` completion and `:tada:` sent as 🎉; the image viewer
// (a modal dialog: zoom, open original, download, next / previous, Escape returns focus). axe finds no
// serious violation with the picker or the viewer open.
//
// One story, in order: each test starts where the previous one ended.
import type { Locator, Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { castOnRelay } from './app/cast'
import { seriousViolations } from './app/axe'
import { chooseNickname, createGroup, messages, send } from './app/steps'

const cast = castOnRelay(['alice'])
let a: Page

beforeAll(() => {
  a = cast.person('alice').page
})

const box = () => a.getByRole('textbox', { name: 'Message #general' })
const picker = (name: string) => a.getByRole('dialog', { name })
const message = (text: string): Locator => messages(a).filter({ has: a.locator('.body', { hasText: text }) })
const focused = (l: Locator) => l.evaluate((el) => el === document.activeElement)

/** A PNG of the given size and colour, drawn in the page. */
async function png(width: number, height: number, colour: string): Promise<Buffer> {
  const bytes = await a.evaluate(
    async ([w, h, c]) => {
      const canvas = new OffscreenCanvas(w, h)
      const ctx = canvas.getContext('2d')!
      ctx.fillStyle = c
      ctx.fillRect(0, 0, w, h)
      const blob = await canvas.convertToBlob({ type: 'image/png' })
      return [...new Uint8Array(await blob.arrayBuffer())]
    },
    [width, height, colour] as const,
  )
  return Buffer.from(bytes)
}

describe('emoji and images', () => {
  it('Alice has a group', async () => {
    await a.goto('/')
    await chooseNickname(a, 'Alice Quillfeather')
    await createGroup(a, 'Emoji harbour')
  })

  it('picks an emoji by keyboard: the search has focus, arrows move, Enter inserts, Escape returns focus', async () => {
    await box().fill('Hello ')
    await box().press('End')
    const button = a.getByRole('button', { name: 'Insert emoji' })
    await button.focus()
    await a.keyboard.press('Enter')
    const dialog = picker('Insert emoji')
    const search = dialog.getByRole('searchbox', { name: 'Search emoji' })
    await expect.poll(() => focused(search)).toBe(true)
    expect(await dialog.getByRole('tab', { name: 'Recently used' }).getAttribute('aria-selected')).toBe(
      'true',
    )
    // ↓ enters the grid at its first emoji; → twice is the third (👍 👎 ❤️ until something is used).
    await a.keyboard.press('ArrowDown')
    await a.keyboard.press('ArrowRight')
    await a.keyboard.press('ArrowRight')
    const heart = dialog.getByRole('button', { name: 'red heart', exact: true })
    await expect.poll(() => focused(heart)).toBe(true)
    // The category tabs move with the arrows too.
    await dialog.getByRole('tab', { name: 'Recently used' }).focus()
    await a.keyboard.press('ArrowRight')
    await expect
      .poll(() => dialog.getByRole('tab', { name: 'Smileys & emotion' }).getAttribute('aria-selected'))
      .toBe('true')
    await dialog
      .getByRole('tabpanel', { name: 'Smileys & emotion' })
      .getByRole('button', { name: 'grinning face', exact: true })
      .waitFor()
    await a.keyboard.press('ArrowLeft')
    await search.focus()
    await a.keyboard.press('ArrowDown')
    await a.keyboard.press('ArrowRight')
    await a.keyboard.press('ArrowRight')
    await a.keyboard.press('Enter')
    await dialog.waitFor({ state: 'detached' })
    expect(await box().inputValue()).toBe('Hello ❤️')
    await expect.poll(() => focused(box())).toBe(true)
    // Escape closes without inserting, and focus is back on the button.
    await button.click()
    await search.waitFor()
    expect(await seriousViolations(a), 'axe with the emoji picker open').toEqual([])
    await a.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    expect(await focused(button)).toBe(true)
    await box().press('Enter')
    await message('Hello ❤️').waitFor()
  })

  it('finds an emoji by searching its name; the recently used come first next time', async () => {
    await box().fill('Lift off ')
    await a.getByRole('button', { name: 'Insert emoji' }).click()
    const dialog = picker('Insert emoji')
    const search = dialog.getByRole('searchbox', { name: 'Search emoji' })
    await search.fill('rocket')
    const results = dialog.getByRole('group', { name: 'Search results' })
    await results.getByRole('button', { name: 'rocket', exact: true }).waitFor()
    await search.press('Enter')
    await dialog.waitFor({ state: 'detached' })
    expect(await box().inputValue()).toBe('Lift off 🚀')
    await box().press('Enter')
    await message('Lift off 🚀').waitFor()
    // A search with no match says so.
    await a.getByRole('button', { name: 'Insert emoji' }).click()
    await search.fill('zzzqqq')
    await dialog.getByText('No emoji matches “zzzqqq”.').waitFor()
    await search.fill('')
    const recent = dialog.getByRole('tabpanel', { name: 'Recently used' }).getByRole('button')
    await expect
      .poll(async () => (await recent.allTextContents()).slice(0, 2).map((s) => s.trim()))
      .toEqual(['🚀', '❤️'])
    await a.keyboard.press('Escape')
  })

  it('reacts with any emoji from the picker', async () => {
    const row = message('Lift off 🚀')
    await row.hover()
    const react = row
      .getByRole('toolbar', { name: 'Message actions' })
      .getByRole('button', { name: 'Add reaction' })
    await react.click()
    const dialog = picker('Pick a reaction')
    await dialog.getByRole('searchbox', { name: 'Search emoji' }).fill('party popper')
    await dialog
      .getByRole('group', { name: 'Search results' })
      .getByRole('button', { name: 'party popper', exact: true })
      .click()
    await dialog.waitFor({ state: 'detached' })
    await row.getByRole('button', { name: /^🎉 1: / }).waitFor()
    expect(await focused(react)).toBe(true)
  })

  it('completes :smi to 😄 and sends :tada: as 🎉', async () => {
    await box().fill('')
    await box().pressSequentially('Good news :smi')
    const list = a.getByRole('listbox', { name: 'Suggestions' })
    const smile = list.getByRole('option', { name: /:smile:/ })
    await smile.waitFor()
    expect(await smile.getAttribute('aria-selected')).toBe('true')
    await box().press('Enter')
    await list.waitFor({ state: 'detached' })
    expect(await box().inputValue()).toBe('Good news 😄 ')
    // Typed in full, a shortcode is sent as its emoji; in code it stays as written.
    await box().pressSequentially(':tada: and `:tada:`')
    await box().press('Enter')
    const sent = message('Good news')
    await sent.waitFor()
    expect((await sent.locator('.body').innerText()).trim()).toBe('Good news 😄 🎉 and :tada:')
  })

  it('opens images in a viewer: zoom, original, download, next and previous; Escape returns focus', async () => {
    await a
      .locator('input[type="file"]')
      .first()
      .setInputFiles([
        { name: 'dawn.png', mimeType: 'image/png', buffer: await png(640, 480, '#f4a261') },
        { name: 'dusk.png', mimeType: 'image/png', buffer: await png(300, 200, '#264653') },
      ])
    await a.getByRole('list', { name: 'Files to send' }).getByRole('listitem').nth(1).waitFor()
    await send(a, 'Two skies')
    const open = message('Two skies').getByRole('button', { name: 'Open image dawn.png' })
    await expect.poll(() => open.isEnabled(), { timeout: 15_000 }).toBe(true)
    await open.click()
    const viewer = a.getByRole('dialog', { name: 'Image dawn.png' })
    const image = viewer.getByRole('img', { name: 'dawn.png' })
    await image.waitFor()
    await viewer.getByText('Image 1 of 2').waitFor()
    expect(await viewer.getByRole('link', { name: 'Download' }).getAttribute('download')).toBe('dawn.png')
    expect(await viewer.getByRole('link', { name: 'Open original' }).getAttribute('href')).toMatch(/^blob:/)
    expect(await seriousViolations(a), 'axe with the image viewer open').toEqual([])
    // Zoom in: the image is drawn larger than fitted; "Fit to screen" puts it back.
    const width = () => image.evaluate((img: HTMLImageElement) => img.getBoundingClientRect().width)
    const fitted = await width()
    await viewer.getByRole('button', { name: 'Zoom in' }).click()
    await expect.poll(width).toBeGreaterThan(fitted * 1.4)
    await viewer.getByRole('button', { name: 'Fit to screen' }).click()
    await expect.poll(width).toBeCloseTo(fitted, 0)
    // Next and previous, by button and by arrow key.
    await viewer.getByRole('button', { name: 'Next image' }).click()
    await a.getByRole('dialog', { name: 'Image dusk.png' }).getByRole('img', { name: 'dusk.png' }).waitFor()
    await a.keyboard.press('ArrowLeft')
    await image.waitFor()
    await a.keyboard.press('Escape')
    await viewer.waitFor({ state: 'hidden' })
    await expect.poll(() => focused(open)).toBe(true)
  })
})
