// Message bodies are markdown from other people: rendered by markdown-it with raw HTML off, then
// sanitised by DOMPurify anyway (defence in depth: a markdown-it plugin or option added later must
// not be able to open a hole). Links open in a new tab without a referrer.
//
// Rendering is the costliest part of showing a row, so message lists use `renderMessageBody`: a
// bounded LRU of the HTML by (message id, edit marker, body), and a short cut for plain sentences
// (letters first, no markdown or link syntax) that builds markdown-it's own output for them directly.
import DOMPurify from 'dompurify'
import MarkdownIt from 'markdown-it'

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

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

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

/**
 * One line that markdown-it renders as a bare paragraph: it starts with a letter (no list, heading,
 * quote or code marker), holds only letters, digits, single spaces and , : ; ! ? ' " and a full stop
 * only before a space or at the end (so no link, e-mail address, emphasis, entity or escape), and
 * does not end with a space.
 */
const PLAIN = /^\p{L}(?:[\p{L}\p{N},:;!?'"]| (?=[^ ])|\.(?= [^ ]|$))*$/u

/** markdown-it's exact output for a plain body (see PLAIN), or null when the body is not plain. */
export function plainParagraph(body: string): string | null {
  return PLAIN.test(body) ? `<p>${body.replace(/"/g, '&quot;')}</p>\n` : null
}

const MAX_CACHED = 2000
const cache = new Map<string, string>()

/**
 * Safe HTML for a message's body, cached by (id, edit marker, body) in a bounded LRU: a row scrolled
 * out and back in, or re-rendered for a reaction, does not render its markdown again.
 */
export function renderMessageBody(id: string, edited: number | undefined, body: string): string {
  const key = `${id}\u0000${edited ?? ''}\u0000${body}`
  let html = cache.get(key)
  if (html !== undefined) {
    cache.delete(key)
  } else {
    html = (DOMPurify.isSupported ? plainParagraph(body) : null) ?? renderMarkdown(body)
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string)
  }
  cache.set(key, html)
  return html
}
