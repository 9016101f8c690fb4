// The arithmetic of a windowed list with measured heights: offsets from per-row heights (estimated
// until a row has been rendered and measured), the rows that intersect the viewport plus overscan,
// and the total height. Pure: unit-tested; VirtualList.vue does the DOM side.

export class RowHeights {
  private heights = new Float64Array(0)
  private offsets = new Float64Array(1)
  private dirtyFrom = 0

  constructor(private readonly estimate: number) {}

  get length(): number {
    return this.heights.length
  }

  /** Resets to `n` rows; heights known by key are kept (keys: the rows' stable keys). */
  reset(n: number, known: (i: number) => number | undefined): void {
    this.heights = new Float64Array(n)
    for (let i = 0; i < n; i++) this.heights[i] = known(i) ?? this.estimate
    this.offsets = new Float64Array(n + 1)
    this.dirtyFrom = 0
  }

  /**
   * Replaces rows [start, start + removed) with `added` rows (heights known by key kept, as in
   * reset); the rows before and after keep theirs without being looked up again.
   */
  splice(start: number, removed: number, added: number, known: (i: number) => number | undefined): void {
    const old = this.heights
    const n = old.length - removed + added
    const heights = new Float64Array(n)
    heights.set(old.subarray(0, start))
    for (let i = start; i < start + added; i++) heights[i] = known(i) ?? this.estimate
    heights.set(old.subarray(start + removed), start + added)
    this.heights = heights
    if (this.offsets.length !== n + 1) {
      const offsets = new Float64Array(n + 1)
      offsets.set(this.offsets.subarray(0, Math.min(start, n) + 1))
      this.offsets = offsets
    }
    this.dirtyFrom = Math.min(this.dirtyFrom, start)
  }

  /** Records a measured height; returns whether it changed. */
  set(i: number, h: number): boolean {
    if (i < 0 || i >= this.heights.length || this.heights[i] === h) return false
    this.heights[i] = h
    this.dirtyFrom = Math.min(this.dirtyFrom, i)
    return true
  }

  height(i: number): number {
    return this.heights[i] ?? this.estimate
  }

  private settle(): void {
    const n = this.heights.length
    if (this.dirtyFrom > n) return
    for (let i = this.dirtyFrom; i < n; i++) this.offsets[i + 1] = this.offsets[i]! + this.heights[i]!
    this.dirtyFrom = n + 1
  }

  /** Top of row i (i = length gives the total height). */
  offset(i: number): number {
    this.settle()
    return this.offsets[Math.max(0, Math.min(i, this.heights.length))]!
  }

  total(): number {
    return this.offset(this.heights.length)
  }

  /** The row at vertical position y (binary search over offsets). */
  indexAt(y: number): number {
    this.settle()
    const n = this.heights.length
    if (n === 0) return 0
    let lo = 0
    let hi = n - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (this.offsets[mid]! <= y) lo = mid
      else hi = mid - 1
    }
    return lo
  }

  /** Rows [start, end) to render for a viewport at scrollTop of height `viewport`, ± overscan px. */
  range(scrollTop: number, viewport: number, overscan: number): { start: number; end: number } {
    const n = this.heights.length
    if (n === 0) return { start: 0, end: 0 }
    const start = this.indexAt(Math.max(0, scrollTop - overscan))
    const end = Math.min(n, this.indexAt(scrollTop + viewport + overscan) + 1)
    return { start, end }
  }
}

/**
 * How `next` differs from `prev` as one splice: the rows from `start` on, `removed` of them, became
 * `added` new ones, and the rows before and after are the very same objects. Paging back is a splice
 * at 0, a new message one at the end. Costs pointer comparisons only.
 */
export function spliceOf<T>(
  prev: readonly T[],
  next: readonly T[],
): { start: number; removed: number; added: number } {
  const most = Math.min(prev.length, next.length)
  let start = 0
  while (start < most && prev[start] === next[start]) start++
  let end = 0
  while (end < most - start && prev[prev.length - 1 - end] === next[next.length - 1 - end]) end++
  return { start, removed: prev.length - start - end, added: next.length - start - end }
}
