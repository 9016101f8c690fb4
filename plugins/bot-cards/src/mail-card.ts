// The mail card: "Mail · date", the subject, the sender, and the text (the start of a long one, with
// a button to show the whole of it), then what the bot attached or could not.
import type { CardContext, Dispose } from '@tailmesh/plugin-sdk'
import { el, kicker, mountBotCard } from './frame'
import { MAIL_PREVIEW, MAIL_STRINGS as S, readMailCard, type MailCardView } from './mail-read'

export const mountMailCard = (host: HTMLElement, ctx: CardContext): Dispose =>
  mountBotCard(host, ctx, 'mail', readMailCard, (card, view) => {
    const doc = card.ownerDocument
    const when = view.date
      ? ` · ${new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(view.date)}`
      : ''
    card.append(
      kicker(doc, '📧', ctx.t(S.kicker) + when),
      el(doc, 'h3', view.subject),
      el(doc, 'p', view.from, 'tm-bot-card-meta'),
    )
    drawText(card, view, ctx)
    if (view.cut) card.append(el(doc, 'p', ctx.t(S.cut), 'tm-bot-card-meta'))
    if (view.files) card.append(el(doc, 'p', view.files, 'tm-bot-card-meta'))
    if (view.skipped) card.append(el(doc, 'p', view.skipped, 'tm-bot-card-meta'))
  })

/** The mail's text: whole when short; else its start and a button that shows the rest. */
function drawText(card: HTMLElement, view: MailCardView, ctx: CardContext): void {
  const chars = [...view.text]
  if (!chars.length) return
  const doc = card.ownerDocument
  const text = el(doc, 'p', view.text, 'tm-bot-card-text')
  card.append(text)
  if (chars.length <= MAIL_PREVIEW) return
  const preview = `${chars.slice(0, MAIL_PREVIEW).join('').trimEnd()}…`
  const toggle = el(doc, 'button')
  toggle.type = 'button'
  let open = false
  const show = () => {
    text.textContent = open ? view.text : preview
    toggle.textContent = ctx.t(open ? S.less : S.more)
    toggle.setAttribute('aria-expanded', String(open))
  }
  toggle.addEventListener('click', () => {
    open = !open
    show()
  })
  show()
  card.append(toggle)
}
