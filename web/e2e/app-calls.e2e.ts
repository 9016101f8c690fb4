// Calls in the built app between three people, each in their own Chromium profile with fake camera
// and microphone, through the real relay. One story, in order: Alice makes a voice room; Alice, Bob
// and Carol join and each receives sound and video from the other two (getStats: inbound audio bytes
// and decoded video frames grow); Bob mutes (his bytes stop, the others see "muted"); Carol turns her
// camera off (her avatar shows); Alice moves to another panel and back with the call still flowing;
// Carol leaves and her tile is gone within 5 s; closing Bob's tab ends him for Alice within 5 s;
// Carol, without the callJoin point, sends a signed offer anyway through the page hook and gets
// nothing from anyone; banned (callJoin given back to everyone), her signed offer to the session she
// heard before the ban gets nothing either.
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { FAKE_MEDIA, callConsoleTolerated, groupWithVoicePanel } from './app/call-steps'
import { castOnRelay } from './app/cast'
import { groupIdOf, panelLink } from './app/manage-steps'

const cast = castOnRelay(['alice', 'bob', 'carol'], { args: FAKE_MEDIA, tolerated: callConsoleTolerated })
let a: Page
let b: Page
let c: Page
let groupId = ''

type Stats = { user: string; state: string; audioBytes: number; videoFrames: number; videoBytes: number }[]
const stats = (p: Page): Promise<Stats> => p.evaluate(() => window.tailmeshTest!.callStats())
const tile = (p: Page, name: string) => p.getByRole('group', { name, exact: true })
/** Per peer nickname → stats, read through the page's own nickname mapping. */
async function byPeer(p: Page, names: Record<string, string>): Promise<Record<string, Stats[number]>> {
  const out: Record<string, Stats[number]> = {}
  for (const s of await stats(p)) out[names[s.user] ?? s.user] = s
  return out
}
const ids: Record<string, string> = {}

beforeAll(() => {
  a = cast.person('alice').page
  b = cast.person('bob').page
  c = cast.person('carol').page
})

/**
 * Watches the page's forged call connection for 4 s (an honest answer comes within a second): whether
 * it ever connected and the most it received.
 */
function watchForged(p: Page): Promise<{ connected: boolean; bytes: number }> {
  return p.evaluate(async () => {
    let connected = false
    let bytes = 0
    for (let i = 0; i < 20; i++) {
      const f = await window.tailmeshTest!.forgedCall()
      connected ||= f?.state === 'connected'
      bytes = Math.max(bytes, f?.bytesReceived ?? 0)
      await new Promise((r) => setTimeout(r, 200))
    }
    return { connected, bytes }
  })
}

async function joinRoom(p: Page): Promise<void> {
  await panelLink(p, 'Lounge', '🔊').click({ timeout: 20_000 })
  await p.getByRole('button', { name: 'Join the call' }).click()
  await p.getByRole('toolbar', { name: 'Call controls' }).waitFor()
}

