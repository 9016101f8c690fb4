// iCalendar (RFC 5545) export of one event or a whole panel. What the RFC asks and calendar apps rely on:
// CRLF line ends; lines folded at 75 octets (a fold never splits a UTF-8 character); TEXT escaped
// (backslash, semicolon, comma, newline); a UID that stays the same across exports and a DTSTAMP.
// One-off events are written in UTC (`…Z`). Weekly events are written in their own zone (DTSTART;TZID)
// with RRULE:FREQ=WEEKLY, so "every Friday at 20:00 in Shanghai" stays at 20:00 there, and the zone is
// described by a VTIMEZONE built from the runtime's own zone data (Intl): each offset change in the
// years around the event, or a single fixed offset.
import type { CalendarEvent } from './events'
import { icsLocal, localTime, offsetAt, transitions } from './zoned'

const CRLF = '\r\n'
const encoder = new TextEncoder()

/** Folds one content line at 75 octets: CRLF followed by a space, never inside a character. */
export function foldLine(line: string): string {
  const out: string[] = []
  let current = ''
  let octets = 0
  for (const ch of line) {
    const size = encoder.encode(ch).length
    // The first line holds 75 octets; continuation lines 74 after their leading space.
    if (octets + size > (out.length === 0 ? 75 : 74)) {
      out.push(current)
      current = ''
      octets = 0
    }
    current += ch
    octets += size
  }
  out.push(current)
  return out.join(`${CRLF} `)
}

/** A TEXT value: backslash, semicolon and comma escaped, newlines as `\n`. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
}

const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0')

function utc(ms: number): string {
  const d = new Date(Math.floor(ms / 1000) * 1000)
  return `${d.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`
}

function utcOffset(ms: number): string {
  const minutes = Math.round(ms / 60_000)
  return `${minutes < 0 ? '-' : '+'}${pad(Math.trunc(minutes / 60))}${pad(minutes % 60)}`
}

/** A parameter value: quoted when it holds `:`, `;` or `,` (a zone name never holds a quote). */
const param = (v: string) => (/[:;,]/.test(v) ? `"${v}"` : v)

const YEAR = 365 * 86_400_000

/** A VTIMEZONE for `zone` covering [from, to): one sub-component per offset change. */
export function vtimezone(zone: string, from: number, to: number): string[] {
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`]
  const changes = transitions(zone, from, to)
  if (changes.length === 0) {
    const off = utcOffset(offsetAt(from, zone))
    lines.push('BEGIN:STANDARD', 'DTSTART:19700101T000000', `TZOFFSETFROM:${off}`, `TZOFFSETTO:${off}`)
    lines.push('END:STANDARD')
  } else {
    const least = Math.min(...changes.flatMap((c) => [c.before, c.after]))
    for (const c of changes) {
      const kind = c.after > least ? 'DAYLIGHT' : 'STANDARD'
      // DTSTART is the wall-clock time the change happens at, read with the offset in force before it.
      const wall = localTime(c.at + c.before, 'UTC')
      lines.push(`BEGIN:${kind}`, `DTSTART:${icsLocal(wall)}`)
      lines.push(`TZOFFSETFROM:${utcOffset(c.before)}`, `TZOFFSETTO:${utcOffset(c.after)}`)
      lines.push(`END:${kind}`)
    }
  }
  lines.push('END:VTIMEZONE')
  return lines
}

export interface IcsOptions {
  /** The group the panel is in: part of each UID, so the same event id elsewhere is another event. */
  groupId: string
  /** X-WR-CALNAME, shown by many calendar apps. */
  calendarName?: string
  /** DTSTAMP (the export's time). */
  now?: number
  /** How many years of a weekly event's zone rules to describe (from a year before its start). */
  years?: number
}

function veventLines(e: CalendarEvent, o: IcsOptions, now: number): string[] {
  const lines = ['BEGIN:VEVENT', `UID:${e.id}@${o.groupId}.tailmesh`, `DTSTAMP:${utc(now)}`]
  if (e.repeat === 'weekly') {
    const tz = `;TZID=${param(e.zone)}`
    lines.push(`DTSTART${tz}:${icsLocal(localTime(e.start, e.zone))}`)
    lines.push(`DTEND${tz}:${icsLocal(localTime(e.end, e.zone))}`)
    lines.push('RRULE:FREQ=WEEKLY')
  } else {
    lines.push(`DTSTART:${utc(e.start)}`, `DTEND:${utc(e.end)}`)
  }
  lines.push(`SUMMARY:${escapeText(e.title)}`)
  if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`)
  if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`)
  if (e.link) lines.push(`URL:${e.link}`)
  lines.push(`LAST-MODIFIED:${utc(e.updated)}`, 'END:VEVENT')
  return lines
}

/** An iCalendar object holding `events` (one or a panel's worth). */
export function toIcs(events: CalendarEvent[], o: IcsOptions): string {
  const now = o.now ?? Date.now()
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Tailmesh//Calendar 1.0//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
  ]
  if (o.calendarName) lines.push(`X-WR-CALNAME:${escapeText(o.calendarName)}`)
  const years = o.years ?? 5
  const zones = new Map<string, { from: number; to: number }>()
  for (const e of events.filter((x) => x.repeat === 'weekly')) {
    const span = zones.get(e.zone) ?? { from: Infinity, to: -Infinity }
    zones.set(e.zone, {
      from: Math.min(span.from, e.start - YEAR),
      to: Math.max(span.to, e.start + years * YEAR),
    })
  }
  for (const [zone, span] of zones) lines.push(...vtimezone(zone, span.from, span.to))
  for (const e of events) lines.push(...veventLines(e, o, now))
  lines.push('END:VCALENDAR')
  return lines.map(foldLine).join(CRLF) + CRLF
}

/** A file name for an export: the title's letters and digits, else "calendar". */
export function icsFileName(title: string): string {
  const base = title
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
  return `${base || 'calendar'}.ics`
}
