// Panels as the navigation shows them: top-level panels and categories in order, each category with
// its panels; and the moves that reorder them (move up / down among siblings).
import type { PanelView } from '../client'

export interface PanelNode {
  panel: PanelView
  children: PanelView[]
}

const byOrder = (a: PanelView, b: PanelView) => a.order - b.order || (a.id < b.id ? -1 : 1)

export function panelTree(panels: readonly PanelView[]): PanelNode[] {
  const ids = new Set(panels.map((p) => p.id))
  // A panel whose category is gone shows at the top level.
  const top = panels.filter((p) => p.parentId === undefined || !ids.has(p.parentId)).sort(byOrder)
  return top.map((panel) => ({
    panel,
    children: panel.type === 'category' ? panels.filter((p) => p.parentId === panel.id).sort(byOrder) : [],
  }))
}

export function siblings(panels: readonly PanelView[], id: string): PanelView[] {
  const me = panels.find((p) => p.id === id)
  if (!me) return []
  const ids = new Set(panels.map((p) => p.id))
  const parentOf = (p: PanelView) =>
    p.parentId !== undefined && ids.has(p.parentId) ? p.parentId : undefined
  return panels.filter((p) => parentOf(p) === parentOf(me)).sort(byOrder)
}

export interface Move {
  id: string
  parentId?: string
  order: number
}

/**
 * The moves that put panel `id` one place up (-1) or down (+1) among its siblings; empty at an end.
 * Siblings are renumbered 0..n-1, and only panels whose order changes are moved.
 */
export function reorder(panels: readonly PanelView[], id: string, delta: -1 | 1): Move[] {
  const list = siblings(panels, id)
  const i = list.findIndex((p) => p.id === id)
  const j = i + delta
  if (i < 0 || j < 0 || j >= list.length) return []
  const next = [...list]
  ;[next[i], next[j]] = [next[j]!, next[i]!]
  return placeAll(next)
}

/** The moves that put `id` at position `index` among its siblings (drag and drop). */
export function moveTo(panels: readonly PanelView[], id: string, index: number): Move[] {
  const list = siblings(panels, id)
  const me = list.find((p) => p.id === id)
  if (!me) return []
  const rest = list.filter((p) => p.id !== id)
  rest.splice(Math.max(0, Math.min(index, rest.length)), 0, me)
  return placeAll(rest)
}

function placeAll(list: PanelView[]): Move[] {
  return list
    .map((p, order) => ({ p, order }))
    .filter(({ p, order }) => p.order !== order)
    .map(({ p, order }) =>
      p.parentId === undefined ? { id: p.id, order } : { id: p.id, parentId: p.parentId, order },
    )
}
