// Forwarding a message to another panel or DM: the same body (and plugin card) sent there by me, with
// where it came from — the original author's name and "#panel" (or "Group › #panel" from another
// group), and the original's ids so readers in that group can open it — as the message's `forwarded`
// field, which every reader's screen words in their language. Files are not carried: their blobs
// belong to the source group's peers.
//
// A forwarded card is a copy (as in Discord and Tailchat): it shows what the original showed, buttons
// and status included, but its actions belong to the original's record, which the copy does not have.
// The app draws the copy's buttons disabled, says why, and links to the original (cards/CardActions.vue).
import { LIMITS, type HistoryMessage } from '@tailmesh/core'
import type { GroupHandle } from './group-handle'

export interface ForwardTarget {
  handle: GroupHandle
  panelId: string
}

const cut = (s: string, max: number) => [...s].slice(0, max).join('')

export async function forwardMessage(
  source: GroupHandle,
  panelId: string,
  message: HistoryMessage,
  target: ForwardTarget,
): Promise<string> {
  if (message.state !== 'normal') throw new Error('A recalled or deleted message cannot be forwarded.')
  const panel = source.panels().find((p) => p.id === panelId)?.name ?? '?'
  const info = source.info()
  const where =
    target.handle === source
      ? `#${panel}`
      : info?.dm
        ? `@${source.nickname(message.author)}`
        : `${info?.name ?? '?'} › #${panel}`
  // A message forwarded again keeps its first origin.
  const forwarded = message.forwarded ?? {
    author: message.author,
    name: cut(source.nickname(message.author), LIMITS.forwardedName),
    where: cut(where, LIMITS.forwardedWhere),
    from: { group: source.groupId, panel: panelId, message: message.id },
  }
  return target.handle.send(target.panelId, message.body, {
    forwarded,
    ...(message.card ? { card: message.card } : {}),
  })
}

/** Where a forwarded message's original is, when this device holds its group: a route to it. */
export function originalRoute(
  forwarded: HistoryMessage['forwarded'],
  groups: readonly { groupId: string }[],
): string | null {
  const from = forwarded?.from
  if (!from || !groups.some((g) => g.groupId === from.group)) return null
  const e = encodeURIComponent
  return `/groups/${e(from.group)}/${e(from.panel)}?m=${e(from.message)}`
}
