// English strings of the messaging UI (message actions, reactions, composer completion, inbox). Kept
// apart from en.ts and merged in index.ts; messages-ui.zh-CN.ts is typed against this.
import type { enMessagesUiLate } from './messages-ui-late.en'
export const enMessagesUi = {
  inbox: {
    title: 'Inbox',
    link: 'Inbox',
    linkUnread: 'Inbox, {n} unread',
    empty: 'Nothing here: mentions of you and replies to your messages appear here.',
    mention: '{author} mentioned you in #{panel} ({group})',
    reply: '{author} replied to you in #{panel} ({group})',
    markRead: 'Mark read',
    markAllRead: 'Mark all read',
    unread: 'Unread',
  },
}

export type MessagesUiSchema = typeof enMessagesUi & typeof enMessagesUiLate
