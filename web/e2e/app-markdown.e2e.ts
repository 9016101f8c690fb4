// The message renderer (web/src/markdown/render.ts) in Chromium: markdown becomes HTML, and nothing
// a sender writes can become script, an event handler, a javascript: link or foreign markup.
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { launchPerson, serveTestPage, type Person, type StaticServer } from './harness'

const entry = fileURLToPath(new URL('./pages/app-markdown-page.ts', import.meta.url))
let server: StaticServer
let reader: Person

beforeAll(async () => {
  server = await serveTestPage('Tailmesh markdown', entry)
  reader = await launchPerson('reader')
  await reader.page.goto(server.url('/'))
  await reader.page.waitForFunction(() => window.renderMarkdown !== undefined)
})

afterAll(async () => {
  await reader?.close()
  await server?.close()
})

afterEach(() => {
  expect(reader.errors.splice(0), 'errors in the page').toEqual([])
})

const sanitize = (html: string) => reader.page.evaluate((h) => window.sanitizeHtml!(h), html)
const render = (body: string) => reader.page.evaluate((b) => window.renderMarkdown!(b), body)

/** Parses the HTML in the page (without running it) and lists what would be dangerous in it. */
const dangers = (html: string) =>
  reader.page.evaluate((h) => {
    const doc = new DOMParser().parseFromString(`<div>${h}</div>`, 'text/html')
    const found: string[] = []
    for (const el of doc.body.querySelectorAll('*')) {
      if (['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'STYLE', 'FORM', 'SVG', 'MATH'].includes(el.tagName))
        found.push(el.tagName)
      for (const a of el.attributes) {
        if (/^on/i.test(a.name) || a.name === 'style') found.push(`${el.tagName}@${a.name}`)
        if (/^\s*(javascript|vbscript|data):/i.test(a.value) && a.name !== 'alt')
          found.push(`${el.tagName}@${a.name}=${a.value}`)
      }
    }
    return found
  }, html)

describe('renderMarkdown in Chromium', () => {
  it('renders markdown', async () => {
    expect(await render('**bold** _it_ `code`')).toBe(
      '<p><strong>bold</strong> <em>it</em> <code>code</code></p>\n',
    )
    expect(await render('- a\n- b')).toContain('<li>a</li>')
    const link = await render('[site](https://example.org)')
    expect(link).toContain('href="https://example.org"')
    expect(link).toContain('rel="noopener noreferrer nofollow"')
    expect(link).toContain('target="_blank"')
  })

  it('renders hostile input inert', async () => {
    const attacks = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '[x](javascript:alert(1))',
      '[x](JaVaScRiPt:alert(1))',
      '[x](vbscript:msgbox(1))',
      '![x](javascript:alert(1))',
      '<a href="javascript:alert(1)">x</a>',
      '<svg onload=alert(1)>',
      '<iframe src="https://evil.example"></iframe>',
      '<div style="position:fixed;inset:0">cover</div>',
      '<form action="https://evil.example"><input name=p></form>',
      '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '<details open ontoggle=alert(1)>',
      '`<script>` in code and ```\n<script>alert(1)</script>\n```',
    ]
    for (const body of attacks) {
      const html = await render(body)
      expect(await dangers(html), `${body} → ${html}`).toEqual([])
    }
    // Raw HTML is shown as the text it is (markdown-it's html: false) ...
    expect(await render('<b>hi</b>')).toBe('<p>&lt;b&gt;hi&lt;/b&gt;</p>\n')
  })

  it('sanitises HTML itself, so markdown-it options can never open a hole', async () => {
    const html = [
      '<p onclick="alert(1)">text<script>alert(1)</script></p>',
      '<img src="x" onerror="alert(1)">',
      '<a href="javascript:alert(1)">link</a>',
      '<iframe src="https://evil.example"></iframe><form><input></form>',
      '<span style="position:fixed">covered</span>',
    ].join('')
    const clean = await sanitize(html)
    expect(await dangers(clean), clean).toEqual([])
    expect(clean).toContain('text')
    // An image's src is taken away: relative ones go, remote ones wait in data-remote-src.
    expect(clean).toContain('<img>')
    expect(clean).toContain('covered')
  })

  it('keeps every remote image address out of src (it waits for "Load image")', async () => {
    expect(await render('![a pixel](https://img.example/p.png)')).toBe(
      '<p><img alt="a pixel" data-remote-src="https://img.example/p.png"></p>\n',
    )
    const clean = await sanitize(
      '<img src="https://img.example/a.png" srcset="https://img.example/b.png 2x">' +
        '<img src="//img.example/c.png"><img src="data:image/png;base64,iVBORw0KGgo=">',
    )
    expect(clean).toBe(
      '<img data-remote-src="https://img.example/a.png">' +
        '<img data-remote-src="https://img.example/c.png">' +
        '<img src="data:image/png;base64,iVBORw0KGgo=">',
    )
  })
})