describe('a voice room between three people', () => {
  it('Alice makes a voice room; all three join and each receives sound and video from the other two', async () => {
    await groupWithVoicePanel(
      { page: a, nickname: 'Alice' },
      [
        { page: b, nickname: 'Bob' },
        { page: c, nickname: 'Carol' },
      ],
      'Call club',
      'Lounge',
    )
    groupId = groupIdOf(a)
    for (const [p, n] of [
      [a, 'Alice'],
      [b, 'Bob'],
      [c, 'Carol'],
    ] as const)
      ids[(await p.evaluate(() => window.tailmeshTest!.me()))!] = n

    const started = Date.now()
    await joinRoom(a)
    await joinRoom(b)
    await joinRoom(c)
    for (const [p, me] of [
      [a, 'Alice'],
      [b, 'Bob'],
      [c, 'Carol'],
    ] as const)
      for (const n of ['Alice', 'Bob', 'Carol'])
        await tile(p, n === me ? `${n} (you)` : n).waitFor({ timeout: 20_000 })
    for (const p of [a, b, c])
      await expect
        .poll(
          async () =>
            Object.values(await byPeer(p, ids)).filter((s) => s.audioBytes > 0 && s.videoFrames > 0).length,
          {
            timeout: 20_000,
          },
        )
        .toBe(2)
    console.log(`three joined and receiving in ${Date.now() - started} ms`)
    // And it keeps flowing.
    const before = await byPeer(a, ids)
    await expect
      .poll(async () => (await byPeer(a, ids)).Bob!.videoFrames > before.Bob!.videoFrames + 10, {
        timeout: 10_000,
      })
      .toBe(true)
    // Everyone sees who is in the room in the panel list.
    const roster = b.getByRole('navigation', { name: 'Panels' }).getByRole('list', { name: 'Call in Lounge' })
    await expect
      .poll(async () => (await roster.getByRole('listitem').allTextContents()).sort(), { timeout: 10_000 })
      .toEqual(['Alice', 'Bob', 'Carol'])
  }, 150_000)

  it('Bob mutes: his sound stops reaching Alice and she sees him muted', async () => {
    await b.getByRole('button', { name: 'Mute microphone' }).click()
    await tile(a, 'Bob').filter({ hasText: 'muted' }).waitFor({ timeout: 5_000 })
    // Two reads a statistics interval apart show no more audio bytes from Bob.
    let last = -1
    await expect
      .poll(
        async () => {
          const now = (await byPeer(a, ids)).Bob!.audioBytes
          const same = now === last
          last = now
          return same
        },
        { timeout: 15_000, interval: 1_000 },
      )
      .toBe(true)
    // Carol still comes through.
    const carol = (await byPeer(a, ids)).Carol!.audioBytes
    await expect
      .poll(async () => (await byPeer(a, ids)).Carol!.audioBytes, { timeout: 5_000 })
      .toBeGreaterThan(carol)
  })

  it('Carol turns her camera off: the others see her avatar instead of video', async () => {
    await c.getByRole('button', { name: 'Turn camera off' }).click()
    await tile(a, 'Carol').filter({ hasText: 'camera off' }).waitFor({ timeout: 5_000 })
    expect(await tile(a, 'Carol').locator('video').count()).toBe(0)
    expect(await tile(a, 'Bob').locator('video').count()).toBe(1)
  })

  it('the call keeps running while Alice moves to another panel (call bar), and back', async () => {
    await panelLink(a, 'general').click()
    const bar = a.getByRole('complementary', { name: 'Ongoing call' })
    await bar.waitFor()
    const frames = (await byPeer(a, ids)).Bob!.videoFrames
    await expect
      .poll(async () => (await byPeer(a, ids)).Bob!.videoFrames, { timeout: 10_000 })
      .toBeGreaterThan(frames + 10)
    await bar.getByRole('link', { name: 'Open the call' }).click()
    await a.getByRole('toolbar', { name: 'Call controls' }).waitFor()
    await tile(a, 'Bob').waitFor()
  })

  it('Carol leaves: her tile is gone for the others within 5 s', async () => {
    await c.getByRole('button', { name: 'Leave the call' }).click()
    const t0 = Date.now()
    await tile(a, 'Carol').waitFor({ state: 'detached', timeout: 5_000 })
    await tile(b, 'Carol').waitFor({ state: 'detached', timeout: 5_000 })
    console.log(`leave seen in ${Date.now() - t0} ms`)
  })

  it("closing Bob's tab ends him for Alice within 5 s", async () => {
    await b.close()
    const t0 = Date.now()
    await tile(a, 'Bob').waitFor({ state: 'detached', timeout: 5_000 })
    console.log(`tab close seen in ${Date.now() - t0} ms`)
  })

  it('without callJoin, Carol cannot join, and an offer she forges anyway gets no media', async () => {
    // The owner takes callJoin from everyone (a real role change every peer's gate accepts).
    await a.evaluate(
      (g) => window.tailmeshTest!.forgeRolePoints(g, 'everyone', ['viewPanel', 'message']),
      groupId,
    )
    await c.getByText('You may not join calls here.').waitFor({ timeout: 15_000 })
    const lounge = new URL(c.url()).hash.split('/').pop()!
    await c.evaluate(([g, p]) => window.tailmeshTest!.forgeCallOffer(g!, p!), [groupId, lounge])
    // Carol's forged connection never connects and receives nothing.
    expect(await watchForged(c)).toEqual({ connected: false, bytes: 0 })
    expect(Object.keys(await byPeer(a, ids))).not.toContain('Carol')
    expect(await tile(a, 'Carol').count()).toBe(0)
  })

  it('banned, Carol sends a signed offer to the session she heard before the ban and gets no media', async () => {
    // callJoin back for everyone: the ban alone keeps her out.
    await a.evaluate(
      (g) =>
        window.tailmeshTest!.forgeRolePoints(g, 'everyone', [
          'viewPanel',
          'message',
          'callJoin',
          'callSpeak',
        ]),
      groupId,
    )
    await c.getByRole('button', { name: 'Join the call' }).waitFor({ timeout: 15_000 })
    const lounge = new URL(c.url()).hash.split('/').pop()!
    // What a modified client remembers of the room: Alice's session, heard while Carol was a member.
    let sessions: string[] = []
    await expect
      .poll(
        async () =>
          (sessions = await c.evaluate(
            ([g, p]) => window.tailmeshTest!.callSessions(g!, p!),
            [groupId, lounge],
          )).length,
        {
          timeout: 10_000,
        },
      )
      .toBe(1)
    const carol = Object.keys(ids).find((id) => ids[id] === 'Carol')!
    await a.evaluate(([g, u]) => window.tailmeshTest!.forgeBan(g!, u!), [groupId, carol])
    const sent = await c.evaluate(
      ([g, p, s]) => window.tailmeshTest!.forgeCallOffer(g as string, p as string, s as string[]),
      [groupId, lounge, sessions] as const,
    )
    expect(sent).toBe(1)
    expect(await watchForged(c)).toEqual({ connected: false, bytes: 0 })
    expect(Object.keys(await byPeer(a, ids))).not.toContain('Carol')
    expect(await tile(a, 'Carol').count()).toBe(0)
  })
})
