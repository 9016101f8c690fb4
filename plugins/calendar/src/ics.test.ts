// The .ics export, checked by parsing it back with ical.js (Mozilla's RFC 5545 parser, the one
// Thunderbird uses): the text survives escaping and folding, one-off events are UTC instants, and a
// weekly event's occurrences (RRULE in its own zone, described by the exported VTIMEZONE) land on the
// same instants as the plugin's own recurrence, across a daylight-saving change.
import ICAL from 'ical.js'
import { describe, expect, it } from 'vitest'
import type { CalendarEvent } from './events'
import { escapeText, foldLine, icsFileName, toIcs } from './ics'
import { occurrences } from './recurrence'

const base = { by: 'someone', updated: Date.UTC(2026, 2, 1) }
const weekly: CalendarEvent = {
  ...base,
  id: 'weeklyStream1',
  title: 'Friday live: Q&A, drawing; “new” brushes — 直播',
  start: Date.UTC(2026, 2, 20, 18, 0), // 19:00 in Berlin, a week before Europe's clocks go forward
  end: Date.UTC(2026, 2, 20, 19, 30),
  zone: 'Europe/Berlin',
  repeat: 'weekly',
  link: 'https://live.example/alice?room=1&lang=zh-CN',
  description: 'Line one\nLine two; with a semicolon, a comma and a back\\slash. '.repeat(4),
}
const once: CalendarEvent = {
  ...base,
  id: 'meetAndGreet1',
  title: 'Meet & greet',
  start: Date.UTC(2026, 3, 11, 14, 0),
  end: Date.UTC(2026, 3, 11, 16, 0),
  zone: 'America/New_York',
  repeat: 'none',
  location: 'Hall B, 3rd floor',
}

function parse(text: string) {
  const root = new ICAL.Component(ICAL.parse(text))
  for (const tz of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz)
  return root
}

describe('.ics export (RFC 5545)', () => {
  const text = toIcs([weekly, once], {
    groupId: 'g1',
    calendarName: 'Alice’s streams',
    now: Date.UTC(2026, 2, 2),
  })

  it('uses CRLF, folds at 75 octets without splitting characters, and escapes text', () => {
    expect(text.endsWith('\r\n')).toBe(true)
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/)
    for (const line of text.split('\r\n'))
      expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75)
    expect(foldLine('x'.repeat(80))).toBe(`${'x'.repeat(75)}\r\n ${'x'.repeat(5)}`)
    expect(foldLine('字'.repeat(30)).split('\r\n ')[0]).toBe('字'.repeat(25)) // 75 octets of 3-byte characters
    expect(escapeText('a;b,c\\d\ne')).toBe('a\\;b\\,c\\\\d\\ne')
    expect(icsFileName('Friday live: Q&A')).toBe('Friday-live-Q-A.ics')
  })

  it('parses back with ical.js: the same text, UID, DTSTAMP, link and location', () => {
    const root = parse(text)
    expect(root.getFirstPropertyValue('x-wr-calname')).toBe('Alice’s streams')
    const [w, o] = root.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c))
    expect(w!.summary).toBe(weekly.title)
    expect(w!.description).toBe(weekly.description)
    expect(w!.uid).toBe('weeklyStream1@g1.tailmesh')
    expect(w!.component.getFirstPropertyValue('url')).toBe(weekly.link)
    expect(String(w!.component.getFirstPropertyValue('dtstamp'))).toBe('2026-03-02T00:00:00Z')
    expect(o!.location).toBe('Hall B, 3rd floor')
    expect(o!.startDate.toJSDate().getTime()).toBe(once.start)
    expect(o!.endDate.toJSDate().getTime()).toBe(once.end)
    expect(o!.isRecurring()).toBe(false)
  })

  it('a weekly event expands in ical.js to the same instants as ours, across the clock change', () => {
    const w = new ICAL.Event(parse(text).getFirstSubcomponent('vevent')!)
    expect(w.isRecurring()).toBe(true)
    expect(w.startDate.zone?.tzid).toBe('Europe/Berlin')
    const it = w.iterator()
    const theirs: number[] = []
    for (let next = it.next(); next && theirs.length < 12; next = it.next())
      theirs.push(next.toJSDate().getTime())
    const ours = occurrences(weekly, weekly.start, weekly.start + 12 * 7 * 86_400_000)
      .map((x) => x.start)
      .slice(0, 12)
    expect(theirs).toEqual(ours)
    // 19:00 CET, then 19:00 CEST: an hour earlier in UTC from the third occurrence on.
    expect(theirs.slice(0, 3).map((ms) => new Date(ms).toISOString().slice(11, 16))).toEqual([
      '18:00',
      '18:00',
      '17:00',
    ])
    expect(w.duration.toSeconds()).toBe(90 * 60)
  })

  it('describes a zone without daylight saving with one fixed offset', () => {
    const shanghai = { ...weekly, zone: 'Asia/Shanghai' }
    const root = parse(toIcs([shanghai], { groupId: 'g1' }))
    const tz = root.getFirstSubcomponent('vtimezone')!
    expect(
      tz.getAllSubcomponents().map((c) => [c.name, c.getFirstPropertyValue('tzoffsetto')?.toString()]),
    ).toEqual([['standard', '+08:00']])
    const first = new ICAL.Event(root.getFirstSubcomponent('vevent')!).startDate.toJSDate().getTime()
    expect(first).toBe(shanghai.start)
  })
})
