// Role editing with prerequisites: checking a point checks what it needs (a point without its
// prerequisite has no effect), unchecking a point unchecks what depends on it.
import { PERMISSION_POINTS, PREREQUISITE, type BuiltinPoint, type Point } from '../client'

export function prerequisiteChain(point: Point): BuiltinPoint[] {
  const out: BuiltinPoint[] = []
  for (let p = PREREQUISITE[point as BuiltinPoint]; p !== undefined; p = PREREQUISITE[p]) out.push(p)
  return out
}

/** The built-in points that need `point`, directly or through another. */
export function dependants(point: Point): BuiltinPoint[] {
  return PERMISSION_POINTS.filter((p) => prerequisiteChain(p).includes(point as BuiltinPoint))
}

/** `points` with `point` turned on (with its prerequisites) or off (with its dependants), in canonical order. */
export function togglePoint(points: readonly Point[], point: Point, on: boolean): Point[] {
  const set = new Set<Point>(points)
  if (on) for (const p of [point, ...prerequisiteChain(point)]) set.add(p)
  else for (const p of [point, ...dependants(point)]) set.delete(p)
  const builtin = PERMISSION_POINTS.filter((p) => set.has(p))
  const plugin = [...set].filter((p) => !(PERMISSION_POINTS as readonly string[]).includes(p)).sort()
  return [...builtin, ...plugin]
}
