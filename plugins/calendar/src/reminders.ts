// Which reminders are due: for each occurrence of an event I answered Going or Maybe, a reminder
// `minutes` before it starts. A reminder whose time passed while the app was closed still shows if
// the event has not started yet (late but useful); one for an event already started never does.
// Each shows once per device: its key is remembered.
import type { UpcomingItem } from './sources'

export const reminderKey = (o: UpcomingItem): string =>
  `${o.ref.groupId}/${o.ref.panelId}/${o.event.id}/${o.start}`

export function wantsReminder(o: UpcomingItem): boolean {
  return o.mine === 'going' || o.mine === 'maybe'
}

/** Due now: reminder time reached, event not started, not shown before. */
export function dueReminders(
  items: UpcomingItem[],
  now: number,
  minutes: number,
  shown: ReadonlySet<string>,
): UpcomingItem[] {
  if (minutes <= 0) return []
  return items.filter(
    (o) =>
      wantsReminder(o) && o.start > now && o.start - minutes * 60_000 <= now && !shown.has(reminderKey(o)),
  )
}

/** When the next reminder falls due (after `now`), or null. */
export function nextReminderAt(items: UpcomingItem[], now: number, minutes: number): number | null {
  if (minutes <= 0) return null
  const times = items
    .filter((o) => wantsReminder(o) && o.start - minutes * 60_000 > now)
    .map((o) => o.start - minutes * 60_000)
  return times.length ? Math.min(...times) : null
}
