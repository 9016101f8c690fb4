// English: the default language and the shape every other language must have.
import type { enLate } from './en-late'
export const en = {
  app: {
    name: 'Tailmesh',
    home: 'Tailmesh home',
    skipToContent: 'Skip to content',
    signedInAs: 'Signed in as {nickname}',
  },
  language: {
    label: 'Language',
  },
  home: {
    title: 'Your groups',
    groups: 'Groups',
    empty: 'No groups yet. Create one, or open an invite link.',
    createGroup: 'Create group',
    notKept: 'Preview: groups are kept only until this page reloads. Your identity is kept.',
  },
  errors: {
    generic: 'Something went wrong: {message}',
  },
}

export type MessageSchema = typeof en & typeof enLate
