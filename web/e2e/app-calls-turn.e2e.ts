// A call that can only go through TURN: Debian's coturn on loopback (app/coturn.ts: shared secret,
// loopback peers allowed), the relay started with `--ice-server turn:127.0.0.1:PORT` and the same
// secret in TURN_SECRET (it hands out coturn's time-limited credentials at GET /ice-servers), and two
// people whose pages allow only relayed candidates (iceTransportPolicy 'relay', the callIcePolicy
// hook). They hold a call in a voice room: sound and video bytes grow on both sides, and the pair
// each connection chose is a relay pair (getStats). coturn is stopped by its PID at the end.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FAKE_MEDIA, callConsoleTolerated, groupWithVoicePanel } from './app/call-steps'
import { castOnRelay } from './app/cast'
import { startCoturn, type Coturn } from './app/coturn'
import { panelLink } from './app/manage-steps'

let coturn: Coturn | null = null
const cast = castOnRelay(['alice', 'bob'], {
  args: FAKE_MEDIA,
  tolerated: callConsoleTolerated,
  relay: async () => {
    coturn = await startCoturn()
    return { args: ['--ice-server', coturn.url], env: { TURN_SECRET: coturn.secret } }
  },
})
let a: Page
let b: Page

beforeAll(() => {
  a = cast.person('alice').page
  b = cast.person('bob').page
})
afterAll(async () => {
  await coturn?.stop()
})

const stats = (p: Page) => p.evaluate(() => window.tailmeshTest!.callStats())

describe('a call through TURN only', () => {
  it('the relay advertises the TURN server with time-limited coturn credentials', async () => {
    const res = await fetch(new URL('/ice-servers', cast.relay.url))
    const body = (await res.json()) as { iceServers: { urls: string[]; username?: string }[] }
    expect(body.iceServers).toHaveLength(1)
    expect(body.iceServers[0]!.urls).toEqual([coturn!.url])
    expect(body.iceServers[0]!.username).toMatch(/^\d+:tailmesh$/)
  })

  it('two people with relay-only ICE hold a call: media flows over a relay candidate pair', async () => {
    await groupWithVoicePanel(
      { page: a, nickname: 'Alice' },
      [{ page: b, nickname: 'Bob' }],
      'Turn club',
      'Lounge',
    )
    for (const p of [a, b]) {
      await p.evaluate(() => window.tailmeshTest!.callIcePolicy('relay'))
      await panelLink(p, 'Lounge', '🔊').click({ timeout: 20_000 })
      await p.getByRole('button', { name: 'Join the call' }).click()
      await p.getByRole('toolbar', { name: 'Call controls' }).waitFor()
    }
    // A summary, so that a failure shows how far the connection got.
    const flowing = async (p: Page) => {
      const [s] = await stats(p)
      return s && { state: s.state, sound: s.audioBytes > 0, video: s.videoFrames > 0 }
    }
    for (const p of [a, b])
      await expect
        .poll(() => flowing(p), { timeout: 30_000 })
        .toEqual({ state: 'connected', sound: true, video: true })
    // Still flowing, and through the TURN server on both ends of the chosen pair.
    for (const p of [a, b]) {
      const [before] = await stats(p)
      await expect
        .poll(async () => (await stats(p))[0]!.audioBytes, { timeout: 10_000 })
        .toBeGreaterThan(before!.audioBytes)
      const [now] = await stats(p)
      expect({ local: now!.localCandidate, remote: now!.remoteCandidate }).toEqual({
        local: 'relay',
        remote: 'relay',
      })
    }
  }, 120_000)
})
