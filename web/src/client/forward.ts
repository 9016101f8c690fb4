// Forwarding a message to another panel or DM: the same body (and plugin card) sent there by me, with
// where it came from — the original author's name and "#panel" (or "Group › #panel" from another
// group) — as the message's `forwarded` field, which every reader's screen words in their language.
// Files are not carried: their blobs belong to the source group's peers.
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
  }
  return target.handle.send(target.panelId, message.body, {
    forwarded,
    ...(message.card ? { card: withoutControls(message.card) } : {}),
  })
}

/** A forwarded card keeps what it shows, not its buttons: actions belong to the original's record. */
function withoutControls<T extends { controls?: unknown }>(card: T): Omit<T, 'controls'> {
  const { controls: _controls, ...rest } = card
  return rest
}
