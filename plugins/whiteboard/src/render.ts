// Draws a board into a 2D canvas fast enough to pan 5,000 strokes at 60 fps (bench/whiteboard.bench.ts):
//
// - each element's outline is built once, as a Path2D in its own coordinates, and kept while its
//   geometry is the same (a move changes only the origin, applied as a transform);
// - each frame draws only the elements whose bounds meet the viewport (a bounds test per element, no
//   outline work), and an element smaller than two pixels on screen as a dot.
//
// `drawNaive` is the baseline the bench compares with: every stroke's outline computed and traced
// again each frame, nothing culled.

import { getStroke } from 'perfect-freehand'
import type { BoardElement } from './element'
import { FREEHAND, LINE_HEIGHT, intersects, linesOf, localBounds, pathData, type Box } from './geometry'

/** What the screen shows: board point (x, y) at the canvas' top left, `zoom` pixels per board unit. */
export interface Camera {
  x: number
  y: number
  zoom: number
}

interface Cached {
  /** What the geometry was built from (compared by reference / value). */
  kind: BoardElement['kind']
  points: unknown
  w: number
  h: number
  size: number
  text: string
  path: Path2D | null
  local: Box
}

export const STICKY_INK = '#1f2328'
const FONT = 'system-ui, sans-serif'

export class BoardRenderer {
  private readonly cache = new Map<string, Cached>()

  /** The element's cached geometry, built again only when its shape changed. */
  private cached(el: BoardElement): Cached {
    const c = this.cache.get(el.id)
    const points = el.kind === 'pen' ? el.points : null
    const w = 'w' in el ? el.w : 0
    const h = 'h' in el ? el.h : 0
    const size = 'size' in el ? el.size : 0
    const text = 'text' in el ? el.text : ''
    if (
      c &&
      c.kind === el.kind &&
      c.points === points &&
      c.w === w &&
      c.h === h &&
      c.size === size &&
      c.text === text
    )
      return c
    const d = pathData(el)
    const fresh: Cached = {
      kind: el.kind,
      points,
      w,
      h,
      size,
      text,
      path: d ? new Path2D(d) : null,
      local: localBounds(el),
    }
    this.cache.set(el.id, fresh)
    return fresh
  }

  /** Forgets elements no longer on the board. */
  prune(elements: readonly BoardElement[]): void {
    if (this.cache.size <= elements.length) return
    const live = new Set(elements.map((e) => e.id))
    for (const id of this.cache.keys()) if (!live.has(id)) this.cache.delete(id)
  }

  /** Bounds on the board (for hit tests and selection). */
  bounds(el: BoardElement): Box {
    const l = this.cached(el).local
    return { minX: l.minX + el.x, minY: l.minY + el.y, maxX: l.maxX + el.x, maxY: l.maxY + el.y }
  }

  /**
   * Draws `elements` (bottom first) as the camera sees them on a canvas of `width` × `height` CSS
   * pixels at `dpr` device pixels each. Returns how many were drawn.
   */
  draw(
    ctx: CanvasRenderingContext2D,
    elements: readonly BoardElement[],
    camera: Camera,
    width: number,
    height: number,
    dpr = 1,
  ): number {
    const view: Box = {
      minX: camera.x,
      minY: camera.y,
      maxX: camera.x + width / camera.zoom,
      maxY: camera.y + height / camera.zoom,
    }
    const scale = dpr * camera.zoom
    const dot = 2 / camera.zoom
    let drawn = 0
    for (const el of elements) {
      const c = this.cached(el)
      const l = c.local
      const box = { minX: l.minX + el.x, minY: l.minY + el.y, maxX: l.maxX + el.x, maxY: l.maxY + el.y }
      if (!intersects(box, view)) continue
      drawn++
      ctx.setTransform(scale, 0, 0, scale, (el.x - camera.x) * scale, (el.y - camera.y) * scale)
      if (l.maxX - l.minX < dot && l.maxY - l.minY < dot && el.kind !== 'text') {
        ctx.fillStyle = el.color
        ctx.fillRect(l.minX, l.minY, dot, dot)
        continue
      }
      drawElement(ctx, el, c.path)
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0)
    return drawn
  }
}

/** One element in its own coordinates (the transform puts its origin in place). */
export function drawElement(ctx: CanvasRenderingContext2D, el: BoardElement, path: Path2D | null): void {
  switch (el.kind) {
    case 'pen':
      ctx.fillStyle = el.color
      if (path) ctx.fill(path)
      return
    case 'text':
      ctx.fillStyle = el.color
      ctx.font = `${el.size}px ${FONT}`
      ctx.textBaseline = 'top'
      linesOf(el.text).forEach((line, i) => ctx.fillText(line, 0, i * el.size * LINE_HEIGHT))
      return
    case 'sticky': {
      ctx.fillStyle = el.color
      ctx.fillRect(0, 0, el.w, el.h)
      ctx.fillStyle = STICKY_INK
      ctx.font = `16px ${FONT}`
      ctx.textBaseline = 'top'
      ctx.save()
      ctx.beginPath()
      ctx.rect(0, 0, el.w, el.h)
      ctx.clip()
      linesOf(el.text).forEach((line, i) => ctx.fillText(line, 10, 10 + i * 16 * LINE_HEIGHT))
      ctx.restore()
      return
    }
    default:
      ctx.strokeStyle = el.color
      ctx.lineWidth = el.size
      ctx.lineCap = 'round'
      ctx.lineJoin = 'round'
      if (path) ctx.stroke(path)
  }
}

/** The baseline: each stroke's outline computed and traced again, every element drawn. */
export function drawNaive(
  ctx: CanvasRenderingContext2D,
  elements: readonly BoardElement[],
  camera: Camera,
  dpr = 1,
): number {
  const scale = dpr * camera.zoom
  for (const el of elements) {
    ctx.setTransform(scale, 0, 0, scale, (el.x - camera.x) * scale, (el.y - camera.y) * scale)
    if (el.kind !== 'pen') {
      drawElement(ctx, el, new Path2D(pathData(el)))
      continue
    }
    const outline = getStroke(el.points as unknown as number[][], { size: el.size, ...FREEHAND, last: true })
    ctx.beginPath()
    outline.forEach(([x, y], i) => (i ? ctx.lineTo(x!, y!) : ctx.moveTo(x!, y!)))
    ctx.closePath()
    ctx.fillStyle = el.color
    ctx.fill()
  }
  ctx.setTransform(1, 0, 0, 1, 0, 0)
  return elements.length
}
