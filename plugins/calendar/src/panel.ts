// The calendar panel, framework-free: the panel's events (next occurrence first, in the viewer's zone),
// RSVP buttons with everyone's counts, .ics downloads, and for roles holding the plugin's point a
// form to create, edit and delete events. Redraws on every change of the panel's plugin state.
import type { Dispose, PanelContext, PluginApi } from '@tailmesh/plugin-sdk'
import {
  CREATE_EVENT,
  EventDraftError,
  RSVP_ANSWERS,
  answer,
  deleteEvent,
  listEvents,
  rsvpCounts,
  rsvpsOf,
  saveEvent,
  type CalendarEvent,
} from './events'
import { button, download, el, errorText } from './dom'
import { eventForm, type EventForm } from './form'
import { plannerZone, repeatText, span } from './format'
import { icsFileName, toIcs } from './ics'
import { nextOccurrence } from './recurrence'
import { reminderSettings } from './reminder-settings'
import { S, fill } from './strings'
import { ensureStyle } from './style'

const RSVP_LABEL = { going: S.going, maybe: S.maybe, no: S.no } as const

export function mountCalendarPanel(api: PluginApi, root: HTMLElement, ctx: PanelContext): Dispose {
  const doc = root.ownerDocument
  ensureStyle(doc)
  const { state, t } = ctx
  const point = `plugin.${api.manifest.id}.${CREATE_EVENT}`
  const box = el(doc, 'div', { className: 'tm-cal' })
  const alert = el(doc, 'p', { className: 'tm-cal-error' })
  alert.setAttribute('role', 'alert')
  const bar = el(doc, 'div', { className: 'tm-cal-bar' })
  const formSlot = el(doc, 'div')
  const list = el(doc, 'ul', { className: 'tm-cal-list', label: t(S.events) })
  const past = el(doc, 'details')
  const pastList = el(doc, 'ul', { className: 'tm-cal-list', label: t(S.pastEvents) })
  past.append(el(doc, 'summary', { text: t(S.pastEvents) }), pastList)
  box.append(bar, alert, formSlot, reminderSettings(api, doc, t), list, past)
  root.append(box)

  const fail = (e: unknown) => {
    alert.textContent = e instanceof EventDraftError ? t(e.problem) : errorText(e)
  }
  const ics = (events: CalendarEvent[], name: string) =>
    download(
      doc,
      icsFileName(name),
      toIcs(events, { groupId: ctx.groupId, calendarName: `${ctx.groupName} · ${ctx.panelName}` }),
    )

  let form: EventForm | null = null
  function openForm(existing?: CalendarEvent): void {
    alert.textContent = ''
    const f = eventForm(doc, t, ctx.locale, existing)
    form = f
    const save = el(doc, 'button', { text: t(S.save) })
    save.type = 'submit'
    f.root.append(
      el(doc, 'div', { className: 'tm-cal-actions tm-cal-wide' }, save, button(doc, t(S.cancel), closeForm)),
    )
    f.root.addEventListener('submit', (ev) => {
      ev.preventDefault()
      save.disabled = true
      Promise.resolve()
        .then(() => saveEvent(state, f.read(), existing?.id))
        .then(closeForm, fail)
        .finally(() => (save.disabled = false))
    })
    formSlot.replaceChildren(f.root)
    ;(f.root.querySelector('input') as HTMLInputElement | null)?.focus()
  }
  function closeForm(): void {
    form = null
    formSlot.replaceChildren()
  }

  function drawBar(): void {
    const canCreate = ctx.can(point, ctx.panelId)
    bar.replaceChildren()
    if (canCreate) bar.append(button(doc, t(S.newEvent), () => openForm()))
    bar.append(button(doc, t(S.exportAll), () => ics(listEvents(state), ctx.panelName)))
    if (!canCreate) bar.append(el(doc, 'p', { className: 'tm-cal-note', text: t(S.noCreate) }))
  }

  function item(e: CalendarEvent, now: number): HTMLLIElement {
    const next = nextOccurrence(e, now)
    const start = next?.start ?? e.start
    const end = next?.end ?? e.end
    const li = el(doc, 'li')
    const article = el(doc, 'article', { className: 'tm-cal-event', label: e.title })
    li.append(article)
    article.append(el(doc, 'h3', { text: e.title }))
    const whenText =
      next && next.start <= now
        ? `${t(S.now)} · ${span(start, end, ctx.locale)}`
        : span(start, end, ctx.locale)
    article.append(el(doc, 'p', { className: 'tm-cal-when', text: whenText }))
    if (e.repeat === 'weekly') article.append(el(doc, 'p', { text: repeatText(e, start, ctx.locale, t) }))
    const zoneNote = plannerZone(e, start, ctx.locale, t)
    if (zoneNote) article.append(el(doc, 'p', { className: 'tm-cal-note', text: zoneNote }))
    if (e.location) article.append(el(doc, 'p', { text: `📍 ${e.location}` }))
    if (e.link) {
      const a = el(doc, 'a', { text: e.link })
      a.href = e.link
      a.target = '_blank'
      a.rel = 'noopener noreferrer'
      article.append(el(doc, 'p', {}, '🔗 ', a))
    }
    if (e.description) article.append(el(doc, 'p', { className: 'tm-cal-desc', text: e.description }))

    const answers = rsvpsOf(state, e.id)
    const mine = answers.get(state.me)
    const rsvp = el(doc, 'div', { className: 'tm-cal-rsvp' })
    rsvp.setAttribute('role', 'group')
    rsvp.setAttribute('aria-label', t(S.rsvp))
    for (const a of RSVP_ANSWERS) {
      const b = button(doc, t(RSVP_LABEL[a]), () => {
        alert.textContent = ''
        answer(state, e.id, a).catch(fail)
      })
      b.setAttribute('aria-pressed', String(mine === a))
      rsvp.append(b)
    }
    const counts = rsvpCounts(answers)
    const status = el(doc, 'span', { className: 'tm-cal-note', text: fill(t(S.counts), counts) })
    status.setAttribute('aria-live', 'polite')
    rsvp.append(status)
    article.append(rsvp)

    const actions = el(doc, 'div', { className: 'tm-cal-actions' })
    actions.append(button(doc, t(S.exportOne), () => ics([e], e.title)))
    if (ctx.can(point, ctx.panelId)) {
      actions.append(button(doc, t(S.edit), () => openForm(e)))
      actions.append(
        button(doc, t(S.delete), () => {
          if (!doc.defaultView?.confirm(fill(t(S.confirmDelete), { title: e.title }))) return
          deleteEvent(state, e.id).catch(fail)
        }),
      )
    }
    // Names say which event each button is for, when a screen reader lists every button of the panel.
    for (const b of actions.querySelectorAll('button'))
      b.setAttribute('aria-label', `${b.textContent} · ${e.title}`)
    article.append(actions)
    return li
  }

  function render(): void {
    drawBar()
    if (form && !ctx.can(point, ctx.panelId)) closeForm()
    const now = Date.now()
    const events = listEvents(state)
    const withNext = events
      .map((e) => ({ e, next: nextOccurrence(e, now) }))
      .sort((a, b) => (a.next?.start ?? a.e.start) - (b.next?.start ?? b.e.start))
    const current = withNext.filter((x) => x.next)
    list.replaceChildren(...current.map((x) => item(x.e, now)))
    if (!current.length) list.append(el(doc, 'li', { className: 'tm-cal-note', text: t(S.noUpcoming) }))
    const gone = withNext.filter((x) => !x.next).reverse()
    pastList.replaceChildren(...gone.map((x) => item(x.e, now)))
    past.hidden = gone.length === 0
  }

  render()
  const off = state.onChange(render)
  // "Happening now" and "next" move with the clock even when nothing changes.
  const tick = setInterval(render, 60_000)
  return () => {
    off()
    clearInterval(tick)
    box.remove()
  }
}
