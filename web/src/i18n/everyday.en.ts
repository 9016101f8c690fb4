// Issue 21's everyday features: pinned and saved messages, forwarding, the quick switcher, keyboard
// shortcuts, notification sounds, "Install app", the group's avatar upload. English, and the shape the
// other languages must have. Not in the app shell: merged under `everyday` when one of these features
// loads (i18n/everyday.ts); the zh-CN twin is part of zh-CN.all.ts.
export const everydayEn = {
  actions: {
    pin: 'Pin message',
    unpin: 'Unpin message',
    save: 'Save message',
    unsave: 'Remove from saved',
    forward: 'Forward',
  },
  pins: {
    badge: 'Pinned',
    button: 'Pinned messages',
    title: 'Pinned messages in #{panel}',
    none: 'No pinned messages yet.',
    pinnedBy: 'Pinned by {name}',
    notHere: 'This message has not arrived on this device yet.',
    jump: 'Jump to message',
    close: 'Close pinned messages',
  },
  saved: {
    link: 'Saved',
    title: 'Saved messages',
    none: 'Nothing saved yet. Use “Save message” on any message.',
    inPanel: '{group} · #{panel}',
    open: 'Open in #{panel}',
    notHere: 'This message is not on this device yet.',
  },
  forward: {
    title: 'Forward message',
    to: 'Forward to',
    search: 'Find a panel or DM',
    send: 'Forward',
    cancel: 'Cancel',
    done: 'Forwarded to {where}.',
    from: 'Forwarded from {name} in {where}',
    original: 'Open the original',
    none: 'No panel or DM matches.',
  },
  switcher: {
    title: 'Quick switcher',
    label: 'Where to?',
    hint: 'Type a group, panel or person; ↑ ↓ to choose, Enter to go, Esc to close.',
    none: 'Nothing matches.',
    group: 'Group',
    panel: 'Panel in {group}',
    dm: 'Direct message',
    results: 'Places',
  },
  shortcuts: {
    title: 'Keyboard shortcuts',
    close: 'Close',
    open: 'Keyboard shortcuts',
    switcher: 'Open the quick switcher',
    panels: 'Previous / next panel',
    markRead: 'Mark the panel read',
    editLast: 'Edit your last message (in an empty message box)',
    help: 'Show this list',
  },
  sound: {
    title: 'Notifications',
    dnd: 'Do Not Disturb (no sounds)',
    label: 'Play a sound for new messages',
    hint: 'Not for muted panels, not for the panel you are reading, and never while your status is Do Not Disturb.',
  },
  install: {
    button: 'Install app',
    done: 'Installed.',
  },
  avatar: {
    upload: 'Upload an image',
    uploading: 'Uploading…',
    notImage: 'That file is not an image.',
    noPeers: 'The group is not connected yet: try again in a moment.',
    remove: 'Remove avatar',
    alt: 'Group avatar',
  },
}

export type EverydaySchema = typeof everydayEn
