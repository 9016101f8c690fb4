// The app's shell (issue 5's layout): the left rail of groups and DMs, the pinned panel on the right,
// the narrow screen's toggles, group templates and the system rows of a group's first text panel.
// English, and the shape the other languages must have. Merged under `layout` in i18n/index.ts.
export const layoutEn = {
  rail: {
    /** The rail's landmark name (not "Groups": the home screen's own list is called that). */
    label: 'Chats',
    home: 'Home',
    createGroup: 'Create group',
    /** A group's or DM's link in the rail when something in it is unread. */
    unread: '{name}, unread',
    unnamed: 'Group not yet synced',
  },
  pin: {
    pin: 'Pin to the right',
    unpin: 'Unpin',
    unpinNamed: 'Unpin #{name}',
    region: 'Pinned panel: #{name}',
  },
  narrow: {
    panels: 'Panel list',
    members: 'Members',
  },
  templates: {
    legend: 'Start from',
    blank: 'Blank: #general',
    community: 'Community: #announcements, #general, #off-topic, a Resources category with a web page',
    study: 'Study group: #general, #homework, shared notes',
    studyNoNotes: 'Study group: #general, #homework',
    /** Panel names a template creates. */
    panels: {
      general: 'general',
      announcements: 'announcements',
      offTopic: 'off-topic',
      resources: 'Resources',
      guide: 'Tailmesh guide',
      homework: 'homework',
      notes: 'notes',
    },
    partial: 'The group was created, but not all of its panels: {message}',
  },
  system: {
    joined: '{who} joined',
    joinedVia: "{who} joined through {via}'s invite",
    muted: '{who} was muted for {n} minute | {who} was muted for {n} minutes',
    kicked: '{who} was kicked by {by}',
    banned: '{who} was banned',
  },
}

export type LayoutSchema = typeof layoutEn
