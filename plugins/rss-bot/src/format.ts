// One feed item as one chat message (markdown): the title as a link, then a summary cut to a
// length. Feed text is escaped, so a feed cannot make links, images or mentions of its own; only the
// item's http(s) URL becomes a link.
import { cut, escapeMarkdown, linkUrl } from '@tailmesh/bot-kit'
import { LIMITS } from '@tailmesh/core'
import type { FeedEntry } from './feed'

export interface FormatOptions {
  /** The longest summary, in characters (default 280); the whole message also stays within core's limit. */
  summaryChars?: number
  /** Shown before the title, e.g. the feed's name. */
  source?: string | null
}

export function formatItem(item: FeedEntry, options: FormatOptions = {}): string {
  const title = escapeMarkdown(cut(item.title || item.url || 'Untitled', 300))
  const url = linkUrl(item.url)
  const heading = url ? `**[${title}](${url})**` : `**${title}**`
  const source = options.source ? `${escapeMarkdown(cut(options.source, 100))} · ` : ''
  const summaryChars = Math.max(0, options.summaryChars ?? 280)
  const summary = item.summary && summaryChars > 0 ? escapeMarkdown(cut(item.summary, summaryChars)) : ''
  const message = summary ? `${source}${heading}\n\n${summary}` : `${source}${heading}`
  // Escaping can lengthen the text; the message as a whole never exceeds what core accepts.
  return [...message].length <= LIMITS.messageBody ? message : cut(message, LIMITS.messageBody)
}
