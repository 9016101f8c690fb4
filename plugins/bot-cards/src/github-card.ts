// The GitHub card: what happened ("Pull request merged"), the title linking to it on GitHub, who did
// it, the repository (a link) and the state, and the start of the text as a quote.
import type { CardContext, Dispose } from '@tailmesh/plugin-sdk'
import { el, kicker, linkOrText, mountBotCard } from './frame'
import { readGithubCard } from './github-read'

export const mountGithubCard = (host: HTMLElement, ctx: CardContext): Dispose =>
  mountBotCard(host, ctx, 'github', readGithubCard, (card, view) => {
    const doc = card.ownerDocument
    const title = el(doc, 'h3')
    title.append(linkOrText(doc, view.title, view.url))
    card.append(kicker(doc, view.icon, `GitHub · ${view.what}`), title)
    const parts: (string | HTMLElement)[] = []
    if (view.by) parts.push(view.by)
    if (view.repo) parts.push(linkOrText(doc, view.repo, view.repoUrl))
    if (view.state) parts.push(view.state)
    if (parts.length) {
      const meta = el(doc, 'p', undefined, 'tm-bot-card-meta')
      parts.forEach((p, i) => meta.append(...(i ? [' · ', p] : [p])))
      card.append(meta)
    }
    if (view.excerpt) card.append(el(doc, 'blockquote', view.excerpt))
  })
