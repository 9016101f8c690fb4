// The shape every benchmark shares: run each case several times, keep the median (this machine is
// shared and noisy), and print one table per benchmark with ratios against the named baseline.

export interface BenchCase {
  /** What is measured, e.g. "gate: verify + authorise + apply". */
  name: string
  /** Runs the workload once and returns the measured value (ms, messages/s, MB, ...). */
  run: () => Promise<number> | number
}

export interface BenchSpec {
  title: string
  unit: string
  /** Whether a larger value is better (throughput) or worse (latency, memory). */
  better: 'higher' | 'lower'
  runs?: number
  /** The case every other case is compared with; it runs side by side with them. */
  baseline: BenchCase
  cases: BenchCase[]
  /** Targets printed under the table, e.g. "≥ 10k messages/s". */
  targets?: string[]
}

export interface BenchRow {
  name: string
  median: number
  min: number
  max: number
  ratio: number
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!
}

/** Interleaves the baseline and the cases run by run, so drift on a noisy machine hits all alike. */
export async function runBench(spec: BenchSpec): Promise<BenchRow[]> {
  const runs = spec.runs ?? 5
  const all = [spec.baseline, ...spec.cases]
  const samples = all.map(() => [] as number[])
  for (let r = 0; r < runs; r++) {
    for (const [i, c] of all.entries()) samples[i]!.push(await c.run())
  }
  const base = median(samples[0]!)
  const rows = all.map((c, i) => {
    const m = median(samples[i]!)
    return {
      name: c.name,
      median: m,
      min: Math.min(...samples[i]!),
      max: Math.max(...samples[i]!),
      ratio: m / base,
    }
  })
  printTable(spec, rows, runs)
  return rows
}

/** A number with about three significant digits. */
export const fmt = (n: number): string =>
  Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2)

export function printTable(spec: BenchSpec, rows: BenchRow[], runs: number): void {
  const header = ['case', `median ${spec.unit}`, 'min', 'max', `× ${spec.baseline.name}`]
  const body = rows.map((r) => [r.name, fmt(r.median), fmt(r.min), fmt(r.max), `${r.ratio.toFixed(2)}×`])
  console.log(`\n${spec.title} — median of ${runs} runs (${spec.better} is better)`)
  printGrid(header, body)
  for (const t of spec.targets ?? []) console.log(`target: ${t}`)
}

/** A Markdown table, each column as wide as its widest cell. */
export function printGrid(header: string[], body: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)))
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |'
  console.log(line(header))
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|')
  for (const b of body) console.log(line(b))
}
