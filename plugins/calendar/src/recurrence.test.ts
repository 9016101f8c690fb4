// Weekly repeats keep their wall-clock time in the zone they were planned in, across daylight-saving
// changes in either direction, and are shown in the viewer's zone.
import { describe, expect, it } from 'vitest'
import type { CalendarEvent } from './events'
import { nextOccurrence, occurrences, upcoming } from './recurrence'
import { instantOf, localTime, offsetAt, parseLocalInput, toLocalInput } from './zoned'

const HOUR = 3_600_000

function weekly(start: number, zone: string, hours = 1): CalendarEvent {
  return {
    id: 'evt-weekly-1',
    title: 'Live',
    start,
    end: start + hours * HOUR,
    zone,
    repeat: 'weekly',
    by: 'a',
    updated: 0,
  }
}

const wall = (ms: number, zone: string) => {
  const t = localTime(ms, zone)
  return `${t.year}-${t.month}-${t.day} ${t.hour}:${String(t.minute).padStart(2, '0')}`
}

describe('zoned time with Intl', () => {
  it('finds the offset and the instant of a local time, including the gap and the overlap', () => {
    expect(offsetAt(Date.UTC(2026, 0, 15), 'Europe/Berlin')).toBe(HOUR)
    expect(offsetAt(Date.UTC(2026, 6, 15), 'Europe/Berlin')).toBe(2 * HOUR)
    const t = { year: 2026, month: 7, day: 1, hour: 20, minute: 0, second: 0 }
    expect(instantOf(t, 'America/New_York')).toBe(Date.UTC(2026, 6, 2, 0, 0))
    // 02:30 on 8 March 2026 never happens in New York: moved forward by the gap to 03:30 EDT.
    expect(instantOf({ ...t, month: 3, day: 8, hour: 2, minute: 30 }, 'America/New_York')).toBe(
      Date.UTC(2026, 2, 8, 7, 30),
    )
    // 01:30 on 1 November 2026 happens twice: the first (EDT) is taken.
    expect(instantOf({ ...t, month: 11, day: 1, hour: 1, minute: 30 }, 'America/New_York')).toBe(
      Date.UTC(2026, 10, 1, 5, 30),
    )
    expect(toLocalInput(Date.UTC(2026, 6, 2, 0, 0), 'America/New_York')).toBe('2026-07-01T20:00')
    expect(parseLocalInput('2026-02-30T10:00')).toBeNull()
  })
})

describe('weekly recurrence across daylight-saving changes', () => {
  it('keeps 19:00 in Berlin when Europe moves its clocks forward (29 March 2026) and back (25 October)', () => {
    const event = weekly(Date.UTC(2026, 2, 20, 18, 0), 'Europe/Berlin') // Fri 20 March, 19:00 CET
    const spring = occurrences(event, event.start, Date.UTC(2026, 3, 4))
    expect(spring.map((o) => new Date(o.start).toISOString())).toEqual([
      '2026-03-20T18:00:00.000Z', // 19:00 CET
      '2026-03-27T18:00:00.000Z', // 19:00 CET
      '2026-04-03T17:00:00.000Z', // 19:00 CEST: an hour earlier in UTC
    ])
    expect(spring.every((o) => wall(o.start, 'Europe/Berlin').endsWith(' 19:00'))).toBe(true)
    expect(spring.every((o) => o.end - o.start === HOUR)).toBe(true)
    const autumn = occurrences(event, Date.UTC(2026, 9, 20), Date.UTC(2026, 9, 31))
    expect(autumn.map((o) => new Date(o.start).toISOString())).toEqual([
      '2026-10-23T17:00:00.000Z', // CEST
      '2026-10-30T18:00:00.000Z', // CET again
    ])
  })

  it('a viewer in another zone sees the time move when only the planner’s zone changes', () => {
    // Planned in Shanghai (no daylight saving) while New York changes on 8 March 2026.
    const event = weekly(Date.UTC(2026, 1, 27, 12, 0), 'Asia/Shanghai') // Fri 20:00 in Shanghai
    const [a, b] = occurrences(event, event.start, Date.UTC(2026, 2, 9))
    expect([wall(a!.start, 'Asia/Shanghai'), wall(b!.start, 'Asia/Shanghai')]).toEqual([
      '2026-2-27 20:00',
      '2026-3-6 20:00',
    ])
    expect(wall(a!.start, 'America/New_York')).toBe('2026-2-27 7:00')
    // Planned in New York: the same event keeps New York's 07:00 and moves in Shanghai instead.
    const ny = weekly(Date.UTC(2026, 2, 6, 12, 0), 'America/New_York') // Fri 6 March 07:00 EST
    const [c, d] = occurrences(ny, ny.start, Date.UTC(2026, 2, 14))
    expect([wall(c!.start, 'America/New_York'), wall(d!.start, 'America/New_York')]).toEqual([
      '2026-3-6 7:00',
      '2026-3-13 7:00',
    ])
    expect([wall(c!.start, 'Asia/Shanghai'), wall(d!.start, 'Asia/Shanghai')]).toEqual([
      '2026-3-6 20:00',
      '2026-3-13 19:00',
    ])
  })

  it('finds the next occurrence far into a series, and one-off events only once', () => {
    const event = weekly(Date.UTC(2026, 0, 2, 18, 0), 'Europe/Berlin', 2)
    const later = nextOccurrence(event, Date.UTC(2027, 6, 1))!
    expect(wall(later.start, 'Europe/Berlin')).toBe('2027-7-2 19:00')
    // Still running: the occurrence happening now counts as the next.
    expect(nextOccurrence(event, later.start + HOUR)!.start).toBe(later.start)
    const once: CalendarEvent = { ...event, id: 'evt-once-01', repeat: 'none' }
    expect(nextOccurrence(once, event.end + 1)).toBeNull()
    const list = upcoming([event, once], event.start - HOUR, event.start + 15 * 86_400_000)
    expect(list.map((o) => [o.event.id, o.index])).toEqual([
      ['evt-once-01', 0],
      ['evt-weekly-1', 0],
      ['evt-weekly-1', 1],
      ['evt-weekly-1', 2],
    ])
  })
})
