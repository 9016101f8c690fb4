// Message bodies are markdown from other people: rendered by markdown-it with raw HTML off, then
// sanitised by DOMPurify anyway (defence in depth: a markdown-it plugin or option added later must
// not be able to open a hole). Links open in a new tab without a referrer.
//
// Images from other hosts are not loaded until the reader asks: fetching `![](https://anywhere/x.png)`
// would tell whoever runs that host each reader's IP address and reading time. An image's address
// goes into `data-remote-src` (never `src`): markdown-it's image rule writes it so, and the DOMPurify
// hook moves any `src` that still reaches an <img> the same way. remote-images.ts then shows the
// host and a "Load image" button in its place (or loads it at once where this device always loads
// images from the group's members).
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

/** The attribute an image's remote address waits in until the reader loads it. */
export const REMOTE_SRC = 'data-remote-src'

/** An image address that is fetched from somewhere else (http(s), or protocol-relative), or null. */
export function remoteImageUrl(src: string): string | null {
  const s = src.trim()
  if (s.startsWith('//')) return `https:${s}`
  return /^https?:\/\//i.test(s) ? s : null
}

// markdown-it's image rule, with the address in data-remote-src: the HTML never carries a src that
// would make the browser fetch from a host the reader did not choose. Images from anywhere but
// http(s) (data:, relative paths) keep no address at all.
md.renderer.rules.image = (tokens, idx, options, _env, self) => {
  const token = tokens[idx]!
  const url = remoteImageUrl(String(token.attrGet('src') ?? ''))
  const alt = String(self.renderInlineAsText(token.children ?? [], options, _env))
  const title = String(token.attrGet('title') ?? '')
  const e = md.utils.escapeHtml
  return (
    `<img alt="${e(alt)}"` +
    (url ? ` ${REMOTE_SRC}="${e(url)}"` : '') +
    (title ? ` title="${e(title)}"` : '') +
    '>'
  )
}

/** markdown-it's HTML for a body, before sanitising (exported for the tests: no DOM needed). */
export function markdownHtml(body: string): string {
  return md.render(body)
}

let hooked = false
let holding = false
function purifier(): typeof DOMPurify {
  if (!hooked) {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A') {
        node.setAttribute('target', '_blank')
        node.setAttribute('rel', 'noopener noreferrer nofollow')
      }
      // Only in this module's own sanitising: DOMPurify is one instance, shared with plugins' renderers.
      if (holding && node.tagName === 'IMG') holdImage(node)
    })
    hooked = true
  }
  return DOMPurify
}

/** An <img> that would fetch from another host keeps its address in data-remote-src instead. */
function holdImage(img: Element): void {
  img.removeAttribute('srcset')
  const src = img.getAttribute('src')
  if (src === null) return
  img.removeAttribute('src')
  const url = remoteImageUrl(src)
  if (url) img.setAttribute(REMOTE_SRC, url)
  // data: and blob: images fetch nothing: they may stay (DOMPurify has vetted the URI).
  else if (/^(data|blob):/i.test(src.trim())) img.setAttribute('src', src)
}

/** Whether there is a DOM to sanitise in (without one, everything comes back as escaped text). */
export const canSanitize = (): boolean => DOMPurify.isSupported

/**
 * HTML with everything active taken out (scripts, handlers, javascript: URLs, forms, frames, styles).
 * Without a DOM DOMPurify cannot work at all: then the input comes back as escaped text, never as HTML.
 */
export function sanitizeHtml(html: string): string {
  if (!DOMPurify.isSupported) return escapeHtml(html)
  const purify = purifier()
  holding = true
  try {
    return purify.sanitize(html, {
      FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed'],
      FORBID_ATTR: ['style'],
    })
  } finally {
    holding = false
  }
}

/** Safe HTML for a message body. */
export function renderMarkdown(body: string): string {
  return sanitizeHtml(markdownHtml(body))
}
