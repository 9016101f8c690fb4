// The large-group table: one line per (row, N) with the median, its ratio to the smallest N, the
// issue's target and whether it is met. A row stopped at its time cap shows a lower bound ("> 60 s").

import { fmt, median, printGrid } from '../harness'

export interface Measure {
  /** Samples (the median is shown); one for rows that run once. */
  samples: number[]
  /** Stopped at the time cap: the value is a lower bound. */
  capped?: boolean
  /** Shown after the value (how far a capped row got). */
  note?: string
  /** The row could not complete (kick refused, member not locked out): why. */
  failed?: string
}

export interface RowSpec {
  name: string
  unit: string
  better: 'lower' | 'higher'
  /** An absolute bound (the issue's figure for 100k members), or a bound on the ratio to the smallest N. */
  target: { value: number } | { ratio: number } | null
}

export type Results = Map<RowSpec, Map<number, Measure>>

export function printLargeGroupTable(results: Results, sizes: number[]): void {
  const base = sizes[0]!
  const body: string[][] = []
  for (const [row, byN] of results)
    for (const n of sizes) {
      const m = byN.get(n)
      if (m) body.push(line(row, n, m, byN.get(base), base))
    }
  console.log(`\nLarge groups — ratios against N=${base.toLocaleString()} (issue 18)`)
  printGrid(['row', 'N', 'median', `× N=${base.toLocaleString()}`, 'target', 'met'], body)
}

function line(row: RowSpec, n: number, m: Measure, base: Measure | undefined, baseN: number): string[] {
  const cells = (median: string, ratio: string, met: string) => [
    row.name,
    n.toLocaleString(),
    median,
    ratio,
    targetText(row, baseN),
    met,
  ]
  if (m.failed) return cells(`failed: ${m.failed}`, '—', row.target ? 'missed' : '—')
  const value = median(m.samples)
  const shown = `${m.capped ? '> ' : ''}${fmt(value)} ${row.unit}${m.note ? ` (${m.note})` : ''}`
  const baseValue = base && !base.failed ? median(base.samples) : undefined
  const ratio = baseValue === undefined || base?.capped ? undefined : value / baseValue
  const ratioText = ratio === undefined ? '—' : `${m.capped ? '> ' : ''}${ratio.toFixed(2)}×`
  return cells(shown, ratioText, verdict(row, value, m.capped === true, ratio, n === baseN))
}

function targetText(row: RowSpec, baseN: number): string {
  if (row.target === null) return '—'
  const op = row.better === 'lower' ? '≤' : '≥'
  return 'ratio' in row.target
    ? `${op} ${row.target.ratio}× N=${baseN.toLocaleString()}`
    : `${op} ${row.target.value.toLocaleString()} ${row.unit}`
}

function verdict(row: RowSpec, value: number, capped: boolean, ratio: number | undefined, isBase: boolean) {
  if (row.target === null) return '—'
  const within = (x: number, bound: number) => (row.better === 'lower' ? x <= bound : x >= bound)
  if ('ratio' in row.target) {
    if (isBase) return 'baseline'
    if (ratio === undefined) return '?'
    // A capped lower-is-better value only grows: past the bound it is missed, below it unknown.
    if (capped) return within(ratio, row.target.ratio) ? '?' : 'missed'
    return within(ratio, row.target.ratio) ? 'met' : 'missed'
  }
  if (capped) return within(value, row.target.value) ? '?' : 'missed'
  return within(value, row.target.value) ? 'met' : 'missed'
}
