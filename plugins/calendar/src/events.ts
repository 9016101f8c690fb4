// A calendar panel's events and RSVPs, in the panel's plugin state (`x/com.tailmesh.calendar/<panelId>`).
//
// - An event is the shared entry `event:<id>#createEvent`: the `#createEvent` guard makes every peer's
//   gate require `plugin.com.tailmesh.calendar.createEvent` to create, change or delete it.
// - An RSVP is the member's own entry `rsvp:<id>@<userId>`: only that member can write it, so there is
//   one answer per member by construction (answering again replaces it). Like a poll vote it needs
//   `message` in the panel.
// Values are checked when read: an entry that does not hold a well-formed event is not shown.
import type { PluginState } from '@tailmesh/plugin-sdk'
import { isTimeZone } from './zoned'

export const CALENDAR_PANEL = 'calendar'
/** The permission point's name: `plugin.com.tailmesh.calendar.createEvent`. */
export const CREATE_EVENT = 'createEvent'
const EVENT_PREFIX = 'event:'
const GUARD = `#${CREATE_EVENT}`

export type Repeat = 'none' | 'weekly'
export const RSVP_ANSWERS = ['going', 'maybe', 'no'] as const
export type Rsvp = (typeof RSVP_ANSWERS)[number]

export const EVENT_LIMITS = {
  title: 120,
  location: 200,
  link: 500,
  description: 1000,
  /** Longest event: two weeks. */
  durationMs: 14 * 86_400_000,
  /** core's cap on one plugin value (PLUGIN_LIMITS.valueJson). */
  json: 2048,
} as const

/** What a member fills in. */
export interface EventDraft {
  title: string
  /** UTC milliseconds. */
  start: number
  end: number
  /** The IANA zone the event was planned in: repeats keep its wall-clock time there. */
  zone: string
  repeat: Repeat
  location?: string
  /** An http(s) address (a stream, a meeting). */
  link?: string
  description?: string
}

export interface CalendarEvent extends EventDraft {
  id: string
  /** Who last saved it, and when (UTC ms). */
  by: string
  updated: number
}

export const eventKey = (id: string): string => `${EVENT_PREFIX}${id}${GUARD}`
export const rsvpName = (id: string): string => `rsvp:${id}`

const ID = /^[A-Za-z0-9_-]{8,32}$/

export function newEventId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(9))
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
}

const str = (v: unknown, max: number): v is string =>
  typeof v === 'string' && v.length > 0 && [...v].length <= max

export function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value)
    return u.protocol === 'https:' || u.protocol === 'http:'
  } catch {
    return false
  }
}

/** Why a draft cannot be saved (English and Chinese), or null. */
export function draftProblem(d: EventDraft): { en: string; 'zh-CN': string } | null {
  if (!d.title.trim()) return { en: 'The event needs a title.', 'zh-CN': '活动需要标题。' }
  if ([...d.title].length > EVENT_LIMITS.title)
    return {
      en: `The title is longer than ${EVENT_LIMITS.title} characters.`,
      'zh-CN': `标题超过 ${EVENT_LIMITS.title} 个字符。`,
    }
  if (!Number.isFinite(d.start) || !Number.isFinite(d.end))
    return { en: 'Choose when the event starts and ends.', 'zh-CN': '请选择活动的开始和结束时间。' }
  if (d.end <= d.start)
    return { en: 'The event must end after it starts.', 'zh-CN': '结束时间必须晚于开始时间。' }
  if (d.end - d.start > EVENT_LIMITS.durationMs)
    return { en: 'An event lasts at most two weeks.', 'zh-CN': '一个活动最长两周。' }
  if (!isTimeZone(d.zone)) return { en: `Unknown time zone "${d.zone}".`, 'zh-CN': `未知时区“${d.zone}”。` }
  if (d.link && !isHttpUrl(d.link))
    return {
      en: 'The link must start with https:// or http://.',
      'zh-CN': '链接必须以 https:// 或 http:// 开头。',
    }
  if (d.location && [...d.location].length > EVENT_LIMITS.location)
    return {
      en: `The location is longer than ${EVENT_LIMITS.location} characters.`,
      'zh-CN': `地点超过 ${EVENT_LIMITS.location} 个字符。`,
    }
  if (d.link && d.link.length > EVENT_LIMITS.link)
    return {
      en: `The link is longer than ${EVENT_LIMITS.link} characters.`,
      'zh-CN': `链接超过 ${EVENT_LIMITS.link} 个字符。`,
    }
  if (d.description && [...d.description].length > EVENT_LIMITS.description)
    return {
      en: `The description is longer than ${EVENT_LIMITS.description} characters.`,
      'zh-CN': `描述超过 ${EVENT_LIMITS.description} 个字符。`,
    }
  return null
}

