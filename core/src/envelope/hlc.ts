// Hybrid logical clock in one safe integer: (ms since HLC_EPOCH_MS) * 4096 + counter. One number
// compares with <, fits a lib0 varuint and a JSON value, and orders events by wall time first and
// causality second (observing a remote timestamp moves the local clock past it).
//
// Why an epoch and not Unix ms: 2^53 / 4096 ms is only ~69.7 years, so Unix ms * 4096 would leave the
// safe-integer range in September 2039. Counting from 2025-01-01 moves that to 2094. Always convert
// with hlcFromWall / hlcWallMs; never multiply by hand.
import { ValidationError } from '../errors'

export const HLC_COUNTER_SPAN = 4096
/** 2025-01-01T00:00:00Z. */
export const HLC_EPOCH_MS = Date.UTC(2025, 0, 1)
const MAX_WALL_OFFSET = Math.floor(Number.MAX_SAFE_INTEGER / HLC_COUNTER_SPAN) - 1

/** Whether `n` can be an HLC value (a non-negative safe integer). */
export const isHlc = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0

/** The smallest HLC at wall time `ms` (Unix ms). Times before the epoch clamp to 0. */
export function hlcFromWall(ms: number): number {
  if (!Number.isFinite(ms)) throw new ValidationError(`Not a wall-clock time: ${ms}.`)
  const offset = Math.min(Math.max(0, Math.floor(ms) - HLC_EPOCH_MS), MAX_WALL_OFFSET)
  return offset * HLC_COUNTER_SPAN
}

/** The wall-clock part of an HLC, in Unix ms (e.g. to refuse timestamps far in the future). */
export const hlcWallMs = (hlc: number): number => Math.floor(hlc / HLC_COUNTER_SPAN) + HLC_EPOCH_MS

/** The logical counter part of an HLC. */
export const hlcCounter = (hlc: number): number => hlc % HLC_COUNTER_SPAN

/** Human-readable form for logs and debugging: ISO time and counter. */
export const formatHlc = (hlc: number): string =>
  `${new Date(hlcWallMs(hlc)).toISOString()}#${hlcCounter(hlc)}`

export class HybridClock {
  #last = 0
  readonly #wall: () => number

  constructor(now: () => number = Date.now) {
    this.#wall = now
  }

  /**
   * The next local timestamp: strictly greater than every timestamp this clock issued or observed.
   * When the wall clock stalls or runs behind, the counter advances (and may carry into the ms part,
   * which is harmless: order is all that matters).
   */
  now(): number {
    const next = Math.max(hlcFromWall(this.#wall()), this.#last + 1)
    this.#last = next
    return next
  }

  /**
   * Move past a timestamp seen on an accepted remote event. Call it only for events the gate accepted:
   * it trusts `remote`, and refusing far-future timestamps is the gate's job. Non-HLC values are ignored.
   */
  observe(remote: number): void {
    if (isHlc(remote) && remote > this.#last) this.#last = remote
  }

  /** The latest timestamp issued or observed (0 before any). */
  get last(): number {
    return this.#last
  }
}
