// What is on a board, and how each thing is kept in the panel's plugin state.
//
// Every element is one entry of the shared map, `e:<id>#draw`: the `#draw` guard makes every peer's
// gate require the plugin's point (plugin.com.tailmesh.whiteboard.draw) besides viewPanel. A pen
// stroke too long for one 2 KB value continues in `p:<id>:<n>#draw` entries holding more of its point
// code; all of an element's entries are written in one change, so they travel in one envelope.
//
// Geometry is relative to the element's origin (x, y): moving an element rewrites its origin only, so
// a moved stroke keeps its cached path. Records written by others are read defensively (any client
// may write any JSON under these names): anything that does not parse as an element is skipped.

import { decodePoints, encodePoints, simplify, type Point } from './points-codec'

export type ShapeKind = 'rect' | 'ellipse' | 'line' | 'arrow'
export type ElementKind = 'pen' | ShapeKind | 'text' | 'sticky'
export const SHAPE_KINDS: readonly ShapeKind[] = ['rect', 'ellipse', 'line', 'arrow']

interface Base {
  id: string
  /** Origin in board units. */
  x: number
  y: number
  /** Stacking order: creation time (ms); ties broken by id. */
  z: number
  /** `#rrggbb`: ink, or a sticky note's paper. */
  color: string
  /** Who drew it (as their client says; shown, never trusted for anything). */
  by: string
}

export interface PenElement extends Base {
  kind: 'pen'
  /** Relative to (x, y); the first is (0, 0). */
  points: Point[]
  /** Nib size in board units. */
  size: number
}

/** A rectangle or ellipse in the box (0,0)–(w,h); a line or arrow from (0,0) to (w,h). */
export interface ShapeElement extends Base {
  kind: ShapeKind
  w: number
  h: number
  size: number
}

export interface TextElement extends Base {
  kind: 'text'
  text: string
  /** Font size in board units. */
  size: number
}

export interface StickyElement extends Base {
  kind: 'sticky'
  w: number
  h: number
  text: string
}

export type BoardElement = PenElement | ShapeElement | TextElement | StickyElement

export const ELEMENT_PREFIX = 'e:'
export const CHUNK_PREFIX = 'p:'
export const GUARD = '#draw'
export const LIMITS = {
  text: 1000,
  /** Characters of point code in the element's own entry and in each continuation. */
  codeInRecord: 1700,
  codeInChunk: 2000,
  chunks: 8,
  coordinate: 1e6,
} as const

export const elementKey = (id: string): string => `${ELEMENT_PREFIX}${id}${GUARD}`
export const chunkKey = (id: string, n: number): string => `${CHUNK_PREFIX}${id}:${n}${GUARD}`

/** The element id an entry belongs to, or null for an entry that is not the board's. */
export function idOfKey(key: string): { id: string; chunk: number | null } | null {
  if (!key.endsWith(GUARD)) return null
  const body = key.slice(0, -GUARD.length)
  if (body.startsWith(ELEMENT_PREFIX)) {
    const id = body.slice(ELEMENT_PREFIX.length)
    return ID_RE.test(id) ? { id, chunk: null } : null
  }
  if (body.startsWith(CHUNK_PREFIX)) {
    const [id, n] = body.slice(CHUNK_PREFIX.length).split(':')
    const chunk = Number(n)
    return id && ID_RE.test(id) && Number.isInteger(chunk) && chunk > 0 ? { id, chunk } : null
  }
  return null
}

const ID_RE = /^[A-Za-z0-9_-]{6,32}$/
const COLOR_RE = /^#[0-9a-f]{6}$/

export function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(9))
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
}