/** The stored value of an event (the id is in its key). */
function valueOf(e: CalendarEvent): Record<string, unknown> {
  const v: Record<string, unknown> = {
    v: 1,
    title: e.title.trim(),
    start: e.start,
    end: e.end,
    zone: e.zone,
    repeat: e.repeat,
    by: e.by,
    updated: e.updated,
  }
  if (e.location?.trim()) v.location = e.location.trim()
  if (e.link?.trim()) v.link = e.link.trim()
  if (e.description?.trim()) v.description = e.description.trim()
  return v
}

/** An event read back from an entry, or null when the entry is not a well-formed event. */
export function readEvent(key: string, value: unknown): CalendarEvent | null {
  if (!key.startsWith(EVENT_PREFIX) || !key.endsWith(GUARD)) return null
  const id = key.slice(EVENT_PREFIX.length, -GUARD.length)
  if (!ID.test(id) || typeof value !== 'object' || value === null) return null
  const o = value as Record<string, unknown>
  if (o.v !== 1 || !str(o.title, EVENT_LIMITS.title) || typeof o.by !== 'string') return null
  if (typeof o.start !== 'number' || typeof o.end !== 'number' || typeof o.updated !== 'number') return null
  if (o.repeat !== 'none' && o.repeat !== 'weekly') return null
  const opt = (k: string, max: number) => (o[k] === undefined ? undefined : str(o[k], max) ? o[k] : null)
  const location = opt('location', EVENT_LIMITS.location)
  const link = opt('link', EVENT_LIMITS.link)
  const description = opt('description', EVENT_LIMITS.description)
  if (location === null || link === null || description === null) return null
  const event: CalendarEvent = {
    id,
    title: o.title,
    start: o.start,
    end: o.end,
    zone: typeof o.zone === 'string' ? o.zone : '',
    repeat: o.repeat,
    by: o.by,
    updated: o.updated,
    ...(location ? { location } : {}),
    ...(link ? { link } : {}),
    ...(description ? { description } : {}),
  }
  return draftProblem(event) ? null : event
}

/** Every well-formed event of a panel, soonest first. */
export function listEvents(state: PluginState): CalendarEvent[] {
  const out: CalendarEvent[] = []
  state.shared().forEach((value, key) => {
    const e = readEvent(key, value)
    if (e) out.push(e)
  })
  return out.sort((a, b) => a.start - b.start || a.id.localeCompare(b.id))
}

export class EventDraftError extends Error {
  constructor(readonly problem: { en: string; 'zh-CN': string }) {
    super(problem.en)
  }
}

/**
 * Creates (no `id`) or replaces an event. Rejects with the draft's problem, or with the gate's reason
 * when this member lacks the point (every peer would refuse it too).
 */
export async function saveEvent(
  state: PluginState,
  draft: EventDraft,
  id: string = newEventId(),
  now = Date.now(),
): Promise<CalendarEvent> {
  const event: CalendarEvent = { ...draft, id, by: state.me, updated: now }
  const problem = draftProblem(event)
  if (problem) throw new EventDraftError(problem)
  const value = valueOf(event)
  if (JSON.stringify(value).length > EVENT_LIMITS.json)
    throw new EventDraftError({
      en: 'The event is too long to store: shorten the description.',
      'zh-CN': '活动内容过长，无法保存：请缩短描述。',
    })
  await state.change(() => state.shared().set(eventKey(id), value))
  return readEvent(eventKey(id), value)!
}

export function deleteEvent(state: PluginState, id: string): Promise<void> {
  return state.change(() => state.shared().delete(eventKey(id)))
}

export const isRsvp = (v: unknown): v is Rsvp => (RSVP_ANSWERS as readonly unknown[]).includes(v)

/** My answer to an event; answering again replaces it. */
export function answer(state: PluginState, id: string, rsvp: Rsvp): Promise<void> {
  return state.change(() => state.own().set(state.ownKey(rsvpName(id)), rsvp))
}

/** Every member's answer to an event (invalid values left out). */
export function rsvpsOf(state: PluginState, id: string): Map<string, Rsvp> {
  const out = new Map<string, Rsvp>()
  for (const [user, v] of state.entries(rsvpName(id))) if (isRsvp(v)) out.set(user, v)
  return out
}

export function rsvpCounts(answers: Map<string, Rsvp>): Record<Rsvp, number> {
  const counts: Record<Rsvp, number> = { going: 0, maybe: 0, no: 0 }
  for (const v of answers.values()) counts[v]++
  return counts
}
