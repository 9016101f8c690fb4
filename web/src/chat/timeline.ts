// The rows a panel shows, built from its messages: a date separator where the day changes, a
// "new messages" divider after the read mark, and messages grouped under one header when the same
// author writes again within 5 minutes (as Tailchat and most chat apps do). Pure: unit-tested.

/** What this needs of a message (core's HistoryMessage has it all). */
export interface TimelineMessage {
  id: string
  author: string
  hlc: number
  wallMs: number
  replyTo?: unknown
  state: string
}

export type TimelineRow<M extends TimelineMessage> =
  | { kind: 'date'; key: string; dayMs: number }
  | { kind: 'new'; key: string }
  | { kind: 'message'; key: string; message: M; grouped: boolean }

export const GROUP_WINDOW_MS = 5 * 60 * 1000

/** Local midnight of a wall-clock time (the day a separator names). */
export function dayOf(wallMs: number): number {
  const d = new Date(wallMs)
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime()
}

export interface TimelineOptions {
  /** The read mark when the panel was opened: the divider goes before the first later message. */
  readMark?: { hlc: number; messageId?: string }
  /** Messages by me never start the divider (what I wrote myself is not new to me). */
  me?: string
}

const afterMark = (m: TimelineMessage, mark: { hlc: number; messageId?: string }): boolean =>
  m.hlc !== mark.hlc ? m.hlc > mark.hlc : mark.messageId !== undefined && m.id > mark.messageId

export function buildTimeline<M extends TimelineMessage>(
  messages: readonly M[],
  options: TimelineOptions = {},
): TimelineRow<M>[] {
  const rows: TimelineRow<M>[] = []
  let previous: M | undefined
  let day = Number.NaN
  let dividerPlaced = options.readMark === undefined
  for (const m of messages) {
    let breaks = false
    const d = dayOf(m.wallMs)
    if (d !== day) {
      day = d
      rows.push({ kind: 'date', key: `date:${d}`, dayMs: d })
      breaks = true
    }
    if (!dividerPlaced && options.readMark && afterMark(m, options.readMark) && m.author !== options.me) {
      dividerPlaced = true
      rows.push({ kind: 'new', key: 'new-messages' })
      breaks = true
    }
    const grouped =
      !breaks &&
      previous !== undefined &&
      previous.author === m.author &&
      m.wallMs - previous.wallMs <= GROUP_WINDOW_MS &&
      m.replyTo === undefined &&
      m.state === 'normal' &&
      previous.state === 'normal'
    rows.push({ kind: 'message', key: m.id, message: m, grouped })
    previous = m
  }
  return rows
}