/** The entries that hold `el`: its own, plus continuations of a long stroke's point code. */
export function recordsOf(el: BoardElement): Map<string, unknown> {
  const out = new Map<string, unknown>()
  const common = { k: el.kind, x: round(el.x), y: round(el.y), z: el.z, c: el.color, a: el.by }
  switch (el.kind) {
    case 'pen': {
      const code = penCode(el.points)
      const first = code.slice(0, LIMITS.codeInRecord)
      const rest = code.slice(LIMITS.codeInRecord)
      const chunks: string[] = []
      for (let i = 0; i < rest.length; i += LIMITS.codeInChunk)
        chunks.push(rest.slice(i, i + LIMITS.codeInChunk))
      out.set(elementKey(el.id), { ...common, s: el.size, p: first, n: chunks.length })
      chunks.forEach((c, i) => out.set(chunkKey(el.id, i + 1), c))
      break
    }
    case 'text':
      out.set(elementKey(el.id), { ...common, s: el.size, t: el.text.slice(0, LIMITS.text) })
      break
    case 'sticky':
      out.set(elementKey(el.id), {
        ...common,
        w: round(el.w),
        h: round(el.h),
        t: el.text.slice(0, LIMITS.text),
      })
      break
    default:
      out.set(elementKey(el.id), { ...common, w: round(el.w), h: round(el.h), s: el.size })
  }
  return out
}

/**
 * The point code of a stroke, at most what its entries hold: strokes longer than that are simplified
 * (Ramer–Douglas–Peucker) with a growing tolerance until they fit.
 */
function penCode(points: readonly Point[]): string {
  const max = LIMITS.codeInRecord + LIMITS.chunks * LIMITS.codeInChunk
  let code = encodePoints(points)
  for (let epsilon = 0.25; code.length > max; epsilon *= 2) code = encodePoints(simplify(points, epsilon))
  return code
}

const round = (n: number): number => Math.round(n * 2) / 2

const num = (v: unknown, min: number = -LIMITS.coordinate, max: number = LIMITS.coordinate): number | null =>
  typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : null

/**
 * Reads one element from its entry and its continuations (`chunk(n)`), or null if the entry is not a
 * well-formed element.
 */
export function readElement(id: string, value: unknown, chunk: (n: number) => unknown): BoardElement | null {
  if (typeof value !== 'object' || value === null) return null
  const r = value as Record<string, unknown>
  const x = num(r.x)
  const y = num(r.y)
  const z = num(r.z, 0, Number.MAX_SAFE_INTEGER)
  const color = typeof r.c === 'string' && COLOR_RE.test(r.c) ? r.c : null
  if (x === null || y === null || z === null || color === null) return null
  const base = { id, x, y, z, color, by: typeof r.a === 'string' ? r.a.slice(0, 64) : '' }
  const text = typeof r.t === 'string' ? r.t.slice(0, LIMITS.text) : null
  switch (r.k) {
    case 'pen': {
      const size = num(r.s, 0.5, 200)
      const n = num(r.n, 0, LIMITS.chunks)
      if (size === null || n === null || typeof r.p !== 'string') return null
      let code = r.p
      for (let i = 1; i <= n; i++) {
        const more = chunk(i)
        if (typeof more !== 'string') break
        code += more
      }
      try {
        const points = decodePoints(code)
        return points.length ? { ...base, kind: 'pen', points, size } : null
      } catch {
        return null
      }
    }
    case 'text': {
      const size = num(r.s, 4, 400)
      return size !== null && text !== null ? { ...base, kind: 'text', text, size } : null
    }
    case 'sticky': {
      const w = num(r.w, 1)
      const h = num(r.h, 1)
      return w !== null && h !== null && text !== null ? { ...base, kind: 'sticky', w, h, text } : null
    }
    case 'rect':
    case 'ellipse':
    case 'line':
    case 'arrow': {
      const w = num(r.w)
      const h = num(r.h)
      const size = num(r.s, 0.5, 200)
      return w !== null && h !== null && size !== null ? { ...base, kind: r.k, w, h, size } : null
    }
    default:
      return null
  }
}

/** Stacking order: older below newer. */
export const byStacking = (a: BoardElement, b: BoardElement): number =>
  a.z - b.z || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
