// A group pinned to libp2p in the built app: two people (own Chromium profiles) served by the real relay
// process, whose libp2p node (WebSockets, circuit relay v2, gossipsub) is the bootstrap. Alice pins the
// group's transport to libp2p in the group's settings (config `transport: 'libp2p'`), Bob joins from the invite, and messages flow both ways with libp2p carrying
// them (each receiver's count of libp2p frames goes up). Then the browser-to-browser path: the relayed
// connection is upgraded to a direct WebRTC one (the relayed one then closed), and once the WebRTC mesh's grace period is over and
// the relay is stopped (no mailbox, no signaling, no circuit), messages still flow, over libp2p alone.
//
// One story, in order.
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { castOnRelay } from './app/cast'
import { backToGroup, groupIdOf, joinWith, openSettings, withTestHooks, TEST_HOOKS } from './app/manage-steps'
import {
  RELAY_SOCKET_FAILED,
  chooseNickname,
  copyInviteLink,
  createGroup,
  messages,
  peersConnected,
  serviceWorkerReady,
} from './app/steps'

const ALICE = 'Alice Gossamer'
const BOB = 'Bob Meshwright'
const GROUP = 'Pigeon post'
/** The replica's default grace period after a transport mode switch (core/src/sync/replica.ts). */
const GRACE_MS = 30_000

interface Libp2pInfo {
  peerId: string | null
  connections: { peer: string; address: string; limited: boolean }[]
}

let relayDown = false
// With the relay stopped, Chromium logs each failed reconnect of the relay's sockets (the mailbox's and
// libp2p's WebSocket, on its own port): expected then.
const LIBP2P_SOCKET_FAILED = /WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/?' failed/
const cast = castOnRelay(['alice', 'bob'], {
  tolerated: (e) => relayDown && (RELAY_SOCKET_FAILED.test(e) || LIBP2P_SOCKET_FAILED.test(e)),
})
let a: Page
let b: Page

beforeAll(() => {
  a = cast.person('alice').page
  b = cast.person('bob').page
})

const libp2p = (p: Page) => p.evaluate(() => window.tailmeshTest!.libp2p()) as Promise<Libp2pInfo | null>
const libp2pFrames = async (p: Page) =>
  (await p.evaluate(() => window.tailmeshTest!.framesByKind()))['libp2p'] ?? 0

/** Says `text` as `from`; ms from the key press until `to` shows it, and whether libp2p carried it. */
async function sayAndTime(from: Page, to: Page, text: string): Promise<{ ms: number; overLibp2p: boolean }> {
  const before = await libp2pFrames(to)
  const box = from.getByRole('textbox', { name: 'Message #general' })
  await box.fill(text)
  const start = Date.now()
  await box.press('Enter')
  await messages(to).filter({ hasText: text }).waitFor({ timeout: 15_000 })
  const ms = Date.now() - start
  // The copy over libp2p may come second (the mailbox's first): give it a moment.
  let overLibp2p = false
  for (let i = 0; i < 50 && !overLibp2p; i++) {
    overLibp2p = (await libp2pFrames(to)) > before
    if (!overLibp2p) await to.waitForTimeout(100)
  }
  return { ms, overLibp2p }
}

const timings: Record<string, number[]> = {}
const note = (what: string, ms: number) => (timings[what] ??= []).push(ms)
let joinedAt = 0

