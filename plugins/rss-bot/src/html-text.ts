// Feed titles and summaries are often HTML: the chat shows them as plain text (then escaped for
// markdown, format.ts). This is not a sanitiser — the app renders every message through its own
// markdown + DOMPurify path — it only keeps tags and entities out of what people read.
import { decode } from 'html-entities'

const BLOCK_END = /<\/(p|div|li|h[1-6]|blockquote|pre|tr)>|<br\s*\/?>/gi
const DROPPED = /<(script|style|template)\b[^>]*>[\s\S]*?<\/\1\s*>/gi

export function htmlToText(html: string): string {
  const text = html
    .replace(DROPPED, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(BLOCK_END, '\n')
    .replace(/<[^>]*>/g, ' ')
  return decode(text)
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .replace(/ *\n[\s]*/g, '\n')
    .trim()
}
