// Shows due reminders while the app is open (in any tab, visible or not). A timer waits for the next
// reminder (at most a minute, so a sleeping laptop or a changed clock catches up), and every change of
// the calendars looks again. Notifications go through `api.host.notify`, which uses the service
// worker's showNotification when the app has one.
//
// What cannot be done: a reminder while no Tailmesh tab is open. A service worker only wakes for a
// push message (Tailmesh has no push server: the relay never learns who is in which group), a
// background sync, or a periodic sync granted to installed apps at the browser's own pace (hours);
// Notification Triggers (showTrigger) never shipped. So a reminder missed that way shows as soon as
// the app opens again, if the event has not started yet.
import type { Dispose, PluginApi } from '@tailmesh/plugin-sdk'
import { when } from './format'
import { dueReminders, nextReminderAt, reminderKey } from './reminders'
import { remindMinutes } from './reminder-settings'
import type { CalendarSources } from './sources'
import { S, fill } from './strings'

const SHOWN = 'shownReminders'
const HORIZON = 8 * 86_400_000
const MAX_WAIT = 60_000

export function startReminders(api: PluginApi, sources: CalendarSources): Dispose {
  let timer: ReturnType<typeof setTimeout> | null = null
  let stopped = false

  const shown = (): Set<string> => new Set(api.storage.get<string[]>(SHOWN) ?? [])

  async function check(): Promise<void> {
    if (timer) clearTimeout(timer)
    timer = null
    if (stopped) return
    const now = Date.now()
    const minutes = remindMinutes(api)
    const items = sources.upcoming(now, now + Math.max(HORIZON, minutes * 60_000 + 86_400_000))
    const done = shown()
    for (const o of dueReminders(items, now, minutes, done)) {
      const where = fill(api.host.t(S.inGroup), { group: o.ref.groupName, panel: o.ref.panelName })
      const ok = await api.host.notify(o.event.title, {
        body: fill(api.host.t(S.reminderBody), { when: when(o.start, api.host.locale()), where }),
        tag: reminderKey(o),
        open: { groupId: o.ref.groupId, panelId: o.ref.panelId },
      })
      if (!ok) break // no permission: try again later, the reminders are still due
      done.add(reminderKey(o))
    }
    // Keep only keys of occurrences that have not long passed.
    const keep = [...done].filter((k) => Number(k.split('/').at(-1)) > now - 86_400_000).slice(-500)
    api.storage.set(SHOWN, keep)
    const next = nextReminderAt(items, now, minutes)
    const wait = next === null ? MAX_WAIT : Math.min(Math.max(next - now, 0) + 50, MAX_WAIT)
    if (!stopped) timer = setTimeout(soon, wait)
  }

  // One check at a time, so a reminder is never shown twice by overlapping checks.
  let queued = false
  let chain = Promise.resolve()
  const soon = () => {
    if (queued) return
    queued = true
    chain = chain.then(() => {
      queued = false
      return check()
    })
  }
  const off = sources.onChange(soon)
  soon()
  return () => {
    stopped = true
    off()
    if (timer) clearTimeout(timer)
  }
}
