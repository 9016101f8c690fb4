// The built-in whiteboard between two people, each in their own Chromium profile, on the real relay,
// as one story: Alice adds a Whiteboard panel; Bob's cursor shows on Alice's board; both draw at once
// and both boards end up holding the same things; Alice's undo takes back her stroke and none of
// Bob's; PNG and SVG exports download; then Alice takes the draw permission from everyone, and Bob —
// now a viewer — still sees the board, is told he cannot draw, and an edit his modified client forges
// is refused by Alice's gate.
import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { castOnRelay } from './app/cast'
import {
  backToGroup,
  founder,
  groupIdOf,
  joinWith,
  openSettings,
  panelLink,
  withTestHooks,
} from './app/manage-steps'
import { messages, send, unnamedControls } from './app/steps'

const cast = castOnRelay(['alice', 'bob'])
const ALICE = 'Alice Inkwell'
const BOB = 'Bob Sketchley'
const WHITEBOARD = 'com.tailmesh.whiteboard'

const board = (page: Page) => page.getByRole('img', { name: /^Whiteboard: draw with the pointer/ })
const tools = (page: Page) => page.getByRole('toolbar', { name: 'Whiteboard tools' })
const contents = (page: Page) => page.getByRole('list', { name: 'On the board' })

/** What is on a page's board, read back from its list: "<id> <what> by <who>", sorted. */
async function shapesOn(page: Page): Promise<string[]> {
  // The list is folded away under "On the board (n)" until opened.
  const summary = page.getByText(/^On the board \(\d+\)$/)
  if (!(await page.locator('.tm-wb-list[open]').count())) await summary.click()
  const items = await contents(page)
    .locator('li[data-element-id]')
    .evaluateAll((lis) => lis.map((li) => `${(li as HTMLElement).dataset.elementId} ${li.textContent ?? ''}`))
  return items.sort()
}

/** Drags the mouse across the board from one point to another (relative to its top left), in steps. */
async function drag(page: Page, from: [number, number], to: [number, number], steps = 12): Promise<void> {
  const box = (await board(page).boundingBox())!
  await page.mouse.move(box.x + from[0], box.y + from[1])
  await page.mouse.down()
  for (let i = 1; i <= steps; i++) {
    const k = i / steps
    // A wavy path, so the pen has something to smooth.
    const wobble = Math.sin(k * Math.PI * 3) * 8
    await page.mouse.move(
      box.x + from[0] + (to[0] - from[0]) * k,
      box.y + from[1] + (to[1] - from[1]) * k + wobble,
    )
  }
  await page.mouse.up()
}

async function pick(page: Page, tool: string): Promise<void> {
  await tools(page).getByRole('button', { name: tool, exact: true }).click()
}

