// The lazy half of message rendering (message-body.ts) in Node, where there is no DOM: before
// markdown-it and DOMPurify are loaded a body comes back as escaped text (never markup, never cached)
// and the first such body starts the load; once loaded, the same call gives the renderer's output.
// In Chromium the swap is seen by web/e2e/app-chat.e2e.ts (bold text shows as <strong>).
import { describe, expect, it } from 'vitest'
import { loadMarkdown, markdownReady, renderMessageBody } from './message-body'
import { renderMarkdown } from './render'

describe('renderMessageBody before and after the renderer loads', () => {
  it('shows escaped text first, starts the load, then renders (not the cached stand-in)', async () => {
    expect(markdownReady.value).toBe(false)
    const before = renderMessageBody('m1', undefined, '**hi** <b>x</b>')
    expect(before).toBe('**hi** &lt;b&gt;x&lt;/b&gt;')
    await loadMarkdown()
    expect(markdownReady.value).toBe(true)
    expect(renderMessageBody('m1', undefined, '**hi** <b>x</b>')).toBe(renderMarkdown('**hi** <b>x</b>'))
  })
})
