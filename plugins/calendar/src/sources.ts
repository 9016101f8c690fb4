// Every calendar panel in every group I am in, with its plugin state open and watched: what the
// sidebar, the Upcoming page and the reminders read. One instance per activation; listeners hear of
// panels appearing or going and of any change in their events or RSVPs.
import type { Dispose, PluginApi, PluginPanelRef, PluginState } from '@tailmesh/plugin-sdk'
import { CALENDAR_PANEL, listEvents, rsvpsOf, type CalendarEvent, type Rsvp } from './events'
import { upcoming, type Occurrence } from './recurrence'

export interface Source {
  ref: PluginPanelRef
  state: PluginState
}

export interface UpcomingItem extends Occurrence {
  ref: PluginPanelRef
  /** My answer, if any. */
  mine?: Rsvp
}

export class CalendarSources {
  private readonly sources = new Map<string, Source & { off: Dispose }>()
  private readonly opening = new Set<string>()
  private readonly listeners = new Set<() => void>()
  private readonly offPanels: Dispose

  constructor(private readonly api: PluginApi) {
    this.offPanels = api.host.onPanelsChange(() => this.refresh())
    this.refresh()
  }

  onChange(fn: () => void): Dispose {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  all(groupId?: string): Source[] {
    return [...this.sources.values()].filter((s) => groupId === undefined || s.ref.groupId === groupId)
  }

  /** Occurrences overlapping [from, to) in my calendars (one group's, or all), soonest first. */
  upcoming(from: number, to: number, groupId?: string, limit = 200): UpcomingItem[] {
    const out: UpcomingItem[] = []
    for (const s of this.all(groupId)) {
      const events: CalendarEvent[] = listEvents(s.state)
      for (const o of upcoming(events, from, to, limit)) {
        const mine = rsvpsOf(s.state, o.event.id).get(s.state.me)
        out.push({ ...o, ref: s.ref, ...(mine ? { mine } : {}) })
      }
    }
    return out.sort((a, b) => a.start - b.start).slice(0, limit)
  }

  dispose(): void {
    this.offPanels()
    for (const s of this.sources.values()) s.off()
    this.sources.clear()
    this.listeners.clear()
  }

  private refresh(): void {
    const panels = this.api.host.panels().filter((p) => p.panelType === CALENDAR_PANEL)
    const keys = new Set(panels.map((p) => `${p.groupId}/${p.panelId}`))
    let changed = false
    for (const [key, s] of this.sources)
      if (!keys.has(key)) {
        s.off()
        this.sources.delete(key)
        changed = true
      }
    for (const ref of panels) {
      const key = `${ref.groupId}/${ref.panelId}`
      const known = this.sources.get(key)
      if (known) {
        if (known.ref.panelName !== ref.panelName || known.ref.groupName !== ref.groupName) {
          known.ref = ref
          changed = true
        }
        continue
      }
      if (this.opening.has(key)) continue
      this.opening.add(key)
      this.api.host
        .panelState(ref.groupId, ref.panelId)
        .then((state) => {
          const off = state.onChange(() => this.emit())
          this.sources.set(key, { ref, state, off })
          this.emit()
        })
        .catch(() => {
          // The panel went away while opening: the next refresh forgets it.
        })
        .finally(() => this.opening.delete(key))
    }
    if (changed) this.emit()
  }

  private emit(): void {
    for (const fn of this.listeners) fn()
  }
}
