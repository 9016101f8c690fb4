// Others' live cursors: each member in the panel shows `{ x, y }` (board units) through the panel's
// presence (signed, sent to live peers, never stored); this draws them as labelled pointers over the
// canvas. Nothing here is trusted beyond being two finite numbers.
import type { PanelContext } from '@tailmesh/plugin-sdk'
import type { Camera } from './render'
import { S } from './strings'

const COLORS = ['#d20f39', '#40a02b', '#8839ef', '#fe640b', '#04a5e5', '#ea76cb', '#179299', '#7287fd']

export const colorOf = (userId: string): string => {
  let h = 0
  for (let i = 0; i < userId.length; i++) h = (h * 31 + userId.charCodeAt(i)) >>> 0
  return COLORS[h % COLORS.length]!
}

export interface CursorLayer {
  /** Places the cursors for the camera (call after every redraw). */
  place(camera: Camera): void
  /** Shows my pointer at a board point, or nothing. */
  show(at: { x: number; y: number } | null): void
  dispose(): void
}

export function cursorLayer(stage: HTMLElement, ctx: PanelContext, onChange: () => void): CursorLayer {
  const doc = stage.ownerDocument
  const list = doc.createElement('ul')
  list.className = 'tm-wb-cursors'
  list.setAttribute('aria-label', ctx.t(S.others))
  stage.append(list)
  const items = new Map<string, { li: HTMLLIElement; x: number; y: number }>()

  const read = () => {
    const seen = new Set<string>()
    for (const [userId, data] of ctx.presence.others()) {
      const d = data as { x?: unknown; y?: unknown } | null
      if (!d || typeof d.x !== 'number' || typeof d.y !== 'number' || !Number.isFinite(d.x + d.y)) continue
      seen.add(userId)
      let item = items.get(userId)
      if (!item) {
        const li = doc.createElement('li')
        li.className = 'tm-wb-cursor'
        li.style.setProperty('--cursor', colorOf(userId))
        const label = doc.createElement('span')
        label.textContent = ctx.nameOf(userId)
        li.append(label)
        list.append(li)
        item = { li, x: d.x, y: d.y }
        items.set(userId, item)
      }
      item.x = d.x
      item.y = d.y
    }
    for (const [userId, item] of items)
      if (!seen.has(userId)) {
        item.li.remove()
        items.delete(userId)
      }
    onChange()
  }
  const off = ctx.presence.onChange(read)

  let last = ''
  return {
    place(camera) {
      for (const item of items.values()) {
        const sx = (item.x - camera.x) * camera.zoom
        const sy = (item.y - camera.y) * camera.zoom
        item.li.style.transform = `translate(${sx.toFixed(1)}px, ${sy.toFixed(1)}px)`
      }
    },
    show(at) {
      const data = at ? { x: Math.round(at.x), y: Math.round(at.y) } : null
      const json = JSON.stringify(data)
      if (json === last) return
      last = json
      ctx.presence.set(data)
    },
    dispose() {
      off()
      ctx.presence.set(null)
      list.remove()
    },
  }
}
