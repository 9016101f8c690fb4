// Occurrences of events: a one-off event happens once; a weekly one every seven calendar days at the
// same wall-clock time in the zone it was planned in (so across a daylight-saving change its UTC
// instant moves, and a viewer in another zone may see it move by an hour). Each occurrence lasts as
// long as the first (elapsed time).
import type { CalendarEvent } from './events'
import { addDays, instantOf, localTime } from './zoned'

export interface Occurrence {
  event: CalendarEvent
  /** 0 for the first. */
  index: number
  start: number
  end: number
}

const WEEK = 7 * 86_400_000
/** How many occurrences one query returns at most. */
const MAX = 500

export function occurrenceAt(event: CalendarEvent, index: number): Occurrence {
  const duration = event.end - event.start
  const start =
    index === 0 ? event.start : instantOf(addDays(localTime(event.start, event.zone), 7 * index), event.zone)
  return { event, index, start, end: start + duration }
}

/** Occurrences of `event` that overlap [from, to), in order. */
export function occurrences(event: CalendarEvent, from: number, to: number): Occurrence[] {
  if (event.repeat === 'none') return event.end > from && event.start < to ? [occurrenceAt(event, 0)] : []
  const out: Occurrence[] = []
  // A week's offset change is at most a few hours: start one week early and skip what ended.
  let index = Math.max(0, Math.floor((from - event.end) / WEEK) - 1)
  for (;;) {
    const o = occurrenceAt(event, index++)
    if (o.start >= to || out.length >= MAX) return out
    if (o.end > from) out.push(o)
  }
}

/** Every event's occurrences overlapping [from, to), soonest first (at most `limit`). */
export function upcoming(events: CalendarEvent[], from: number, to: number, limit = MAX): Occurrence[] {
  return events
    .flatMap((e) => occurrences(e, from, to))
    .sort((a, b) => a.start - b.start || a.event.id.localeCompare(b.event.id))
    .slice(0, limit)
}

/** The occurrence happening at `now` or the next one, or null when the event is over. */
export function nextOccurrence(event: CalendarEvent, now: number): Occurrence | null {
  return occurrences(event, now, event.repeat === 'none' ? Infinity : now + 2 * WEEK)[0] ?? null
}