describe('plugin: whiteboard', () => {
  it('two people draw at once and converge; undo is per person; cursors show; exports download', async () => {
    const a = cast.person('alice').page
    const b = cast.person('bob').page
    const link = await founder(a, ALICE, 'Sketch club')
    await joinWith(b, withTestHooks(link), BOB)

    await openSettings(a, 'Panels')
    const form = a.getByRole('form', { name: 'Create panel' })
    await form.getByLabel('Panel name').fill('sketches')
    await form.getByLabel('Type').selectOption({ label: 'Whiteboard (plugin Whiteboard)' })
    await form.getByRole('button', { name: 'Create panel' }).click()
    await a
      .getByRole('status')
      .filter({ hasText: 'Everyone in the group now holds the permissions Whiteboard gives by default' })
      .waitFor()
    await backToGroup(a)
    await panelLink(a, 'sketches', '🧩').click()
    await board(a).waitFor()
    await panelLink(b, 'sketches', '🧩').click({ timeout: 20_000 })
    await board(b).waitFor()

    // Bob's pointer over his board is a labelled cursor on Alice's (his moves go on until it shows:
    // a cursor stated before Alice's presence reached him waits for his next statement).
    const bobBox = (await board(b).boundingBox())!
    const bobsCursor = a
      .getByRole('list', { name: 'Others here' })
      .getByRole('listitem')
      .filter({ hasText: BOB })
    let step = 0
    await expect
      .poll(
        async () => {
          step++
          await b.mouse.move(bobBox.x + 200 + (step % 2) * 20, bobBox.y + 150)
          return bobsCursor.count()
        },
        { timeout: 20_000 },
      )
      .toBe(1)

    // Both draw at the same time: Alice a pen stroke, Bob a rectangle.
    await pick(a, 'Pen')
    await pick(b, 'Rectangle')
    await Promise.all([drag(a, [60, 60], [260, 120]), drag(b, [300, 80], [420, 180], 6)])
    // Then Bob draws one more: an arrow, after Alice's stroke.
    await pick(b, 'Arrow')
    await drag(b, [80, 220], [240, 260], 4)
    for (const page of [a, b]) await expect.poll(() => shapesOn(page), { timeout: 20_000 }).toHaveLength(3)
    await expect.poll(() => shapesOn(b), { timeout: 20_000 }).toEqual(await shapesOn(a))
    const both = await shapesOn(a)
    expect(both.filter((s) => s.endsWith(`Pen stroke by ${ALICE}`))).toHaveLength(1)
    expect(both.filter((s) => s.endsWith(`Rectangle by ${BOB}`))).toHaveLength(1)
    expect(both.filter((s) => s.endsWith(`Arrow by ${BOB}`))).toHaveLength(1)

    // Alice's undo takes back her stroke only, though Bob drew after it.
    await tools(a).getByRole('button', { name: 'Undo' }).click()
    const afterUndo = both.filter((s) => !s.endsWith(`Pen stroke by ${ALICE}`))
    for (const page of [a, b]) await expect.poll(() => shapesOn(page), { timeout: 20_000 }).toEqual(afterUndo)
    expect(await tools(b).getByRole('button', { name: 'Undo' }).isEnabled()).toBe(true)

    // Exports: a PNG and an SVG file holding Bob's two shapes.
    const [png] = await Promise.all([
      a.waitForEvent('download'),
      tools(a).getByRole('button', { name: 'Export PNG' }).click(),
    ])
    expect(png.suggestedFilename()).toBe('sketches.png')
    const pngBytes = readFileSync((await png.path())!)
    expect([...pngBytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    const [svg] = await Promise.all([
      a.waitForEvent('download'),
      tools(a).getByRole('button', { name: 'Export SVG' }).click(),
    ])
    expect(svg.suggestedFilename()).toBe('sketches.svg')
    const svgText = readFileSync((await svg.path())!, 'utf8')
    const parsed = await a.evaluate((text) => {
      const d = new DOMParser().parseFromString(text, 'image/svg+xml')
      return { error: d.querySelector('parsererror') !== null, paths: d.querySelectorAll('path').length }
    }, svgText)
    expect(parsed).toEqual({ error: false, paths: 2 })
    expect(await unnamedControls(a)).toEqual([])
  })

  it('a viewer sees the board, is told they cannot draw, and a forged edit is refused by the others', async () => {
    const a = cast.person('alice').page
    const b = cast.person('bob').page
    const before = await shapesOn(a)

    // Alice takes the draw permission from everyone (the owner keeps every permission).
    await openSettings(a, 'Roles')
    const everyone = a.getByRole('group', { name: 'Plugin permissions of Everyone' })
    const draw = everyone.getByRole('checkbox', { name: 'Draw, write and move things on whiteboards' })
    await draw.uncheck()
    await expect.poll(() => draw.isChecked()).toBe(false)
    await backToGroup(a)
    await panelLink(a, 'sketches', '🧩').click()

    // Bob opens the board again: everything is there, the drawing tools are off, and he is told why.
    await panelLink(b, 'general').click()
    await expect
      .poll(
        async () => {
          await panelLink(b, 'sketches', '🧩').click()
          await board(b).waitFor()
          return tools(b).getByRole('button', { name: 'Pen', exact: true }).isDisabled()
        },
        { timeout: 20_000 },
      )
      .toBe(true)
    await b.getByText('You can watch this whiteboard but not draw on it').waitFor()
    expect(await shapesOn(b)).toEqual(before)

    // His modified client writes a stroke anyway: his own gate refuses it, with the reason …
    const refusal = await b.evaluate(
      ([g, plugin, panel]) =>
        window.tailmeshTest!.forgePluginShared(g, plugin, panel, 'e:forged-stroke#draw', {
          k: 'rect',
          x: 10,
          y: 10,
          z: Date.now(),
          c: '#000000',
          a: 'forger',
          w: 300,
          h: 300,
          s: 4,
        }),
      [groupIdOf(b), WHITEBOARD, panelIdOf(b)] as const,
    )
    expect(refusal).toMatch(/needs "plugin\.com\.tailmesh\.whiteboard\.draw"/)
    // … and so does Alice's: once she has Bob's next message, she has had the forged edit too.
    await panelLink(b, 'general').click()
    await send(b, 'that rectangle was not me')
    await panelLink(a, 'general').click()
    await messages(a).filter({ hasText: 'that rectangle was not me' }).waitFor({ timeout: 20_000 })
    await panelLink(a, 'sketches', '🧩').click()
    await board(a).waitFor()
    expect(await shapesOn(a)).toEqual(before)
    expect((await shapesOn(a)).some((s) => s.startsWith('forged-stroke'))).toBe(false)
  })
})

/** The open panel's id, from the address (`#/groups/<group>/<panel>`). */
function panelIdOf(page: Page): string {
  const m = /#\/groups\/[^/]+\/([^/?]+)/.exec(page.url())
  if (!m) throw new Error(`no panel in ${page.url()}`)
  return decodeURIComponent(m[1]!)
}
