// Sanitising itself is tested in Chromium (web/e2e/app-markdown.e2e.ts): DOMPurify needs a real DOM.
// Here: without any DOM, nothing a sender wrote may come back as markup.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import MarkdownIt from 'markdown-it'
import { loadMarkdown, renderMessageBody } from './message-body'
import { textParagraph } from './plain'
import { MARKDOWN_OPTIONS, plainParagraph, renderMarkdown, sanitizeHtml } from './render'

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
