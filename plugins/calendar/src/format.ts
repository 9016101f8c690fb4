// Times as the viewer reads them: in the viewer's own zone and language (Intl), with the planner's
// zone named when it differs, and a weekly event as "Every Friday at 20:00".
import type { Locale } from '@tailmesh/plugin-sdk'
import type { CalendarEvent } from './events'
import { S, fill } from './strings'
import { deviceTimeZone } from './zoned'

type T = (s: { en: string; 'zh-CN'?: string }) => string

const fmt = (locale: Locale, zone: string | undefined, o: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat(locale, { ...o, ...(zone ? { timeZone: zone } : {}) })

export function when(ms: number, locale: Locale, zone?: string): string {
  return fmt(locale, zone, {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(ms)
}

export function timeOnly(ms: number, locale: Locale, zone?: string): string {
  return fmt(locale, zone, { hour: '2-digit', minute: '2-digit' }).format(ms)
}

export function dayHeading(ms: number, locale: Locale): string {
  return fmt(locale, undefined, { weekday: 'long', month: 'long', day: 'numeric' }).format(ms)
}

/** "Fri, Mar 6, 20:00 – 21:30" in the viewer's zone. */
export function span(start: number, end: number, locale: Locale): string {
  const sameDay = new Date(start).toDateString() === new Date(end).toDateString()
  return `${when(start, locale)} – ${sameDay ? timeOnly(end, locale) : when(end, locale)}`
}

/** "Every Friday at 20:00" (the viewer's zone) for a weekly event. */
export function repeatText(e: CalendarEvent, start: number, locale: Locale, t: T): string {
  const weekday = fmt(locale, undefined, { weekday: 'long' }).format(start)
  return fill(t(S.everyWeek), { weekday, time: timeOnly(start, locale) })
}

/** "19:00 in Europe/Berlin" when the planner's zone differs from mine, else "". */
export function plannerZone(e: CalendarEvent, start: number, locale: Locale, t: T): string {
  if (e.zone === deviceTimeZone()) return ''
  return fill(t(S.inZone), { time: when(start, locale, e.zone), zone: e.zone })
}
