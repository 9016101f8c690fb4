// What both bot cards are drawn with: a labelled article, text put in with textContent (nothing a
// card's data says becomes markup), and links only to http(s) addresses, opened in a new tab without
// a referrer. A card's data comes from whoever sent the message — a bot, or a member imitating one —
// so every field is read as untrusted (the row above the card names its real author).
import { addStyleOnce, type CardContext, type Dispose, type LocaleStrings } from '@tailmesh/plugin-sdk'

const CSS = `
.tm-bot-card { border: 1px solid var(--border); border-left: 4px solid var(--accent); border-radius: 8px;
  padding: 6px 10px; max-width: 36rem; background: var(--bg-soft); display: grid; gap: 3px; }
.tm-bot-card p, .tm-bot-card h3 { margin: 0; }
.tm-bot-card h3 { font-size: 1rem; overflow-wrap: anywhere; }
.tm-bot-card .tm-bot-card-kicker, .tm-bot-card .tm-bot-card-meta { color: var(--muted); font-size: 0.85rem; }
.tm-bot-card blockquote { margin: 2px 0 0; padding-left: 8px; border-left: 2px solid var(--border);
  color: var(--text); white-space: pre-wrap; overflow-wrap: anywhere; }
.tm-bot-card .tm-bot-card-text { white-space: pre-wrap; overflow-wrap: anywhere; }
.tm-bot-card button { justify-self: start; font: inherit; padding: 2px 8px; border-radius: 6px;
  border: 1px solid var(--border); background: var(--bg); color: var(--text); cursor: pointer; }
`

/** An http(s) address as it may stand in an href, or null. */
export function safeHref(url: unknown): string | null {
  if (typeof url !== 'string' || url === '') return null
  try {
    const u = new URL(url)
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null
  } catch {
    return null
  }
}

/** A field as text of at most `max` characters, or null. */
export function textOf(v: unknown, max: number): string | null {
  if (typeof v !== 'string') return null
  const s = v.trim()
  if (!s) return null
  const chars = [...s]
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : s
}

export function el<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  text?: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const e = doc.createElement(tag)
  if (text !== undefined) e.textContent = text
  if (className) e.className = className
  return e
}

/** A link to `href` (http(s) only, already checked), or the text alone. */
export function linkOrText(doc: Document, text: string, href: string | null): HTMLElement {
  if (!href) return el(doc, 'span', text)
  const a = el(doc, 'a', text)
  a.href = href
  a.target = '_blank'
  a.rel = 'noopener noreferrer'
  a.referrerPolicy = 'no-referrer'
  return a
}

/**
 * Mounts a bot card: its data read by `read` (null: not a card of this type, and the message's text
 * is shown instead), then drawn by `draw` into an article named by the view's label.
 */
export function mountBotCard<V extends { label: string }>(
  host: HTMLElement,
  ctx: CardContext,
  kind: string,
  read: (data: Record<string, unknown>, t: (s: LocaleStrings) => string) => V | null,
  draw: (card: HTMLElement, view: V) => void,
): Dispose {
  const doc = host.ownerDocument
  const view = read(ctx.card.data, ctx.t)
  if (!view) {
    const text = el(doc, 'p', ctx.message.body)
    host.append(text)
    return () => text.remove()
  }
  addStyleOnce(doc, 'tm-bot-cards-style', CSS)
  const card = el(doc, 'article', undefined, `tm-bot-card tm-bot-card-${kind}`)
  card.setAttribute('aria-label', view.label)
  host.append(card)
  draw(card, view)
  return () => card.remove()
}

/** "📧 Mail · …": a line whose icon screen readers skip. */
export function kicker(doc: Document, icon: string, text: string): HTMLElement {
  const line = el(doc, 'p', undefined, 'tm-bot-card-kicker')
  const mark = el(doc, 'span', `${icon} `)
  mark.setAttribute('aria-hidden', 'true')
  line.append(mark, text)
  return line
}
