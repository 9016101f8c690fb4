// What the call stories share (app-calls*.e2e.ts, bench/calls.bench.ts, scripts/screenshots.ts):
// Chromium's fake camera and microphone, the errors a call may leave on a console, and a group with a
// voice panel.
import type { Page } from 'playwright-core'
import { TEST_HOOKS, backToGroup, founder, joinWith, openSettings, withTestHooks } from './manage-steps'
import { RELAY_SOCKET_FAILED } from './steps'

/** Chromium's fake camera and microphone (a moving test pattern, a beep), no prompt, sound unmuted. */
export const FAKE_MEDIA = [
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
]

/** Relay sockets closing, and the WebRTC lines peers that go away leave on the console of those who stay. */
export const callConsoleTolerated = (e: string): boolean =>
  RELAY_SOCKET_FAILED.test(e) || /WebRTC|RTCPeerConnection|ICE/i.test(e)

/** Makes a voice panel from the group's settings and goes back to the group. */
export async function createVoicePanel(page: Page, name: string): Promise<void> {
  await openSettings(page, 'Panels')
  const form = page.getByRole('form', { name: 'Create panel' })
  await form.getByLabel('Panel name').fill(name)
  await form.getByLabel('Type').selectOption('voice')
  await form.getByRole('button', { name: 'Create panel' }).click()
  await backToGroup(page)
}

/**
 * The first page founds `group` as `nickname` and reopens it with the test hooks; every other page
 * joins by its invite (hooks on) under its nickname; the founder makes the voice panel `panel`.
 */
export async function groupWithVoicePanel(
  first: { page: Page; nickname: string },
  others: { page: Page; nickname: string }[],
  group: string,
  panel: string,
): Promise<void> {
  const link = await founder(first.page, first.nickname, group)
  await first.page.goto(`/?${TEST_HOOKS}${new URL(first.page.url()).hash}`)
  await first.page.getByRole('heading', { name: '# general', level: 1 }).waitFor()
  for (const o of others) await joinWith(o.page, withTestHooks(link), o.nickname)
  await createVoicePanel(first.page, panel)
}
