// The arithmetic of a windowed list with measured heights: offsets from per-row heights (estimated
// until a row has been rendered and measured), the rows that intersect the viewport plus overscan,
// and the total height. Pure: unit-tested; VirtualList.vue does the DOM side.

export class RowHeights {
  /**
   * Heights of rows [0, n) and offsets [0, n] in arrays with room to spare: paging back splices a
   * week of rows in at 0, which moves the rest within the arrays instead of allocating new ones of
   * the whole history's size each time (large objects: old-generation garbage, more major GCs).
   */
  private heights = new Float64Array(0)
  private offsets = new Float64Array(1)
  private n = 0
  private dirtyFrom = 0

  constructor(private readonly estimate: number) {}

  get length(): number {
    return this.n
  }

  /** Room for `n` rows (and the offset after the last): grown by half again when short. */
  private reserve(n: number): void {
    if (this.heights.length >= n) return
    const capacity = Math.max(n, Math.ceil(this.heights.length * 1.5), 64)
    const heights = new Float64Array(capacity)
    heights.set(this.heights.subarray(0, this.n))
    const offsets = new Float64Array(capacity + 1)
    offsets.set(this.offsets.subarray(0, this.n + 1))
    this.heights = heights
    this.offsets = offsets
  }

  /** Resets to `n` rows; heights known by key are kept (keys: the rows' stable keys). */
  reset(n: number, known: (i: number) => number | undefined): void {
    this.reserve(n)
    this.n = n
    for (let i = 0; i < n; i++) this.heights[i] = known(i) ?? this.estimate
    this.dirtyFrom = 0
  }

  /**
   * Replaces rows [start, start + removed) with `added` rows (their heights from `known`, else the
   * estimate); the rows before and after keep theirs without being looked up again.
   */
  splice(start: number, removed: number, added: number, known: (i: number) => number | undefined): void {
    const n = this.n - removed + added
    this.reserve(n)
    // The rows after the splice move (copyWithin handles the overlap either way).
    this.heights.copyWithin(start + added, start + removed, this.n)
    for (let i = start; i < start + added; i++) this.heights[i] = known(i) ?? this.estimate
    this.n = n
    this.dirtyFrom = Math.min(this.dirtyFrom, start)
  }

  /** Records a measured height; returns whether it changed. */
  set(i: number, h: number): boolean {
    if (i < 0 || i >= this.n || this.heights[i] === h) return false
    this.heights[i] = h
    this.dirtyFrom = Math.min(this.dirtyFrom, i)
    return true
  }

  height(i: number): number {
    return i >= 0 && i < this.n ? this.heights[i]! : this.estimate
  }

  private settle(): void {
    const n = this.n
    if (this.dirtyFrom > n) return
    for (let i = this.dirtyFrom; i < n; i++) this.offsets[i + 1] = this.offsets[i]! + this.heights[i]!
    this.dirtyFrom = n + 1
  }

  /** Top of row i (i = length gives the total height). */
  offset(i: number): number {
    this.settle()
    return this.offsets[Math.max(0, Math.min(i, this.n))]!
  }

  total(): number {
    return this.offset(this.n)
  }

  /** The row at vertical position y (binary search over offsets). */
  indexAt(y: number): number {
    this.settle()
    const n = this.n
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
    const n = this.n
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
