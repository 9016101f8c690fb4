// Lists of upcoming occurrences: the group sidebar's short list (this group's next five events within
// 30 days, each once) and the Upcoming page (every occurrence in every group, next 30 days, by day). Both open the event's panel.
import type { Dispose, GroupContext, HostContext, PluginApi } from '@tailmesh/plugin-sdk'
import { button, el } from './dom'
import { dayHeading, span, when } from './format'
import type { CalendarSources, UpcomingItem } from './sources'
import { S, fill } from './strings'
import { ensureStyle } from './style'
import { deviceTimeZone } from './zoned'

const MONTH = 30 * 86_400_000
const RSVP_LABEL = { going: S.going, maybe: S.maybe, no: S.no } as const

function live(root: HTMLElement, sources: CalendarSources, draw: () => void): Dispose {
  draw()
  const off = sources.onChange(draw)
  const tick = setInterval(draw, 60_000)
  return () => {
    off()
    clearInterval(tick)
    root.remove()
  }
}

export function mountSidebar(
  api: PluginApi,
  sources: CalendarSources,
  el0: HTMLElement,
  ctx: GroupContext,
): Dispose {
  const doc = el0.ownerDocument
  ensureStyle(doc)
  const list = el(doc, 'ul', { className: 'tm-cal-side' })
  el0.append(list)
  return live(list, sources, () => {
    const now = Date.now()
    // Each event once, at its next occurrence: a weekly stream is one line, not four.
    const seen = new Set<string>()
    const items = sources
      .upcoming(now, now + MONTH, ctx.groupId)
      .filter((o) => !seen.has(o.event.id) && seen.add(o.event.id))
      .slice(0, 5)
    list.replaceChildren(
      ...items.map((o) => {
        const b = button(doc, '', () => api.host.openPanel(o.ref.groupId, o.ref.panelId))
        b.append(
          el(doc, 'span', { text: o.event.title }),
          el(doc, 'small', { text: when(o.start, ctx.locale) }),
        )
        b.setAttribute('aria-label', `${o.event.title}, ${when(o.start, ctx.locale)}`)
        return el(doc, 'li', {}, b)
      }),
    )
    if (!items.length) list.append(el(doc, 'li', { className: 'tm-cal-note', text: ctx.t(S.noUpcoming) }))
  })
}

export function mountUpcomingPage(
  api: PluginApi,
  sources: CalendarSources,
  el0: HTMLElement,
  ctx: HostContext,
): Dispose {
  const doc = el0.ownerDocument
  ensureStyle(doc)
  const root = el(doc, 'div', { className: 'tm-cal' })
  const intro = el(doc, 'p', {
    className: 'tm-cal-note',
    text: fill(ctx.t(S.pageIntro), { zone: deviceTimeZone() }),
  })
  const body = el(doc, 'div')
  root.append(intro, body)
  el0.append(root)
  const entry = (o: UpcomingItem) => {
    const article = el(doc, 'article', { className: 'tm-cal-event', label: o.event.title })
    article.append(el(doc, 'h3', { text: o.event.title }))
    article.append(el(doc, 'p', { className: 'tm-cal-when', text: span(o.start, o.end, ctx.locale) }))
    article.append(
      el(doc, 'p', { text: fill(ctx.t(S.inGroup), { group: o.ref.groupName, panel: o.ref.panelName }) }),
    )
    if (o.mine)
      article.append(
        el(doc, 'p', {
          className: 'tm-cal-note',
          text: fill(ctx.t(S.yourAnswer), { answer: ctx.t(RSVP_LABEL[o.mine]) }),
        }),
      )
    const open = button(doc, ctx.t(S.open), () => api.host.openPanel(o.ref.groupId, o.ref.panelId))
    open.setAttribute('aria-label', `${ctx.t(S.open)} · ${o.event.title}`)
    article.append(el(doc, 'div', { className: 'tm-cal-actions' }, open))
    return el(doc, 'li', {}, article)
  }
  return live(root, sources, () => {
    const now = Date.now()
    const items = sources.upcoming(now, now + MONTH)
    body.replaceChildren()
    if (!items.length) body.append(el(doc, 'p', { text: ctx.t(S.noUpcoming) }))
    let day = ''
    let list: HTMLUListElement | null = null
    for (const o of items) {
      const heading = dayHeading(o.start, ctx.locale)
      if (heading !== day || !list) {
        day = heading
        list = el(doc, 'ul', { className: 'tm-cal-list', label: heading })
        body.append(el(doc, 'h2', { className: 'tm-cal-day', text: heading }), list)
      }
      list.append(entry(o))
    }
  })
}
