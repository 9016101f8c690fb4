// The Content-Security-Policy and X-Frame-Options the static handler sends (the browser side, framing
// refused and the app working under the policy, is web/e2e/app-csp.e2e.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CSP, CSP_DIRECTIVES, META_CSP } from './csp'
import { createStaticHandler } from './http-static'
import { createLogger } from './logger'

const policy = (text: string) =>
  new Map(
    text
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...v]) => [name!, v]),
  )

describe('the policy', () => {
  it('is strict where the app allows it', () => {
    const p = policy(CSP)
    expect(p.get('default-src')).toEqual(["'self'"])
    expect(p.get('script-src')).toEqual(["'self'", 'blob:'])
    expect(p.get('style-src')).toEqual(["'self'"])
    expect(p.get('object-src')).toEqual(["'none'"])
    expect(p.get('base-uri')).toEqual(["'none'"])
    expect(p.get('frame-ancestors')).toEqual(["'none'"])
    expect(p.get('worker-src')).toEqual(["'self'"])
    expect(CSP).not.toMatch(/unsafe-|\*/)
  })

  it('is the header without frame-ancestors in the <meta> (which cannot carry it)', () => {
    expect(META_CSP).not.toContain('frame-ancestors')
    expect(CSP).toBe(`${META_CSP}; frame-ancestors 'none'`)
    expect(policy(META_CSP).size).toBe(CSP_DIRECTIVES.length)
  })
})

describe('the static handler', () => {
  const web = mkdtempSync(join(tmpdir(), 'tailmesh-csp-'))
  let server: Server
  let base: string
  beforeAll(async () => {
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>Tailmesh</title>')
    const serve = createStaticHandler(web, createLogger('silent'))
    server = createServer((req, res) => void serve(req, res))
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await new Promise((r) => server.close(r))
    rmSync(web, { recursive: true, force: true })
  })

  it('sends the policy and X-Frame-Options: DENY on the app, on routes and on errors', async () => {
    for (const [path, status] of [
      ['/', 200],
      ['/index.html', 200],
      ['/g/abc', 200],
      ['/missing.js', 404],
    ] as const) {
      const r = await fetch(base + path)
      expect(r.status, path).toBe(status)
      expect(r.headers.get('content-security-policy'), path).toBe(CSP)
      expect(r.headers.get('x-frame-options'), path).toBe('DENY')
    }
  })
})
