// Everywhere the quick switcher (and the forward dialog) can go: each group, each of its panels that
// opens (not categories) and each DM, with a fuzzy match over their names. Pure functions over the
// group handles, so they are unit-tested without a page.
import type { GroupHandle } from '../../client'
import { dmSummary } from '../../client/friends-dm'

export type PlaceKind = 'group' | 'panel' | 'dm'

export interface Place {
  /** Unique among places: `${groupId}` for groups and DMs, `${groupId}/${panelId}` for panels. */
  key: string
  kind: PlaceKind
  groupId: string
  /** The panel to open (a DM's only panel, a group's first text panel, or this panel). */
  panelId: string | undefined
  /** What the person reads: a group's or DM's name, a panel's "#name". */
  label: string
  /** The group a panel is in. */
  group: string
  /** Text panels (and DMs) take messages: forward targets. */
  text: boolean
}

export function placesOf(handles: readonly GroupHandle[]): Place[] {
  const out: Place[] = []
  for (const h of handles) {
    const info = h.info()
    if (!info || info.config.closed === true || !h.isMember()) continue
    const panels = h.panels().filter((p) => p.type !== 'category')
    const firstText = panels.find((p) => p.type === 'text')
    const summary = dmSummary(h)
    if (summary.dm) {
      out.push({
        key: h.groupId,
        kind: 'dm',
        groupId: h.groupId,
        panelId: firstText?.id,
        label: summary.name ?? info.name,
        group: summary.name ?? info.name,
        text: !!firstText,
      })
      continue
    }
    out.push({
      key: h.groupId,
      kind: 'group',
      groupId: h.groupId,
      panelId: firstText?.id,
      label: info.name,
      group: info.name,
      text: false,
    })
    for (const p of panels)
      out.push({
        key: `${h.groupId}/${p.id}`,
        kind: 'panel',
        groupId: h.groupId,
        panelId: p.id,
        label: `#${p.name}`,
        group: info.name,
        text: p.type === 'text',
      })
  }
  return out
}

/**
 * How well `query` matches `text` as a subsequence (case-insensitive), higher is better, or -1. A run
 * of consecutive letters and a match at the start of a word score more, so "gen" ranks "#general"
 * above "#design-engineering".
 */
export function fuzzyScore(query: string, text: string): number {
  const q = query.toLowerCase().replace(/\s+/g, '')
  if (!q) return 0
  const s = text.toLowerCase()
  let score = 0
  let at = 0
  let run = 0
  for (const ch of q) {
    const i = s.indexOf(ch, at)
    if (i < 0) return -1
    run = i === at && at > 0 ? run + 1 : 0
    const wordStart = i === 0 || /[\s#@\-_/›·]/.test(s[i - 1]!)
    score += 1 + run * 2 + (wordStart ? 3 : 0) - Math.min(i - at, 5) * 0.1
    at = i + 1
  }
  return score - s.length * 0.01
}

/** Places matching `query`, best first; with no query, all of them in their order. */
export function filterPlaces(places: readonly Place[], query: string, limit = 50): Place[] {
  if (!query.trim()) return places.slice(0, limit)
  return places
    .map((p) => ({
      p,
      score: Math.max(fuzzyScore(query, p.label), fuzzyScore(query, `${p.group} ${p.label}`) - 1),
    }))
    .filter((x) => x.score >= 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map((x) => x.p)
}
