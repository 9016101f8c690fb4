// The create / edit form: datetime-local inputs read in the chosen IANA zone (the viewer's by
// default), so "20:00 in Asia/Shanghai" is stored as the instant it is, with the zone beside it.
import type { Locale } from '@tailmesh/plugin-sdk'
import { EventDraftError, type CalendarEvent, type EventDraft } from './events'
import { el } from './dom'
import { S } from './strings'
import { deviceTimeZone, instantOf, parseLocalInput, toLocalInput } from './zoned'

type T = (s: { en: string; 'zh-CN'?: string }) => string

function zones(current: string): string[] {
  const all: string[] =
    typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [current]
  return all.includes(current) ? all : [current, ...all]
}

export interface EventForm {
  root: HTMLFormElement
  /** The draft as filled in, or throws EventDraftError with what is missing. */
  read(): EventDraft
}

export function eventForm(doc: Document, t: T, locale: Locale, existing?: CalendarEvent): EventForm {
  const root = el(doc, 'form', { label: t(existing ? S.formEdit : S.formNew) })
  const field = (label: string, input: HTMLElement, wide = false) => {
    const l = el(doc, 'label', { className: wide ? 'tm-cal-wide' : '' }, label, input)
    root.append(l)
    return input
  }
  const title = field(t(S.title), el(doc, 'input')) as HTMLInputElement
  title.required = true
  title.maxLength = 120
  const zone = el(doc, 'select')
  const planned = existing?.zone ?? deviceTimeZone()
  for (const z of zones(planned)) zone.append(new Option(z, z, false, z === planned))
  const start = field(t(S.starts), el(doc, 'input')) as HTMLInputElement
  const end = field(t(S.ends), el(doc, 'input')) as HTMLInputElement
  start.type = end.type = 'datetime-local'
  start.required = end.required = true
  field(t(S.zone), zone)
  const weekly = el(doc, 'input')
  weekly.type = 'checkbox'
  root.append(el(doc, 'label', { className: 'tm-cal-check' }, weekly, t(S.weekly)))
  const location = field(t(S.location), el(doc, 'input')) as HTMLInputElement
  const link = field(t(S.link), el(doc, 'input')) as HTMLInputElement
  link.type = 'url'
  link.placeholder = 'https://'
  const description = field(t(S.description), el(doc, 'textarea'), true) as HTMLTextAreaElement
  description.maxLength = 1000
  if (existing) {
    title.value = existing.title
    start.value = toLocalInput(existing.start, existing.zone)
    end.value = toLocalInput(existing.end, existing.zone)
    weekly.checked = existing.repeat === 'weekly'
    location.value = existing.location ?? ''
    link.value = existing.link ?? ''
    description.value = existing.description ?? ''
  } else {
    // A sensible default: the next full hour, for an hour.
    const next = Math.ceil(Date.now() / 3_600_000) * 3_600_000
    start.value = toLocalInput(next, planned)
    end.value = toLocalInput(next + 3_600_000, planned)
  }
  // Moving the start keeps the duration.
  let lastStart = start.value
  start.addEventListener('change', () => {
    const [a, b, c] = [parseLocalInput(lastStart), parseLocalInput(start.value), parseLocalInput(end.value)]
    if (a && b && c) {
      const z = zone.value
      end.value = toLocalInput(instantOf(b, z) + instantOf(c, z) - instantOf(a, z), z)
    }
    lastStart = start.value
  })
  void locale
  return {
    root,
    read(): EventDraft {
      const [s, e] = [parseLocalInput(start.value), parseLocalInput(end.value)]
      if (!s || !e) throw new EventDraftError({ en: S.badTime.en, 'zh-CN': S.badTime['zh-CN'] })
      return {
        title: title.value,
        start: instantOf(s, zone.value),
        end: instantOf(e, zone.value),
        zone: zone.value,
        repeat: weekly.checked ? 'weekly' : 'none',
        location: location.value,
        link: link.value,
        description: description.value,
      }
    },
  }
}
