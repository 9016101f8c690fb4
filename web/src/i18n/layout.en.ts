// The app's shell (issue 5's layout): the left rail of groups and DMs, the pinned panel on the right,
// the narrow screen's toggles, group templates and the system rows of a group's first text panel.
// English, and the shape the other languages must have. Merged under `layout` in i18n/index.ts.
export const layoutEn = {
  rail: {
    /** The rail's landmark name (not "Groups": the home screen's own list is called that). */
    label: 'Chats',
    home: 'Home',
    /** The Home icon's tooltip: Home is where the DMs are listed. */
    homeTip: 'Home and direct messages',
    createGroup: 'Create group',
    /** Not "Join…": the join screen's own button is "Join". */
    join: 'Open an invite link',
    /** A group's or DM's link in the rail when something in it is unread. */
    unread: '{name}, unread',
    unnamed: 'Group not yet synced',
  },
  narrow: {
    panels: 'Panel list',
    members: 'Members',
    /** The phone header's drawer button away from a group: the rail of groups. */
    groups: 'Groups',
  },
  /** The header's icon links (their areas' own strings load with their screens). */
  header: {
    search: 'Search',
    friends: 'Friends',
  },
  /** My account menu at the bottom of the panel column (or of the rail). */
  me: {
    open: 'Account menu: {name}',
    /** Read before the visible name and status on the full-width button (its name starts so). */
    prefix: 'Account menu:',
  },
}

/**
 * The shell's layout strings' late half: what only lazily loaded screens show (the pinned panel, the
 * join dialog, members, the profile card, message actions, DMs, templates, system rows). Merged in
 * by i18n/late.ts with the screens that use them, so the app shell stays small.
 */
export const layoutLateEn = {
  /** The app-update banner (the service worker has a new version waiting). */
  update: {
    available: 'A new version of Tailmesh is ready.',
    reload: 'Reload',
    later: 'Later',
  },
  /** The account menu's content (MePanel.vue): deep-merged beside the shell's `me`. */
  me: {
    label: 'Your account',
    profile: 'Profile and status',
    signOut: 'Sign out of this device',
    signOutConfirm:
      'Sign out of this device? Your identity, groups and settings are removed from this browser. Your other devices and your groups stay. Without a backup or another linked device, your identity is lost.',
  },
  pin: {
    pin: 'Pin to the right',
    unpin: 'Unpin',
    unpinNamed: 'Unpin #{name}',
    region: 'Pinned panel: #{name}',
  },
  join: {
    title: 'Open an invite link',
    link: 'Invite link',
    hint: 'Paste the link someone sent you. You see the group before you join.',
    invalid: 'That is not an invite link: it has no #/join/ part.',
    open: 'Open invite',
  },
  members: {
    search: 'Search members',
    noMatch: 'No member matches “{query}”.',
    /** Said (a polite status) as the search changes; {n} is formatted for the language. */
    matches: 'No member matches | 1 member matches | {n} members match',
    /** Above the list of a group with more than 1,000 members. */
    count: '{total} members, {online} online',
    /** A huge group's role section: the row that opens and closes its offline members. */
    offline: '{n} offline',
    /** The search box's description: how the keyboard reaches and walks the list. */
    keys: 'Down arrow goes to the members; arrow keys, Home and End move through them.',
  },
  /** The profile card a member's name or mention opens. */
  card: {
    label: 'Profile of {name}',
    open: 'Profile of {name}',
    roles: 'Roles',
    noRoles: 'No roles',
    message: 'Message',
    addFriend: 'Add friend',
    friendAdded: 'Friend request sent.',
    moderate: 'Moderate in group settings',
    close: 'Close',
    you: 'This is you.',
  },
  message: {
    more: 'More message actions',
    copyLink: 'Copy link',
    linkCopied: 'Link copied.',
  },
  dm: {
    /** A DM's header in place of "# dm". */
    title: 'Direct message with {name}',
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

export type LayoutSchema = typeof layoutEn & typeof layoutLateEn
