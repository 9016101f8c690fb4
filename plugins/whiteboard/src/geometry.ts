// Each element's outline as SVG path data (relative to its origin) and its bounds: one geometry that
// the canvas (as a cached Path2D) and the SVG export both draw, so the two pictures agree.
//
// Pen strokes are filled outlines from perfect-freehand: the width follows the pen's speed (simulated
// pressure), and `streamline` / `smoothing` take the jitter out of a mouse or finger. Shapes are
// stroked paths; text and sticky notes are drawn as text and have no path.

import { getStroke } from 'perfect-freehand'
import type { BoardElement, PenElement } from './element'

export interface Box {
  minX: number
  minY: number
  maxX: number
  maxY: number
}

export const FREEHAND = { thinning: 0.6, smoothing: 0.5, streamline: 0.5, simulatePressure: true } as const

const fixed = (n: number): string => (Math.round(n * 100) / 100).toString()

/** perfect-freehand's outline as a closed path of quadratic curves through the midpoints. */
export function penPathData(el: Pick<PenElement, 'points' | 'size'>): string {
  // perfect-freehand reads the points and never writes them: readonly is safe to hand over.
  const outline = getStroke(el.points as unknown as number[][], { size: el.size, ...FREEHAND, last: true })
  if (outline.length < 2) return ''
  const [first] = outline
  const parts = [`M${fixed(first![0]!)} ${fixed(first![1]!)}Q`]
  for (let i = 0; i < outline.length; i++) {
    const [x0, y0] = outline[i]!
    const [x1, y1] = outline[(i + 1) % outline.length]!
    parts.push(`${fixed(x0!)} ${fixed(y0!)} ${fixed((x0! + x1!) / 2)} ${fixed((y0! + y1!) / 2)} `)
  }
  parts.push('Z')
  return parts.join('')
}

/** Path data of an element (relative to its origin); '' for text and sticky notes. */
export function pathData(el: BoardElement): string {
  switch (el.kind) {
    case 'pen':
      return penPathData(el)
    case 'rect':
      return `M0 0H${fixed(el.w)}V${fixed(el.h)}H0Z`
    case 'ellipse': {
      const rx = Math.abs(el.w) / 2
      const ry = Math.abs(el.h) / 2
      const cx = el.w / 2
      const cy = el.h / 2
      return `M${fixed(cx - rx)} ${fixed(cy)}A${fixed(rx)} ${fixed(ry)} 0 1 0 ${fixed(cx + rx)} ${fixed(cy)}A${fixed(rx)} ${fixed(ry)} 0 1 0 ${fixed(cx - rx)} ${fixed(cy)}Z`
    }
    case 'line':
      return `M0 0L${fixed(el.w)} ${fixed(el.h)}`
    case 'arrow': {
      const len = Math.hypot(el.w, el.h) || 1
      const head = Math.min(len / 2, 10 + el.size * 3)
      const ux = el.w / len
      const uy = el.h / len
      const bx = el.w - ux * head
      const by = el.h - uy * head
      const px = -uy * head * 0.5
      const py = ux * head * 0.5
      return `M0 0L${fixed(el.w)} ${fixed(el.h)}M${fixed(bx + px)} ${fixed(by + py)}L${fixed(el.w)} ${fixed(el.h)}L${fixed(bx - px)} ${fixed(by - py)}`
    }
    default:
      return ''
  }
}

/** Lines of a text or sticky note, as drawn. */
export const linesOf = (text: string): string[] => text.split('\n')

/** Roughly how wide a text is (canvas and SVG measure alike closely enough for selection). */
export const textWidth = (text: string, size: number): number =>
  Math.max(size, ...linesOf(text).map((l) => l.length * size * 0.6))

export const LINE_HEIGHT = 1.25

/** Bounds relative to the origin. */
export function localBounds(el: BoardElement): Box {
  switch (el.kind) {
    case 'pen': {
      let minX = 0
      let minY = 0
      let maxX = 0
      let maxY = 0
      for (const [x, y] of el.points) {
        if (x < minX) minX = x
        if (y < minY) minY = y
        if (x > maxX) maxX = x
        if (y > maxY) maxY = y
      }
      const r = el.size
      return { minX: minX - r, minY: minY - r, maxX: maxX + r, maxY: maxY + r }
    }
    case 'text':
      return {
        minX: 0,
        minY: 0,
        maxX: textWidth(el.text, el.size),
        maxY: linesOf(el.text).length * el.size * LINE_HEIGHT,
      }
    case 'sticky':
      return { minX: 0, minY: 0, maxX: el.w, maxY: el.h }
    default: {
      const pad = el.size + (el.kind === 'arrow' ? 10 + el.size * 3 : 0)
      return {
        minX: Math.min(0, el.w) - pad,
        minY: Math.min(0, el.h) - pad,
        maxX: Math.max(0, el.w) + pad,
        maxY: Math.max(0, el.h) + pad,
      }
    }
  }
}

export function worldBounds(el: BoardElement, local: Box = localBounds(el)): Box {
  return {
    minX: local.minX + el.x,
    minY: local.minY + el.y,
    maxX: local.maxX + el.x,
    maxY: local.maxY + el.y,
  }
}

export const intersects = (a: Box, b: Box): boolean =>
  a.minX <= b.maxX && a.maxX >= b.minX && a.minY <= b.maxY && a.maxY >= b.minY

export const contains = (b: Box, x: number, y: number): boolean =>
  x >= b.minX && x <= b.maxX && y >= b.minY && y <= b.maxY

/** The union of boxes (null for none). */
export function unionOf(boxes: Iterable<Box>): Box | null {
  let out: Box | null = null
  for (const b of boxes)
    out = out
      ? {
          minX: Math.min(out.minX, b.minX),
          minY: Math.min(out.minY, b.minY),
          maxX: Math.max(out.maxX, b.maxX),
          maxY: Math.max(out.maxY, b.maxY),
        }
      : { ...b }
  return out
}
