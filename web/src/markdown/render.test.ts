// Sanitising itself is tested in Chromium (web/e2e/app-markdown.e2e.ts): DOMPurify needs a real DOM.
// Here: without any DOM, nothing a sender wrote may come back as markup.
import { describe, expect, it } from 'vitest'
import { renderMarkdown, sanitizeHtml } from './render'

describe('renderMarkdown without a DOM', () => {
  it('returns escaped text, never markup', () => {
    const out = renderMarkdown('**hi** <script>alert(1)</script><img src=x onerror=alert(1)>')
    // Not one tag: the rendered HTML itself comes back as text.
    expect(out).not.toContain('<')
    expect(sanitizeHtml('<b onclick="x">b</b>')).toBe('&lt;b onclick=&quot;x&quot;&gt;b&lt;/b&gt;')
  })
})
