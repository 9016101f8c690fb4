// Markdown to safe HTML for the preview. The SDK offers no renderer, so the plugin brings the same
// pair the app uses: markdown-it with raw HTML off, then DOMPurify anyway (defence in depth), links
// opening in a new tab without a referrer. Needs a DOM (DOMPurify); without one it returns escaped text.
import DOMPurify from 'dompurify'
import MarkdownIt from 'markdown-it'

const md = new MarkdownIt({ html: false, linkify: true, breaks: true })
let hooked = false

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

export function renderNotes(markdown: string): string {
  if (!DOMPurify.isSupported) return escape(markdown)
  if (!hooked) {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A') {
        node.setAttribute('target', '_blank')
        node.setAttribute('rel', 'noopener noreferrer nofollow')
      }
    })
    hooked = true
  }
  return DOMPurify.sanitize(md.render(markdown))
}
