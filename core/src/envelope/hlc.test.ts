import { describe, expect, it } from 'vitest'
import { formatHlc, hlcCounter, hlcFromWall, hlcWallMs, HybridClock, isHlc } from './hlc'

describe('hybrid logical clock', () => {
  it('is strictly increasing even when the wall clock stalls or goes back', () => {
    let wall = Date.UTC(2026, 0, 1)
    const clock = new HybridClock(() => wall)
    const seen: number[] = []
    for (let i = 0; i < 5000; i++) {
      if (i % 7 === 0) wall -= 3
      seen.push(clock.now())
    }
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1] ?? Infinity)
    expect(seen.every(isHlc)).toBe(true)
  })

  it('follows the wall clock when it moves forward', () => {
    let wall = Date.UTC(2026, 5, 1, 12)
    const clock = new HybridClock(() => wall)
    const a = clock.now()
    expect(hlcWallMs(a)).toBe(wall)
    expect(hlcCounter(a)).toBe(0)
    expect(hlcCounter(clock.now())).toBe(1)
    wall += 10
    const b = clock.now()
    expect(hlcWallMs(b)).toBe(wall)
    expect(hlcCounter(b)).toBe(0)
  })

  it('moves past an observed remote timestamp, and ignores an older one or garbage', () => {
    const wall = Date.UTC(2026, 0, 1)
    const clock = new HybridClock(() => wall)
    const local = clock.now()
    const remote = hlcFromWall(wall + 60_000) + 5
    clock.observe(remote)
    const next = clock.now()
    expect(next).toBeGreaterThan(remote)
    clock.observe(local)
    clock.observe(NaN)
    clock.observe(-1)
    expect(clock.now()).toBe(next + 1)
  })

  it('round-trips wall time and stays a safe integer for decades', () => {
    const ms = Date.UTC(2026, 10, 24, 9, 30, 15, 123)
    expect(hlcWallMs(hlcFromWall(ms))).toBe(ms)
    expect(Number.isSafeInteger(hlcFromWall(Date.UTC(2090, 0, 1)) + 4095)).toBe(true)
    expect(hlcFromWall(0)).toBe(0)
    expect(formatHlc(hlcFromWall(ms) + 3)).toBe('2026-11-24T09:30:15.123Z#3')
  })
})
