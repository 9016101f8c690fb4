// The piece of a message a search result shows: the body as plain text around the first match, cut
// to a few dozen characters, split into parts that are and are not a match. The view renders the
// parts as text (matches in <mark>), so nothing of the sender's is ever parsed as HTML.

export interface ExcerptPart {
  text: string
  match: boolean
}

/** Markdown marks that would only clutter an excerpt: links keep their text, emphasis its words. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^[ \t]*(?:>[ \t]?)+|^[ \t]*#{1,6}[ \t]+/gm, '')
    .replace(/[*_~`]+/g, '')
    .replace(/\s+/g, ' ')
    .trim()
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * An excerpt of `body` around the first of `terms` (the index's matched words, lower case), about
 * `radius` characters either side, with every occurrence of a term marked.
 */
export function excerpt(body: string, terms: readonly string[], radius = 60): ExcerptPart[] {
  const text = plainText(body)
  const words = [...new Set(terms.filter((t) => t.length > 0))].sort((a, b) => b.length - a.length)
  if (words.length === 0) return [{ text: cut(text, 0, radius * 2), match: false }]
  const pattern = new RegExp(words.map(escapeRegExp).join('|'), 'giu')
  const first = text.search(pattern)
  let start = first < 0 ? 0 : Math.max(0, first - radius)
  let end = first < 0 ? radius * 2 : first + radius * 2
  // Whole words at the edges where there is white space near the cut.
  if (start > 0) {
    const space = text.indexOf(' ', start)
    if (space >= 0 && space < first) start = space + 1
  }
  end = Math.min(text.length, end)
  const piece = text.slice(start, end)
  const parts: ExcerptPart[] = []
  if (start > 0) parts.push({ text: '…', match: false })
  let at = 0
  for (const m of piece.matchAll(pattern)) {
    if (m.index > at) parts.push({ text: piece.slice(at, m.index), match: false })
    parts.push({ text: m[0], match: true })
    at = m.index + m[0].length
  }
  if (at < piece.length) parts.push({ text: piece.slice(at), match: false })
  if (end < text.length) parts.push({ text: '…', match: false })
  return parts
}

function cut(text: string, start: number, length: number): string {
  return text.length - start > length ? `${text.slice(start, start + length)}…` : text.slice(start)
}
