// Settings → Diagnostics in the built app, through the real relay: Alice turns the diagnostic log on
// (found by role and name), opens Friends (her friend channel reads its topic through the relay's
// mailbox, with the app's logger), then the relay goes away: core's mailbox transport says so at
// debug, and "Download log" saves a text file holding those lines — and not her friend code.
import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { castOnRelay } from './app/cast'
import { RELAY_SOCKET_FAILED, chooseNickname, openFromAccountMenu, unnamedControls } from './app/steps'

/** Once the relay is stopped, its sockets and the relay list's health checks fail in the console. */
let relayDown = false
const RELAY_DOWN = /127\.0\.0\.1:\d+\/(mailbox|signal|healthz)|ERR_CONNECTION_REFUSED/
const cast = castOnRelay(['alice'], {
  tolerated: (e) => relayDown && (RELAY_SOCKET_FAILED.test(e) || RELAY_DOWN.test(e)),
})
let a: Page

beforeAll(() => {
  a = cast.person('alice').page
})

async function openSettings(p: Page): Promise<void> {
  await openFromAccountMenu(p, 'Settings')
  await p.getByRole('heading', { name: 'Settings', level: 1 }).waitFor()
}

/** Clicks "Download log" and reads the file the browser saved. */
async function downloadLog(p: Page): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([
    p.waitForEvent('download'),
    p.getByRole('button', { name: 'Download log' }).click(),
  ])
  const path = await download.path()
  return { name: download.suggestedFilename(), text: await readFile(path, 'utf8') }
}

describe('diagnostics', () => {
  it('keeps what core logs once turned on, and downloads it as a text file', async () => {
    await a.goto('/')
    await chooseNickname(a, 'Alice')
    await openSettings(a)
    const section = a.getByRole('region', { name: 'Diagnostics' })
    const keep = section.getByRole('checkbox', { name: 'Keep a diagnostic log' })
    const download = section.getByRole('button', { name: 'Download log' })
    expect(await keep.isChecked()).toBe(false)
    expect(await download.isDisabled(), 'nothing to download while off').toBe(true)
    await keep.check()
    expect(await download.isEnabled()).toBe(true)
    expect(await unnamedControls(a)).toEqual([])

    // The friend channel starts with the app's logger: its mailbox transport logs through it.
    await a.getByRole('link', { name: 'Friends', exact: true }).click()
    const friendLink = a.getByRole('textbox', { name: 'Friend link' })
    await expect.poll(() => friendLink.inputValue(), { timeout: 15_000 }).toMatch(/#\/friend\//)
    const friendCode = (await friendLink.inputValue()).split('#/friend/')[1]!

    relayDown = true
    await cast.relay.stop({ keepData: true })
    await openSettings(a)
    expect(await keep.isChecked(), 'still on after moving around the app').toBe(true)

    let saved = { name: '', text: '' }
    await expect
      .poll(async () => (saved = await downloadLog(a)).text, { timeout: 20_000, interval: 500 })
      .toMatch(/ DEBUG \[transport:mailbox\] (connection dropped|could not connect) /)
    expect(saved.name).toMatch(/^tailmesh-log-[\d-]+\.txt$/)
    const lines = saved.text.trim().split('\n')
    expect(lines[0]).toMatch(/^# Tailmesh diagnostic log, saved /)
    expect(lines.some((l) => / INFO {2}\[app\] diagnostic log on /.test(l))).toBe(true)
    for (const line of lines.slice(1))
      expect(line).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z (DEBUG|INFO |WARN |ERROR) \[[\w:-]+\] /)
    expect(saved.text, 'the friend code never reaches the log').not.toContain(friendCode)

    // Off forgets the lines, and the download is offered again only once it is back on.
    await keep.uncheck()
    expect(await download.isDisabled()).toBe(true)
    await keep.check()
    const fresh = await downloadLog(a)
    expect(fresh.text).not.toMatch(/\[transport:mailbox\] connection dropped/)
  })
})
