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

/** Where a run of messages starts: the message before it and whether the divider is placed. */
interface SegmentStart<M> {
  previous: M | undefined
  dividerPlaced: boolean
}

/** The rows of one run of messages, continuing the rows before it (`start`). */
function buildSegment<M extends TimelineMessage>(
  messages: readonly M[],
  options: TimelineOptions,
  start: SegmentStart<M>,
): { rows: TimelineRow<M>[]; end: SegmentStart<M> } {
  const rows: TimelineRow<M>[] = []
  let previous = start.previous
  let day = previous ? dayOf(previous.wallMs) : Number.NaN
  let dividerPlaced = start.dividerPlaced
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
  return { rows, end: { previous, dividerPlaced } }
}

export function buildTimeline<M extends TimelineMessage>(
  messages: readonly M[],
  options: TimelineOptions = {},
): TimelineRow<M>[] {
  return buildSegment(messages, options, {
    previous: undefined,
    dividerPlaced: options.readMark === undefined,
  }).rows
}

/**
 * The timeline of messages that come in runs (a panel's weeks, oldest first), rebuilt run by run:
 * a run whose array, preceding message and divider state are as last time keeps its rows (the very
 * same row objects), so paging in an older week builds the rows of that week and of the one after it
 * (its first rows depend on the new week's last message), not of everything loaded. Same rows as
 * `buildTimeline` over the runs joined (unit-tested).
 */
export class TimelineBuilder<M extends TimelineMessage> {
  private built = new Map<
    readonly M[],
    { start: SegmentStart<M>; rows: TimelineRow<M>[]; end: SegmentStart<M> }
  >()

  constructor(private readonly options: TimelineOptions = {}) {}

  build(runs: readonly (readonly M[])[]): TimelineRow<M>[] {
    const next: typeof this.built = new Map()
    const parts: TimelineRow<M>[][] = []
    let start: SegmentStart<M> = { previous: undefined, dividerPlaced: this.options.readMark === undefined }
    for (const run of runs) {
      let seg = this.built.get(run)
      if (!seg || seg.start.previous !== start.previous || seg.start.dividerPlaced !== start.dividerPlaced) {
        const { rows, end } = buildSegment(run, this.options, start)
        seg = { start, rows, end }
      }
      next.set(run, seg)
      parts.push(seg.rows)
      start = seg.end
    }
    this.built = next
    return ([] as TimelineRow<M>[]).concat(...parts)
  }
}
