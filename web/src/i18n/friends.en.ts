// Friends and direct messages: English, and the shape the other languages must have.
// Merged under `friends` in i18n/index.ts.
export const friendsEn = {
  link: 'Friends',
  title: 'Friends',
  starting: 'Connecting your friend channel…',
  unavailable: 'Friends are kept on the device that holds your identity.',
  myCode: {
    title: 'Your friend code',
    intro:
      'Anyone with this code or link can ask to be your friend. Share it only with people you know. The code part never reaches the relay.',
    code: 'Friend code',
    link: 'Friend link',
    copyCode: 'Copy friend code',
    copyLink: 'Copy friend link',
    copied: 'Copied.',
    copyFailed: 'Could not copy: select the text and copy it yourself.',
    regenerate: 'Make a new code',
    regenerateConfirm: 'Make a new code? Your current code and link stop working; your friends are told.',
    regenerated: 'New code made. The old one no longer works.',
  },
  add: {
    title: 'Add a friend',
    label: 'Friend code or link',
    send: 'Send friend request',
    sent: 'Request sent. They see it when they are next online.',
    invalid: 'That is not a friend code or link.',
    own: 'That is your own code.',
    fromLink: 'Someone shared their friend link with you. Send them a friend request?',
    askFor: 'Ask {name} for their friend code or link, and paste it here.',
  },
  requests: {
    incomingTitle: 'Friend requests',
    noIncoming: 'No friend requests.',
    wants: '{name} wants to be your friend',
    accept: 'Accept {name}',
    deny: 'Deny {name}',
    outgoingTitle: 'Sent requests',
    noOutgoing: 'No requests waiting for an answer.',
    waiting: 'To {name}: waiting for an answer',
    declined: 'To {name}: declined',
  },
  list: {
    title: 'Your friends',
    empty: 'No friends yet. Share your link, or paste a friend’s.',
    message: 'Message {name}',
  },
  groupDm: {
    title: 'New group DM',
    intro: 'Pick two or more friends to talk with together.',
    pick: 'Friends in the group DM',
    create: 'Create group DM',
  },
  dms: {
    title: 'Direct messages',
    empty: 'No direct messages yet. Add friends from Friends.',
  },
}

export type FriendsSchema = typeof friendsEn
