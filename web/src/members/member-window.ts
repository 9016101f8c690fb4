// The arithmetic of the windowed member list: sections one after another, each a heading then its
// rows, every heading one height and every row another (the list's CSS fixes both; the component
// measures them). Which rows of which sections intersect the viewport, how much space the rest stands
// for, where a row is, and how a position in the whole list (keyboard navigation walks it across
// sections) maps to a section's row. Costs O(sections), never O(members). Pure: unit-tested.

export interface Geometry {
  /** A section heading's height, px. */
  head: number
  /** A row's height, px. */
  row: number
}

export interface WindowPart {
  section: number
  /** The section's rows [start, end) are rendered. */
  start: number
  end: number
}

export interface MemberWindow {
  /** Space for the sections above the first rendered one, px. */
  before: number
  /** Space for the sections below the last rendered one, px. */
  after: number
  parts: WindowPart[]
}

const sectionHeight = (rows: number, g: Geometry): number => g.head + rows * g.row

export function totalHeight(lengths: readonly number[], g: Geometry): number {
  let h = 0
  for (const n of lengths) h += sectionHeight(n, g)
  return h
}

/**
 * The sections and rows in [top, bottom) (px from the top of the list; the caller adds its
 * overscan). A section whose rows are all outside is still rendered when its heading is inside.
 */
export function windowOf(lengths: readonly number[], g: Geometry, top: number, bottom: number): MemberWindow {
  const parts: WindowPart[] = []
  let before = 0
  let after = 0
  let y = 0
  for (const [section, n] of lengths.entries()) {
    const h = sectionHeight(n, g)
    if (y + h <= top) before += h
    else if (y >= bottom) after += h
    else {
      const rowsTop = y + g.head
      const start = Math.min(n, Math.max(0, Math.floor((top - rowsTop) / g.row)))
      const end = Math.max(start, Math.min(n, Math.ceil((bottom - rowsTop) / g.row)))
      parts.push({ section, start, end })
    }
    y += h
  }
  return { before, after, parts }
}

/** The top of a section's row i, px from the top of the list. */
export function rowTop(lengths: readonly number[], g: Geometry, section: number, i: number): number {
  let y = 0
  for (let s = 0; s < section; s++) y += sectionHeight(lengths[s]!, g)
  return y + g.head + i * g.row
}

/** Where a row is in the whole list (0-based, across sections). */
export function flatIndex(lengths: readonly number[], section: number, i: number): number {
  let at = 0
  for (let s = 0; s < section; s++) at += lengths[s]!
  return at + i
}

/** The section and row of position `flat` in the whole list (clamped to the list). */
export function locate(lengths: readonly number[], flat: number): { section: number; i: number } | null {
  let rest = Math.max(0, flat)
  for (const [section, n] of lengths.entries()) {
    if (rest < n) return { section, i: rest }
    rest -= n
  }
  const last = lengths.findLastIndex((n) => n > 0)
  return last < 0 ? null : { section: last, i: lengths[last]! - 1 }
}