describe('a group pinned to libp2p', () => {
  it('Alice pins libp2p, Bob joins, and messages flow both ways over libp2p through the relay', async () => {
    await a.goto(`/?${TEST_HOOKS}`)
    await chooseNickname(a, ALICE)
    await serviceWorkerReady(a)
    await createGroup(a, GROUP)
    const groupId = groupIdOf(a)
    // The owner pins the network in the group's settings.
    await openSettings(a)
    await a.getByLabel('How members connect').selectOption({ label: 'Always libp2p (large groups)' })
    await expect.poll(() => a.evaluate((g) => window.tailmeshTest!.transport(g), groupId)).toBe('libp2p')
    await backToGroup(a)
    // Alice's node starts (the chunk loaded on demand) and reaches the relay.
    await expect
      .poll(async () => (await libp2p(a))?.connections.length ?? 0, { timeout: 20_000 })
      .toBeGreaterThan(0)
    const link = withTestHooks(await copyInviteLink(a))

    await joinWith(b, link, BOB)
    joinedAt = Date.now()
    await expect.poll(async () => (await libp2p(b))?.peerId ?? null, { timeout: 20_000 }).not.toBeNull()
    const bobId = (await libp2p(b))!.peerId!
    const aliceId = (await libp2p(a))!.peerId!
    // Each finds the other through the relay (peers protocol) and links on the group's topic.
    await expect
      .poll(async () => (await libp2p(a))!.connections.some((c) => c.peer === bobId), { timeout: 30_000 })
      .toBe(true)
    await expect
      .poll(async () => (await libp2p(b))!.connections.some((c) => c.peer === aliceId), { timeout: 30_000 })
      .toBe(true)
    await peersConnected(a, 1, 30_000)
    await peersConnected(b, 1, 30_000)

    for (let i = 0; i < 3; i++) {
      const ab = await sayAndTime(a, b, `Coo from Alice ${i}`)
      const ba = await sayAndTime(b, a, `Coo from Bob ${i}`)
      expect(ab.overLibp2p, `Alice's message ${i} reached Bob over libp2p`).toBe(true)
      expect(ba.overLibp2p, `Bob's message ${i} reached Alice over libp2p`).toBe(true)
      note('relay up: alice → bob', ab.ms)
      note('relay up: bob → alice', ba.ms)
    }
    console.log('libp2p group, relay up, latency (ms, first copy on screen):', JSON.stringify(timings))
  }, 180_000)

  it('the browsers connect directly over WebRTC and keep talking with the relay stopped', async () => {
    const aliceId = (await libp2p(a))!.peerId!
    const bobId = (await libp2p(b))!.peerId!
    const paths = async (p: Page, other: string) =>
      (await libp2p(p))!.connections.filter((c) => c.peer === other)
    // The relayed connection is upgraded: a direct WebRTC data channel, without the relay's limits.
    await expect
      .poll(async () => (await paths(a, bobId)).some((c) => c.address.includes('/webrtc') && !c.limited), {
        timeout: 30_000,
      })
      .toBe(true)
    // Then the relayed connection is closed on both sides: their traffic no longer crosses the relay.
    // (A first upgrade can end half-open, one side holding it: the transport then tries again after a
    // few seconds, hence the time allowed. Both sides can also upgrade at once: two direct
    // connections, both WebRTC, is as good as one.)
    for (const [p, other] of [
      [a, bobId],
      [b, aliceId],
    ] as const)
      await expect
        .poll(
          async () => {
            const held = await paths(p, other)
            return held.length > 0 && held.every((c) => c.address.includes('/webrtc') && !c.limited)
          },
          { timeout: 30_000 },
        )
        .toBe(true)

    // The WebRTC mesh each opened before the pin closes after the grace period: past it, with the
    // relay gone, nothing but libp2p's direct connection is left.
    const wait = joinedAt + GRACE_MS + 3000 - Date.now()
    if (wait > 0) await a.waitForTimeout(wait)
    relayDown = true
    await cast.relay.stop({ keepData: true })

    for (let i = 0; i < 3; i++) {
      const ab = await sayAndTime(a, b, `Direct coo from Alice ${i}`)
      const ba = await sayAndTime(b, a, `Direct coo from Bob ${i}`)
      expect(ab.overLibp2p).toBe(true)
      expect(ba.overLibp2p).toBe(true)
      note('relay down: alice → bob', ab.ms)
      note('relay down: bob → alice', ba.ms)
    }
    console.log('libp2p group latency (ms):', JSON.stringify(timings))
    for (const ms of [...timings['relay down: alice → bob']!, ...timings['relay down: bob → alice']!])
      expect(ms).toBeLessThan(2000)
  }, 120_000)
})
