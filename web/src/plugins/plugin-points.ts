// Plugin permission points as the roles editor shows them: every point an active plugin adds (from
// its registerPermission calls, else its manifest) with its description, plus points a role holds
// that no plugin here describes (so they can still be seen and taken away). Held through roles, a
// point `plugin.<id>.<name>` is what core's gate checks for a `#<name>` guarded plugin-state write.
import { pluginPoint, type LocaleStrings, type PluginManifest } from '@tailmesh/plugin-sdk'
import type { Point } from '../client'
import type { Registration } from './registry'

export interface PluginPointView {
  point: Point
  /** The plugin that adds it; null when no active plugin here describes it. */
  pluginId: string | null
  description: LocaleStrings | null
  defaultGranted: boolean
}

const isPluginPoint = (p: string): p is `plugin.${string}.${string}` => p.startsWith('plugin.')

/** The plugin points to offer, sorted by point, registrations first in describing them. */
export function pluginPointsFor(
  registrations: readonly Registration<'permission'>[],
  manifests: readonly PluginManifest[],
  held: readonly string[] = [],
): PluginPointView[] {
  const out = new Map<string, PluginPointView>()
  for (const m of manifests)
    for (const p of m.permissions)
      out.set(p.point, {
        point: p.point,
        pluginId: m.id,
        description: { en: p.description, 'zh-CN': p['description.zh-CN'] },
        defaultGranted: p.defaultGranted,
      })
  for (const r of registrations) {
    const point = pluginPoint(r.pluginId, r.def.name)
    out.set(point, {
      point,
      pluginId: r.pluginId,
      description: r.def.description,
      defaultGranted: r.def.defaultGranted,
    })
  }
  for (const p of held)
    if (isPluginPoint(p) && !out.has(p))
      out.set(p, { point: p, pluginId: null, description: null, defaultGranted: false })
  return [...out.values()].sort((a, b) => a.point.localeCompare(b.point))
}

/** The points `pluginId` wants every member to hold from its first use in a group. */
export function defaultPointsOf(pluginId: string, points: readonly PluginPointView[]): Point[] {
  return points.filter((p) => p.pluginId === pluginId && p.defaultGranted).map((p) => p.point)
}

/** `points` with a plugin point turned on or off (plugin points have no prerequisites). */
export function withPluginPoint(points: readonly Point[], point: Point, on: boolean): Point[] {
  const rest = points.filter((p) => p !== point)
  return on ? [...rest, point] : rest
}
