import { afterEach, describe, expect, it } from 'vitest'
import { serveStatic, type StaticServer } from './static-server'

let server: StaticServer | undefined
afterEach(() => server?.close())

describe('serveStatic', () => {
  it('serves files from memory on 127.0.0.1 with their content type, and 404 for the rest', async () => {
    server = await serveStatic({ '/index.html': '<p>hi</p>', 'app.js': 'export {}' })
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)

    const page = await fetch(server.url('/'))
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(await page.text()).toBe('<p>hi</p>')

    const js = await fetch(server.url('/app.js'))
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8')

    expect((await fetch(server.url('/missing.js'))).status).toBe(404)
    expect((await fetch(server.url('/app.js'), { method: 'POST' })).status).toBe(405)
    server.set('/late.json', '{}')
    expect((await fetch(server.url('/late.json'))).status).toBe(200)
    expect(server.requests).toEqual(['/', '/app.js', '/missing.js', '/app.js', '/late.json'])
  })

  it('closes even with a keep-alive connection open', async () => {
    server = await serveStatic({ '/index.html': 'x' })
    await fetch(server.url('/'), { headers: { connection: 'keep-alive' } })
    await server.close()
    await expect(fetch(server.url('/'))).rejects.toThrow()
  })
})
