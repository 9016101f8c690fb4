// Writing chat markdown from text a bot does not control (feed items, webhook payloads): escape it
// so the source cannot add links, images or formatting of its own, and link only http(s) URLs.

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

/**
 * The URL if it is http(s), ready to stand in a markdown link (characters that could end the link
 * early are percent-encoded); null otherwise.
 */
export function linkUrl(url: unknown): string | null {
  if (typeof url !== 'string' || url === '') return null
  try {
    const u = new URL(url)
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null
    return u.href.replace(
      /[()\s<>]/g,
      (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
    )
  } catch {
    return null
  }
}

/** `[text](url)` with the text escaped, or the escaped text alone when the URL is not http(s). */
export function link(text: string, url: unknown): string {
  const safe = linkUrl(url)
  return safe ? `[${escapeMarkdown(text)}](${safe})` : escapeMarkdown(text)
}
