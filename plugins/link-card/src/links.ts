// Finding the web links in a message body. No network: the card is drawn from the address alone, so
// showing it tells no server that the message was read (a preview fetch would, and would reveal the
// reader's address to whoever posted the link).

/** At most this many cards under one message: a list of links should not bury the chat. */
export const MAX_LINKS = 3

export interface FoundLink {
  url: string
  hostname: string
}

// Candidates as markdown-it's linkify would see them; trailing punctuation is trimmed below.
const CANDIDATE = /\bhttps?:\/\/[^\s<>"'`]+/gi
const TRAILING = /[.,;:!?)\]}*_~]+$/

/** The distinct http(s) links in `body`, in order, at most MAX_LINKS. */
export function linksIn(body: string): FoundLink[] {
  const found: FoundLink[] = []
  const seen = new Set<string>()
  for (const [raw] of body.matchAll(CANDIDATE)) {
    let candidate = raw.replace(TRAILING, '')
    // "(see https://x.test/a_(b))": keep a closing bracket that closes one opened inside the link.
    if (raw.length > candidate.length && raw[candidate.length] === ')' && candidate.includes('('))
      candidate += ')'
    let url: URL
    try {
      url = new URL(candidate)
    } catch {
      continue
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) continue
    const href = url.href
    if (seen.has(href)) continue
    seen.add(href)
    found.push({ url: href, hostname: url.hostname.replace(/^www\./, '') })
    if (found.length === MAX_LINKS) break
  }
  return found
}

/** Whether a body has a link worth a card (cheap: runs for every message drawn). */
export function hasLink(body: string): boolean {
  return /https?:\/\//i.test(body) && linksIn(body).length > 0
}
