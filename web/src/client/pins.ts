// Pinned messages of a panel (core's group/pins.ts): the list with each message as it is now, and
// pinning, which needs pinMessage there (every peer's gate checks it; the UI hides what I cannot do).
import {
  isPinned,
  listMessages,
  pinMessage,
  pinsOf,
  unpinMessage,
  type HistoryMessage,
  type PinnedMessage,
} from '@tailmesh/core'
import { bucketOfMessage } from './history-window'
import type { GroupHandle } from './group-handle'

export type { PinnedMessage }

export interface PinnedView extends PinnedMessage {
  /** The message as this device holds it; undefined while its week has not arrived here. */
  message: HistoryMessage | undefined
}

/** One message by id, from the week its id names (undefined when that week is not here). */
export function messageById(
  handle: GroupHandle,
  panelId: string,
  messageId: string,
): HistoryMessage | undefined {
  const bucket = bucketOfMessage(messageId)
  if (bucket === null) return undefined
  return listMessages(handle.group.gate, panelId, { before: bucket + 1, buckets: 1 }).messages.find(
    (m) => m.id === messageId,
  )
}

/** The panel's pins, newest pin first; recalled and deleted messages are left out. */
export function pinnedMessages(handle: GroupHandle, panelId: string): PinnedView[] {
  return pinsOf(handle.group.session, panelId)
    .map((p) => ({ ...p, message: messageById(handle, panelId, p.messageId) }))
    .filter((p) => p.message === undefined || p.message.state === 'normal')
}

export const messageIsPinned = (handle: GroupHandle, panelId: string, messageId: string): boolean =>
  isPinned(handle.group.session, panelId, messageId)

export async function setPinned(
  handle: GroupHandle,
  panelId: string,
  messageId: string,
  pinned: boolean,
): Promise<void> {
  if (pinned) await pinMessage(handle.group.actions, panelId, messageId)
  else await unpinMessage(handle.group.actions, panelId, messageId)
}
