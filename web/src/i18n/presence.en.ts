// Presence (who is online, who is typing): English, and the shape the other languages must have.
// Merged under `presence` in i18n/index.ts.
export const presenceEn = {
  everyone: 'Everyone',
  /** A role heading in the member list, with how many of its members are online. */
  roleHeading: '{role} — {online}/{total} online',
  online: 'online',
  offline: 'offline',
  you: '(you)',
  owner: 'owner',
  typingOne: '{name} is typing…',
  typingTwo: '{first} and {second} are typing…',
  typingMany: 'Several people are typing…',
}

export type PresenceSchema = typeof presenceEn
