// When a reminder is due: only for events I answered Going or Maybe, from N minutes before the start
// until the start (a late one still shows if the event has not begun), once per occurrence.
import { describe, expect, it } from 'vitest'
import type { CalendarEvent, Rsvp } from './events'
import { dueReminders, nextReminderAt, reminderKey } from './reminders'
import type { UpcomingItem } from './sources'

const ref = {
  groupId: 'g',
  groupName: 'Fan club',
  panelId: 'p',
  panelName: 'streams',
  panelType: 'calendar',
  meta: {},
}
const start = Date.UTC(2026, 5, 5, 18, 0)
const event: CalendarEvent = {
  id: 'evt-reminder',
  title: 'Live',
  start,
  end: start + 3_600_000,
  zone: 'UTC',
  repeat: 'none',
  by: 'a',
  updated: 0,
}
const item = (mine?: Rsvp): UpcomingItem => ({
  event,
  index: 0,
  start,
  end: event.end,
  ref,
  ...(mine ? { mine } : {}),
})
const min = 60_000

describe('reminders', () => {
  it('fall due N minutes before the start, for Going and Maybe only, until the event starts', () => {
    const none = new Set<string>()
    expect(dueReminders([item('going')], start - 11 * min, 10, none)).toEqual([])
    expect(dueReminders([item('going')], start - 10 * min, 10, none)).toHaveLength(1)
    expect(dueReminders([item('maybe')], start - 1 * min, 10, none)).toHaveLength(1)
    expect(dueReminders([item('no'), item()], start - 5 * min, 10, none)).toEqual([])
    expect(dueReminders([item('going')], start, 10, none)).toEqual([])
    expect(dueReminders([item('going')], start - 5 * min, 0, none)).toEqual([])
  })

  it('show once, and say when the next falls due', () => {
    const shown = new Set([reminderKey(item('going'))])
    expect(dueReminders([item('going')], start - 5 * min, 10, shown)).toEqual([])
    expect(nextReminderAt([item('going'), item('no')], start - 60 * min, 10)).toBe(start - 10 * min)
    expect(nextReminderAt([item('going')], start - 5 * min, 10)).toBeNull()
  })
})
