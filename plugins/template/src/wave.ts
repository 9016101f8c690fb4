// The wave card: what `/wave` sends. Its button becomes a message (a reply) — the click is a signed
// message like any other, so a panel, a bot or a person can react to it.
import type { CardContext, Mount } from '@tailmesh/plugin-sdk'

export const mountWave: Mount<CardContext> = (el, ctx) => {
  const doc = el.ownerDocument
  const box = doc.createElement('div')
  box.className = 'wave-card'
  const to = typeof ctx.card.data.to === 'string' ? ctx.card.data.to : ''
  const text = doc.createElement('p')
  text.textContent = ctx.t({
    en: `${ctx.message.authorName} waves at ${to}`,
    'zh-CN': `${ctx.message.authorName} 向 ${to} 挥手`,
  })
  const back = doc.createElement('button')
  back.type = 'button'
  back.textContent = ctx.t({ en: 'Wave back', 'zh-CN': '挥手回应' })
  back.addEventListener('click', () => {
    back.disabled = true
    void ctx.send(`👋 ${ctx.message.authorName}`, { replyTo: ctx.message.id })
  })
  box.append(text, back)
  el.append(box)
  return () => box.remove()
}
