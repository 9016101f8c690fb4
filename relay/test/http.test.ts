// The relay's HTTP side and command line, against the real process: PWA hosting with the caching a
// service-worker app needs, SPA fallback, no path traversal, /healthz, --help, bad flags, SIGTERM.
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cacheControl } from '../src/http-static'
import { MailboxClient, newTopic } from './helpers/mailbox-client'
import { removeDir, spawnRelay, tempDir, type RelayProcess } from './helpers/relay-process'
import { open } from './helpers/ws'

const web = tempDir('tailmesh-web-')
let relay: RelayProcess
beforeAll(async () => {
  mkdirSync(join(web, 'assets'))
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>Tailmesh</title>')
  writeFileSync(join(web, 'sw.js'), 'self.addEventListener("fetch", () => {})')
  writeFileSync(join(web, 'manifest.webmanifest'), '{"name":"Tailmesh"}')
  writeFileSync(join(web, 'assets', 'index-B4x9kQ2a.js'), 'console.log(1)')
  writeFileSync(join(web, 'icon.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]))
  relay = await spawnRelay(['--web', web])
})
afterAll(async () => {
  await relay.stop()
  removeDir(relay.dataDir)
  removeDir(web)
})

describe('PWA hosting', () => {
  it('serves hashed assets as immutable and index.html, sw.js and the manifest as no-cache', async () => {
    const asset = await fetch(`${relay.http}/assets/index-B4x9kQ2a.js`)
    expect(asset.status).toBe(200)
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(asset.headers.get('content-type')).toMatch(/javascript/)
    for (const path of ['/', '/index.html', '/sw.js', '/manifest.webmanifest']) {
      const r = await fetch(relay.http + path)
      expect(r.status, path).toBe(200)
      expect(r.headers.get('cache-control'), path).toBe('no-cache')
    }
    expect((await fetch(`${relay.http}/manifest.webmanifest`)).headers.get('content-type')).toMatch(
      /manifest\+json/,
    )
    expect(cacheControl('/workbox-4a1b2c3d.js')).toMatch(/immutable/)
    expect(cacheControl('/icon.png')).toBe('no-cache')
  })

  it('falls back to index.html for client-side routes, 404 for missing files', async () => {
    const route = await fetch(`${relay.http}/g/abc/panel/xyz`)
    expect(route.status).toBe(200)
    expect(await route.text()).toContain('<title>Tailmesh</title>')
    expect((await fetch(`${relay.http}/assets/missing-12345678.js`)).status).toBe(404)
  })

  it('never serves files outside the web root', async () => {
    for (const path of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/..%2f..%2fetc/passwd',
      '/assets/..%2f..%2f..%2fpackage.json',
    ]) {
      const r = await fetch(relay.http + path)
      expect(await r.text(), path).not.toContain('"workspaces"')
    }
    expect((await fetch(`${relay.http}/%E0%A4%A`)).status).toBe(400)
  })

  it('answers If-None-Match with 304 and refuses other methods', async () => {
    const first = await fetch(`${relay.http}/icon.png`)
    const etag = first.headers.get('etag')!
    expect((await fetch(`${relay.http}/icon.png`, { headers: { 'if-none-match': etag } })).status).toBe(304)
    expect((await fetch(`${relay.http}/`, { method: 'POST' })).status).toBe(405)
  })

  it('says the PWA is not built when there is no build', async () => {
    const bare = await spawnRelay(['--web', join(web, 'nowhere')])
    try {
      const r = await fetch(`${bare.http}/`)
      expect(r.status).toBe(200)
      expect(await r.text()).toMatch(/PWA is not built/)
    } finally {
      await bare.stop()
      removeDir(bare.dataDir)
    }
  })
})

describe('/healthz', () => {
  it('reports uptime, connections, topics and stored bytes', async () => {
    const ws = await open(relay.signalUrl)
    ws.send(JSON.stringify({ type: 'subscribe', topics: ['t1', 't2'] }))
    const c = await MailboxClient.connect(relay.mailboxUrl)
    await c.append(await newTopic(), new TextEncoder().encode('12345'))
    const h = (await (await fetch(`${relay.http}/healthz`)).json()) as Record<string, unknown>
    expect(h).toMatchObject({
      status: 'ok',
      connections: { signal: 1, mailbox: 1 },
      topics: { signal: 2, mailbox: 1 },
      // Every stored byte: the entry record (key 41 + 5), its dedupe hash record (65 + 8) and the
      // topic's meta record (33 + 72), each with 16 bytes of LevelDB overhead.
      storedBytes: 41 + 5 + 65 + 8 + 33 + 72 + 3 * 16,
      expiredTopics: 0,
    })
    expect(typeof h.uptimeSeconds).toBe('number')
    ws.terminate()
    c.close()
  })
})

describe('/welcome', () => {
  it('serves the welcome page for framing: its own strict policy, no X-Frame-Options', async () => {
    const r = await fetch(`${relay.http}/welcome`)
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toMatch(/^text\/html/)
    const csp = r.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain('frame-ancestors *')
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/)
    expect(csp).not.toMatch(/unsafe-|script-src/)
    expect(r.headers.get('x-frame-options')).toBeNull()
    const html = await r.text()
    expect(html).toContain('Welcome to your community')
    expect(html).toContain('欢迎来到你的社区')
    expect(html).not.toMatch(/<script|<form|<iframe/i)
    expect((await fetch(`${relay.http}/welcome`, { method: 'POST' })).status).toBe(405)
  })
})

describe('command line and shutdown', () => {
  const main = resolve(fileURLToPath(new URL('.', import.meta.url)), '../src/main.ts')
  const run = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', main, ...args], { encoding: 'utf8' })

  it('prints usage for --help and refuses bad flags with exit code 2', () => {
    const help = run(['--help'])
    expect(help.status).toBe(0)
    expect(help.stdout).toMatch(/--port <n>[\s\S]*--data <dir>[\s\S]*--topic-quota/)
    const bad = run(['--port', 'eighty'])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(/--port must be/)
    expect(run(['--no-such-flag']).status).toBe(2)
  })

  it('shuts down gracefully on SIGTERM: closes sockets with 1001 and exits 0', async () => {
    const r = await spawnRelay()
    const ws = await open(r.signalUrl)
    const closedWith = new Promise<number>((res) => ws.once('close', (code) => res(code)))
    expect(await r.stop()).toBe(0)
    expect(await closedWith).toBe(1001)
    expect(r.output()).toMatch(/relay: closed/)
    removeDir(r.dataDir)
  })
})
