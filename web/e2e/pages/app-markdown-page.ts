// Test page: the app's message renderer (markdown-it + DOMPurify) in real Chromium, where DOMPurify
// has a DOM to sanitise with (under happy-dom it returns its input unchanged).
import { renderMarkdown, sanitizeHtml } from '../../src/markdown/render'

declare global {
  interface Window {
    renderMarkdown?: (body: string) => string
    sanitizeHtml?: (html: string) => string
  }
}

window.renderMarkdown = renderMarkdown
window.sanitizeHtml = sanitizeHtml
