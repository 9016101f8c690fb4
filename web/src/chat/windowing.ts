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
