// The tools a member draws with, and the elements a gesture makes (no DOM: the panel feeds points).
import { newId, type BoardElement, type ShapeKind } from './element'
import type { Point } from './points-codec'

export type Tool = 'select' | 'pen' | ShapeKind | 'text' | 'sticky' | 'pan'
export const DRAWING_TOOLS: readonly Tool[] = ['pen', 'rect', 'ellipse', 'arrow', 'line', 'text', 'sticky']
export const TOOLS: readonly Tool[] = ['select', ...DRAWING_TOOLS, 'pan']

export const STICKY_PAPER = '#fde68a'
export const STICKY_SIZE = { w: 180, h: 120 } as const

export interface Author {
  by: string
  color: string
  size: number
}

/** A pen stroke from board points as they were drawn: its origin is the first. */
export function penStroke(points: readonly Point[], a: Author, id = newId()): BoardElement | null {
  if (!points.length) return null
  const [ox, oy] = points[0]!
  const x = Math.round(ox * 2) / 2
  const y = Math.round(oy * 2) / 2
  return {
    id,
    kind: 'pen',
    x,
    y,
    z: Date.now(),
    color: a.color,
    by: a.by,
    size: a.size,
    points: points.map(([px, py]) => [px - x, py - y] as const),
  }
}

/** A shape dragged from `from` to `to`; a click (no drag) makes one of a default size. */
export function shape(kind: ShapeKind, from: Point, to: Point, a: Author, id = newId()): BoardElement {
  let w = to[0] - from[0]
  let h = to[1] - from[1]
  if (Math.abs(w) < 3 && Math.abs(h) < 3) [w, h] = kind === 'line' || kind === 'arrow' ? [120, 0] : [120, 80]
  return {
    id,
    kind,
    x: from[0],
    y: from[1],
    z: Date.now(),
    color: a.color,
    by: a.by,
    w,
    h,
    size: Math.max(2, a.size / 2),
  }
}

export function textAt(at: Point, text: string, a: Author, id = newId()): BoardElement {
  return { id, kind: 'text', x: at[0], y: at[1], z: Date.now(), color: a.color, by: a.by, text, size: 20 }
}

export function stickyAt(at: Point, text: string, a: Author, id = newId()): BoardElement {
  return {
    id,
    kind: 'sticky',
    x: at[0],
    y: at[1],
    z: Date.now(),
    color: STICKY_PAPER,
    by: a.by,
    text,
    ...STICKY_SIZE,
  }
}
