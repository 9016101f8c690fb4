// One feed item as one chat message (markdown): the title as a link, then a summary cut to a
// length. Feed text is escaped, so a feed cannot make links, images or mentions of its own; only the
// item's http(s) URL becomes a link.
import { LIMITS } from '@tailmesh/core'
import type { FeedEntry } from './feed'

export interface FormatOptions {
  /** The longest summary, in characters (default 280); the whole message also stays within core's limit. */
  summaryChars?: number
  /** Shown before the title, e.g. the feed's name. */
  source?: string | null
}

/** Backslash-escapes what markdown (markdown-it, CommonMark) would read as syntax. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#+\-.!|~&@:]/g, (c) => `\\${c}`)
}

/** Cuts to `max` characters (code points) at a word boundary where one is near, with an ellipsis. */
export function cut(text: string, max: number): string {
  const chars = [...text]
  if (chars.length <= max) return text
  const head = chars.slice(0, Math.max(0, max - 1)).join('')
  const space = head.lastIndexOf(' ')
  return `${(space > head.length * 0.6 ? head.slice(0, space) : head).trimEnd()}…`
}

const safeUrl = (url: string | null): string | null => {
  if (!url) return null
  try {
    const u = new URL(url)
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null
    // Parentheses and spaces are percent-encoded so the URL cannot end the markdown link early.
    return u.href.replace(
      /[()\s<>]/g,
      (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
    )
  } catch {
    return null
  }
}

export function formatItem(item: FeedEntry, options: FormatOptions = {}): string {
  const title = escapeMarkdown(cut(item.title || item.url || 'Untitled', 300))
  const url = safeUrl(item.url)
  const heading = url ? `**[${title}](${url})**` : `**${title}**`
  const source = options.source ? `${escapeMarkdown(cut(options.source, 100))} · ` : ''
  const summaryChars = Math.max(0, options.summaryChars ?? 280)
  const summary = item.summary && summaryChars > 0 ? escapeMarkdown(cut(item.summary, summaryChars)) : ''
  const message = summary ? `${source}${heading}\n\n${summary}` : `${source}${heading}`
  // Escaping can lengthen the text; the message as a whole never exceeds what core accepts.
  return [...message].length <= LIMITS.messageBody ? message : cut(message, LIMITS.messageBody)
}
