// The card itself, framework-free: per link a small box with the hostname and the address as text.
// Not a link: the message body above already links it (markdown linkify), and one link per address
// keeps the page's list of links free of duplicates for screen readers.
import { addStyleOnce, type MessageContext, type Mount } from '@tailmesh/plugin-sdk'
import { linksIn } from './links'

const CSS = `
.tm-link-cards { display: grid; gap: 4px; margin-top: 4px; }
.tm-link-card { border: 1px solid var(--border); border-left: 3px solid var(--accent); border-radius: 6px;
  padding: 4px 8px; max-width: 28rem; background: var(--bg-soft); }
.tm-link-card strong { display: block; }
.tm-link-card span { color: var(--muted); font-size: 0.8rem; word-break: break-all; }
`

export const mountLinkCards: Mount<MessageContext> = (el, ctx) => {
  const doc = el.ownerDocument
  addStyleOnce(doc, 'tm-link-card-style', CSS)
  const list = doc.createElement('div')
  list.className = 'tm-link-cards'
  for (const link of linksIn(ctx.message.body)) {
    const card = doc.createElement('aside')
    card.className = 'tm-link-card'
    card.setAttribute(
      'aria-label',
      ctx.t({ en: `Link to ${link.hostname}`, 'zh-CN': `指向 ${link.hostname} 的链接` }),
    )
    const host = doc.createElement('strong')
    host.textContent = link.hostname
    const address = doc.createElement('span')
    address.textContent = link.url
    card.append(host, address)
    list.append(card)
  }
  el.append(list)
  return () => list.remove()
}
