// The harness itself, in real Chromium: what later suites rely on (separate profiles, the harness
// flags (CONTRIBUTING.md, "Browser tests"), WebRTC candidates that two profiles can reach, permissions, and a clean close).
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CHROMIUM_FLAGS,
  closeEveryone,
  htmlPage,
  launchPerson,
  serveStatic,
  WEBRTC_LOOPBACK_PERMISSIONS,
  type StaticServer,
} from './harness'

let server: StaticServer

beforeAll(async () => {
  server = await serveStatic({
    '/index.html': htmlPage('blank', '/none.js').replace(/<script.*<\/script>/, ''),
  })
})

afterAll(async () => {
  await closeEveryone()
  await server?.close()
})

/** Processes whose command line mentions `text` (a profile directory is unique to one person). */
function processesWith(text: string): string[] {
  const ps = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
  return ps.split('\n').filter((l) => l.includes(text))
}

describe('harness', () => {
  it('runs each person in their own Chromium profile with the harness flags, and close() cleans up', async () => {
    const ana = await launchPerson('ana')
    const ben = await launchPerson('ben')
    expect(ana.userDataDir).not.toBe(ben.userDataDir)

    await ana.page.goto('chrome://version')
    const commandLine = (await ana.page.locator('#command_line').textContent()) ?? ''
    for (const flag of CHROMIUM_FLAGS) expect(commandLine).toContain(flag)
    expect(commandLine).toContain(`--user-data-dir=${ana.userDataDir}`)

    // Same origin, different profiles: nothing shared.
    await ana.page.goto(server.url('/'))
    await ben.page.goto(server.url('/'))
    await ana.page.evaluate(() => localStorage.setItem('who', 'ana'))
    expect(await ben.page.evaluate(() => localStorage.getItem('who'))).toBeNull()

    await ana.close()
    await ana.close() // twice is fine
    expect(existsSync(ana.userDataDir)).toBe(false)
    expect(processesWith(ana.userDataDir)).toEqual([])
    expect(processesWith(ben.userDataDir)).not.toEqual([])
    await ben.close()
    expect(processesWith(ben.userDataDir)).toEqual([])
    expect(existsSync(ben.userDataDir)).toBe(false)
  })

  it('gathers plain-address WebRTC host candidates (no mDNS names), with no ICE servers', async () => {
    const cai = await launchPerson('cai')
    await cai.page.goto(server.url('/'))
    const candidates = await cai.page.evaluate(async () => {
      const pc = new RTCPeerConnection({ iceServers: [] })
      pc.createDataChannel('probe')
      const found: string[] = []
      const done = new Promise<void>((resolve) => {
        pc.onicecandidate = (e) => (e.candidate ? found.push(e.candidate.candidate) : resolve())
      })
      await pc.setLocalDescription(await pc.createOffer())
      await Promise.race([done, new Promise((r) => setTimeout(r, 5_000))])
      pc.close()
      return found
    })
    expect(candidates.length, 'Chromium gathered no ICE candidates').toBeGreaterThan(0)
    expect(candidates.filter((c) => c.includes('.local'))).toEqual([])
    expect(candidates.every((c) => / typ host/.test(c))).toBe(true)
    await cai.close()
  })

  it('grants permissions per origin', async () => {
    const dee = await launchPerson('dee', {
      permissions: WEBRTC_LOOPBACK_PERMISSIONS,
      permissionsOrigin: server.origin,
    })
    const state = () =>
      dee.page.evaluate(
        async () => (await navigator.permissions.query({ name: 'camera' as PermissionName })).state,
      )
    await dee.page.goto(server.url('/'))
    expect(await state()).toBe('granted')
    await dee.page.goto(server.url('/').replace('127.0.0.1', 'localhost'))
    expect(await state()).not.toBe('granted')
    await dee.close()
  })
})
