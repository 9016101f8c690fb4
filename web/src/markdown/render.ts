// Message bodies are markdown from other people: rendered by markdown-it with raw HTML off, then
// sanitised by DOMPurify anyway (defence in depth: a markdown-it plugin or option added later must
// not be able to open a hole). Links open in a new tab without a referrer.
//
// This module is the heavy half (markdown-it, its entities table, DOMPurify): the app loads it on
// first need through message-body.ts, which also caches rendered bodies and takes the plain-text
// short cut (plain.ts) without it.
import DOMPurify from 'dompurify'
import MarkdownIt from 'markdown-it'
import { escapeHtml } from './plain'

export { plainParagraph } from './plain'

/** markdown-it's options (exported for the test that checks the plain-text short cut against it). */
export const MARKDOWN_OPTIONS = { html: false, linkify: true, breaks: true } as const
const md = new MarkdownIt(MARKDOWN_OPTIONS)

let hooked = false
function purifier(): typeof DOMPurify {
  if (!hooked) {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A') {
        node.setAttribute('target', '_blank')
        node.setAttribute('rel', 'noopener noreferrer nofollow')
      }
    })
    hooked = true
  }
  return DOMPurify
}

/** Whether there is a DOM to sanitise in (without one, everything comes back as escaped text). */
export const canSanitize = (): boolean => DOMPurify.isSupported

/**
 * HTML with everything active taken out (scripts, handlers, javascript: URLs, forms, frames, styles).
 * Without a DOM DOMPurify cannot work at all: then the input comes back as escaped text, never as HTML.
 */
export function sanitizeHtml(html: string): string {
  if (!DOMPurify.isSupported) return escapeHtml(html)
  return purifier().sanitize(html, {
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed'],
    FORBID_ATTR: ['style'],
  })
}

/** Safe HTML for a message body. */
export function renderMarkdown(body: string): string {
  return sanitizeHtml(md.render(body))
}
