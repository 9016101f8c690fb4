// The rows a panel shows, built from its messages: a date separator where the day changes, a
// "new messages" divider after the read mark, and messages grouped under one header when the same
// author writes again within 5 minutes (as Tailchat and most chat apps do), and system rows (someone
// joined, was muted, ...) placed at their time among the messages. Pure: unit-tested.

/** What this needs of a message (core's HistoryMessage has it all). */
export interface TimelineMessage {
  id: string
  author: string
  hlc: number
  wallMs: number
  replyTo?: unknown
  state: string
}

/** Something that happened at a time and is shown as a row, but is not a message (never unread). */
export interface TimelineEvent {
  key: string
  hlc: number
  wallMs: number
}

export type TimelineRow<M extends TimelineMessage, E extends TimelineEvent = TimelineEvent> =
  | { kind: 'date'; key: string; dayMs: number }
  | { kind: 'new'; key: string }
  | { kind: 'message'; key: string; message: M; grouped: boolean }
  | { kind: 'system'; key: string; event: E }

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
  /** System events, oldest first: each goes before the first message after it, or at the end. */
  events?: readonly TimelineEvent[]
}

/** Whether `m` comes after the read mark (is unread, unless it is mine). */
export const afterMark = (m: TimelineMessage, mark: { hlc: number; messageId?: string }): boolean =>
  m.hlc !== mark.hlc ? m.hlc > mark.hlc : mark.messageId !== undefined && m.id > mark.messageId

/** Where a run of messages starts: the message before it and whether the divider is placed. */
interface SegmentStart<M> {
  previous: M | undefined
  dividerPlaced: boolean
  /** Index of the first event not yet placed. */
  nextEvent: number
  /** The day of the last row placed (a message's or an event's). */
  day: number
}

/** The rows of one run of messages, continuing the rows before it (`start`). */
function buildSegment<M extends TimelineMessage>(
  messages: readonly M[],
  options: TimelineOptions,
  start: SegmentStart<M>,
  last = false,
): { rows: TimelineRow<M>[]; end: SegmentStart<M> } {
  const rows: TimelineRow<M>[] = []
  let previous = start.previous
  let day = start.day
  let dividerPlaced = start.dividerPlaced
  let nextEvent = start.nextEvent
  const events = options.events ?? []
  /** Places the events before `hlc`; whether any was placed (a message after one starts a group). */
  const placeEvents = (hlc: number): boolean => {
    let placed = false
    for (; nextEvent < events.length && events[nextEvent]!.hlc < hlc; nextEvent++) {
      const e = events[nextEvent]!
      const d = dayOf(e.wallMs)
      if (d !== day) {
        day = d
        rows.push({ kind: 'date', key: `date:${d}`, dayMs: d })
      }
      rows.push({ kind: 'system', key: `system:${e.key}`, event: e })
      placed = true
    }
    return placed
  }
  for (const m of messages) {
    let breaks = placeEvents(m.hlc)
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
  if (last) placeEvents(Number.POSITIVE_INFINITY)
  return { rows, end: { previous, dividerPlaced, nextEvent, day } }
}

const firstStart = <M>(options: TimelineOptions): SegmentStart<M> => ({
  previous: undefined,
  dividerPlaced: options.readMark === undefined,
  nextEvent: 0,
  day: Number.NaN,
})

export function buildTimeline<M extends TimelineMessage>(
  messages: readonly M[],
  options: TimelineOptions = {},
): TimelineRow<M>[] {
  return buildSegment(messages, options, firstStart(options), true).rows
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
    { start: SegmentStart<M>; rows: TimelineRow<M>[]; end: SegmentStart<M>; last: boolean }
  >()

  constructor(private readonly options: TimelineOptions = {}) {}

  build(runs: readonly (readonly M[])[]): TimelineRow<M>[] {
    const next: typeof this.built = new Map()
    const parts: TimelineRow<M>[][] = []
    let start: SegmentStart<M> = firstStart(this.options)
    for (const [i, run] of runs.entries()) {
      const last = i === runs.length - 1
      let seg = this.built.get(run)
      if (!seg || !sameStart(seg.start, start) || seg.last !== last) {
        const { rows, end } = buildSegment(run, this.options, start, last)
        seg = { start, rows, end, last }
      }
      next.set(run, seg)
      parts.push(seg.rows)
      start = seg.end
    }
    this.built = next
    // No runs at all: the events alone.
    if (runs.length === 0) parts.push(buildSegment([], this.options, start, true).rows)
    return ([] as TimelineRow<M>[]).concat(...parts)
  }
}

function sameStart<M>(a: SegmentStart<M>, b: SegmentStart<M>): boolean {
  return (
    a.previous === b.previous &&
    a.dividerPlaced === b.dividerPlaced &&
    a.nextEvent === b.nextEvent &&
    (a.day === b.day || (Number.isNaN(a.day) && Number.isNaN(b.day)))
  )
}
