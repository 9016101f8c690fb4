// Sanitising itself is tested in Chromium (web/e2e/app-markdown.e2e.ts): DOMPurify needs a real DOM.
// Here: without any DOM, nothing a sender wrote may come back as markup.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import MarkdownIt from 'markdown-it'
import { loadMarkdown, renderMessageBody } from './message-body'
import { textParagraph } from './plain'
import { alwaysLoadImages, remoteImageHost, setAlwaysLoadImages } from './remote-images'
import {
  MARKDOWN_OPTIONS,
  markdownHtml,
  plainParagraph,
  remoteImageUrl,
  renderMarkdown,
  sanitizeHtml,
} from './render'

describe('renderMarkdown without a DOM', () => {
  it('returns escaped text, never markup', () => {
    const out = renderMarkdown('**hi** <script>alert(1)</script><img src=x onerror=alert(1)>')
    // Not one tag: the rendered HTML itself comes back as text.
    expect(out).not.toContain('<')
    expect(sanitizeHtml('<b onclick="x">b</b>')).toBe('&lt;b onclick=&quot;x&quot;&gt;b&lt;/b&gt;')
  })
})

describe('plain-text short cut', () => {
  const md = new MarkdownIt(MARKDOWN_OPTIONS)

  it("gives markdown-it's own output for the bodies it takes, and declines markdown and links", () => {
    expect(plainParagraph('History message 5: the lamp log, line 5')).toBe(
      '<p>History message 5: the lamp log, line 5</p>\n',
    )
    expect(plainParagraph('Ok. Say "hi" to them, won\'t you?')).toBe(
      md.render('Ok. Say "hi" to them, won\'t you?'),
    )
    for (const body of [
      '1. list',
      '# heading',
      '- item',
      'see example.com',
      'mail me at a@b.cd',
      'http://x',
      '**bold**',
      'a_b_',
      'x &amp; y',
      'line\nbreak',
      'trailing ',
      'two  spaces',
      'e.g. this',
      '',
      ' lead',
    ])
      expect(plainParagraph(body)).toBeNull()
  })

  it('agrees with markdown-it on generated bodies', () => {
    const chars = [...'aZé中 1 .,:;!?\'"#*_-@/<>&()[]`~=+|\\\nw.com']
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...chars), { maxLength: 24 }), (cs) => {
        const body = cs.join('')
        const fast = plainParagraph(body)
        if (fast !== null) expect(fast).toBe(md.render(body))
      }),
      { numRuns: 3000 },
    )
    // Mostly plain ones, so the short cut is taken often.
    const plain = [...'aZé中 1 .,:;!?\'"w.m']
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...plain), { maxLength: 30 }), (cs) => {
        const body = `A${cs.join('')}`
        const fast = plainParagraph(body)
        if (fast !== null) expect(fast).toBe(md.render(body))
      }),
      { numRuns: 3000 },
    )
  })

  it('caches rendered bodies by id, edit marker and body', async () => {
    await loadMarkdown()
    const a = renderMessageBody('m1', undefined, '**x**')
    expect(renderMessageBody('m1', undefined, '**x**')).toBe(a)
    expect(renderMessageBody('m1', 7, '**y**')).toBe(renderMarkdown('**y**'))
  })
})

describe('text until markdown-it is loaded', () => {
  it('escapes every character of a stand-in and keeps its line breaks', () => {
    expect(textParagraph('<img src=x onerror=alert(1)> & "q"\n**b**')).toBe(
      '<p>&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot;<br>\n**b**</p>\n',
    )
  })
})

describe('remote images wait for the reader', () => {
  /** Every src= in the HTML (there must be none for a remote image). */
  const srcs = (html: string) => [...html.matchAll(/\ssrc\s*=/gi)]

  it('writes a markdown image address into data-remote-src, never src', () => {
    const html = markdownHtml('![a pixel](https://img.example/p.png "The title")')
    expect(html).toBe(
      '<p><img alt="a pixel" data-remote-src="https://img.example/p.png" title="The title"></p>\n',
    )
    expect(srcs(html)).toEqual([])
  })

  it('takes http, https and protocol-relative addresses; keeps no address for anything else', () => {
    expect(markdownHtml('![](http://10.0.0.1:8080/x.gif)')).toContain(
      'data-remote-src="http://10.0.0.1:8080/x.gif"',
    )
    expect(markdownHtml('![](//cdn.example/x.png)')).toContain('data-remote-src="https://cdn.example/x.png"')
    for (const body of [
      '![x](data:image/png;base64,AAAA)',
      '![x](/assets/a.png)',
      '![x](ftp://files.example/a.png)',
    ])
      expect(markdownHtml(body)).toBe('<p><img alt="x"></p>\n')
  })

  it('escapes the address, alt text and title', () => {
    const html = markdownHtml('![a "b" <c>](https://x.example/?q="&<> "t<\'>")')
    expect(html).not.toMatch(/<c>|<'>/)
    expect(srcs(html)).toEqual([])
    expect(html).toContain('data-remote-src="https://x.example/?q=%22&amp;%3C%3E"')
  })

  it('never leaves a src in any image markdown-it writes (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.webUrl(), (alt, url) => {
        const html = markdownHtml(`![${alt.replace(/[[\]]/g, '')}](${url})`)
        expect(srcs(html)).toEqual([])
      }),
    )
  })

  it('names the host the placeholder shows', () => {
    expect(remoteImageUrl(' HTTPS://Img.Example/a ')).toBe('HTTPS://Img.Example/a')
    expect(remoteImageUrl('ftp://x/y')).toBeNull()
    expect(remoteImageHost('https://img.example:8443/a.png')).toBe('img.example:8443')
    expect(remoteImageHost('not a url')).toBe('not a url')
  })

  it('keeps "always load images" per group, on this device', () => {
    expect(alwaysLoadImages('g1')).toBe(false)
    setAlwaysLoadImages('g1', true)
    expect(alwaysLoadImages('g1')).toBe(true)
    expect(alwaysLoadImages('g2')).toBe(false)
    expect(alwaysLoadImages(undefined)).toBe(false)
    setAlwaysLoadImages('g1', false)
    expect(alwaysLoadImages('g1')).toBe(false)
  })
})
