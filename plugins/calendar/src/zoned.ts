// Wall-clock time in an IANA time zone, with nothing but Intl: the offset of a zone at an instant,
// the local date and time of an instant, and the instant of a local date and time. Events store
// instants (UTC milliseconds) plus the zone they were planned in; weekly repeats keep the wall-clock
// time in that zone, so the instant moves by an hour across a daylight-saving change.

export interface LocalTime {
  year: number
  /** 1–12 */
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    })
    formatters.set(zone, f)
  }
  return f
}

/** Whether the runtime knows `zone` as an IANA time zone. */
export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone.length === 0 || zone.length > 64) return false
  try {
    formatter(zone)
    return true
  } catch {
    return false
  }
}

/** The zone this device is in (what the viewer sees times in). */
export function deviceTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}

/** The date and time on a wall clock in `zone` at instant `ms` (whole seconds). */
export function localTime(ms: number, zone: string): LocalTime {
  const parts: Record<string, string> = {}
  for (const p of formatter(zone).formatToParts(new Date(ms))) parts[p.type] = p.value
  const year = Number(parts.year) * (parts.era === 'BC' || parts.era === 'B' ? -1 : 1)
  return {
    year,
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  }
}

const asUtc = (t: LocalTime): number => Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second)

/** Milliseconds `zone` is ahead of UTC at instant `ms` (e.g. +3,600,000 for Paris in winter). */
export function offsetAt(ms: number, zone: string): number {
  const whole = Math.floor(ms / 1000) * 1000
  return asUtc(localTime(whole, zone)) - whole
}

/**
 * The instant a wall clock in `zone` shows `t`. A time that happens twice (clocks going back) is the
 * earlier one; a time that never happens (clocks going forward) is moved forward by the gap, as
 * RFC 5545 and Temporal's "compatible" disambiguation do.
 */
export function instantOf(t: LocalTime, zone: string): number {
  const wall = asUtc(t)
  const before = offsetAt(wall - 86_400_000, zone)
  const after = offsetAt(wall + 86_400_000, zone)
  const candidates = [wall - before, wall - after].filter((ms) => asUtc(localTime(ms, zone)) === wall)
  if (candidates.length) return Math.min(...candidates)
  // In a gap: the wall time read with the offset from before the change lands after it.
  return wall - before
}

/** `t` moved by whole days on the calendar (the time of day kept). */
export function addDays(t: LocalTime, days: number): LocalTime {
  const d = new Date(Date.UTC(t.year, t.month - 1, t.day + days))
  return { ...t, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }
}

/** An `<input type="datetime-local">` value (`2026-03-28T19:30`) as a local time. */
export function parseLocalInput(value: string): LocalTime | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value)
  if (!m) return null
  const [year, month, day, hour, minute, second] = m.slice(1).map((s) => Number(s ?? 0)) as number[]
  const t = { year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second: second ?? 0 }
  const back = new Date(asUtc(t))
  if (back.getUTCMonth() + 1 !== t.month || back.getUTCDate() !== t.day || t.hour > 23 || t.minute > 59)
    return null
  return t
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0')

/** The `<input type="datetime-local">` value for instant `ms` in `zone`. */
export function toLocalInput(ms: number, zone: string): string {
  const t = localTime(ms, zone)
  return `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}`
}

/** `YYYYMMDDTHHMMSS` (iCalendar's local DATE-TIME form). */
export function icsLocal(t: LocalTime): string {
  return `${pad(t.year, 4)}${pad(t.month)}${pad(t.day)}T${pad(t.hour)}${pad(t.minute)}${pad(t.second)}`
}

/**
 * The instants in [from, to) at which `zone`'s offset changes, each with the offsets either side,
 * found by stepping a week at a time and bisecting to the second.
 */
export function transitions(
  zone: string,
  from: number,
  to: number,
): { at: number; before: number; after: number }[] {
  const WEEK = 7 * 86_400_000
  const out: { at: number; before: number; after: number }[] = []
  let t = from
  let off = offsetAt(t, zone)
  while (t < to) {
    const next = Math.min(t + WEEK, to)
    const nextOff = offsetAt(next, zone)
    if (nextOff !== off) {
      let [lo, hi] = [t, next]
      while (hi - lo > 1000) {
        const mid = Math.floor((lo + hi) / 2000) * 1000
        if (offsetAt(mid, zone) === off) lo = mid
        else hi = mid
      }
      out.push({ at: hi, before: off, after: nextOff })
    }
    t = next
    off = nextOff
  }
  return out
}
