// Calendar: a panel type whose events (time zones, weekly repeats, location or link, description)
// members RSVP to; upcoming events in each group's sidebar and on an "Upcoming" page across groups;
// reminders as notifications; .ics export. Creating events needs the plugin's point, which every
// peer's gate enforces (events.ts); the manifest declares it, so the roles editor lists it.
import { definePlugin } from '@tailmesh/plugin-sdk'
import { CALENDAR_PANEL } from './events'
import { manifest } from './manifest'
import { mountCalendarPanel } from './panel'
import { startReminders } from './reminder-clock'
import { CalendarSources } from './sources'
import { S } from './strings'
import { mountSidebar, mountUpcomingPage } from './upcoming-view'

export { manifest }

export default definePlugin({
  manifest,
  activate(api) {
    api.registerPanelType({
      type: CALENDAR_PANEL,
      name: S.panelName,
      description: S.panelDescription,
      mount: (el, ctx) => mountCalendarPanel(api, el, ctx),
    })
    const sources = new CalendarSources(api)
    api.onDispose(() => sources.dispose())
    api.registerSidebarSection({
      id: 'upcoming',
      title: S.sidebarTitle,
      mount: (el, ctx) => mountSidebar(api, sources, el, ctx),
    })
    api.registerPage({
      place: 'root',
      id: 'upcoming',
      title: S.pageTitle,
      icon: '📅',
      mount: (el, ctx) => mountUpcomingPage(api, sources, el, ctx),
    })
    api.onDispose(startReminders(api, sources))
  },
})
