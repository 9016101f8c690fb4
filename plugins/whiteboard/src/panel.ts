// The whiteboard panel, framework-free: a toolbar, a canvas drawn by BoardRenderer, others' cursors,
// a text editor that appears where text or a sticky note goes, and a list of what is on the board
// (for screen readers and the keyboard: each entry selects its element).
//
// Every write goes through Board (signed plugin-state changes). The UI greys out the drawing tools for
// members without the draw point, but does not stand in for the gate: a write from a tampered UI is
// refused by this peer's gate (the reason shows) and by every other peer's.

import type { Dispose, PanelContext } from '@tailmesh/plugin-sdk'
import { cursorLayer } from './cursors'
import type { BoardElement } from './element'
import { boardPng, boardSvg, download } from './export'
import { contains, intersects, type Box } from './geometry'
import { DRAW_POINT } from './manifest'
import type { Point } from './points-codec'
import { BoardRenderer, type Camera } from './render'
import { TiledRenderer } from './tiles'
import { Board } from './scene'
import { S, fill } from './strings'
import { ensureStyle } from './style'
import { DRAWING_TOOLS, TOOLS, penStroke, shape, stickyAt, textAt, type Tool } from './tools'

const LIST_LIMIT = 200
const ZOOM_MIN = 0.05
const ZOOM_MAX = 8

type Gesture =
  | { kind: 'draw'; tool: Tool; points: Point[] }
  | { kind: 'move'; from: Point; to: Point }
  | { kind: 'marquee'; from: Point; to: Point }
  | { kind: 'pan'; sx: number; sy: number; camera: Camera }

export function mountWhiteboard(el: HTMLElement, ctx: PanelContext): Dispose {
  const doc = el.ownerDocument
  ensureStyle(doc)
  const board = new Board(ctx.state)
  const renderer = new TiledRenderer(() =>
    typeof OffscreenCanvas === 'function' ? new OffscreenCanvas(1, 1) : doc.createElement('canvas'),
  )
  const t = ctx.t

  const root = doc.createElement('div')
  root.className = 'tm-wb'
  const toolbar = doc.createElement('div')
  toolbar.className = 'tm-wb-tools'
  toolbar.setAttribute('role', 'toolbar')
  toolbar.setAttribute('aria-label', t(S.toolbar))
  const note = doc.createElement('p')
  note.className = 'tm-wb-note'
  note.setAttribute('role', 'status')
  const alert = doc.createElement('p')
  alert.className = 'tm-wb-error'
  alert.setAttribute('role', 'alert')
  const stage = doc.createElement('div')
  stage.className = 'tm-wb-stage'
  const canvas = doc.createElement('canvas')
  canvas.tabIndex = 0
  canvas.setAttribute('role', 'img')
  canvas.setAttribute('aria-label', t(S.canvas))
  stage.append(canvas)
  const details = doc.createElement('details')
  details.className = 'tm-wb-list'
  const summary = doc.createElement('summary')
  const list = doc.createElement('ul')
  list.setAttribute('aria-label', t(S.contents))
  details.append(summary, list)
  root.append(toolbar, note, alert, stage, details)
  el.append(root)

  // ---- state ----
  let tool: Tool = 'pen'
  let color = '#1e66f5'
  let camera: Camera = { x: 0, y: 0, zoom: 1 }
  let selected = new Set<string>()
  let gesture: Gesture | null = null
  let size = { w: 0, h: 0, dpr: 1 }
  const can = () => ctx.can(DRAW_POINT, ctx.panelId) && ctx.can('viewPanel', ctx.panelId)

  const fail = (e: unknown) => {
    alert.textContent = e instanceof Error ? e.message : String(e)
    board.read()
    redraw()
    refresh()
  }
  const write = (p: Promise<void>) => {
    alert.textContent = ''
    p.then(() => refresh(), fail)
    // Draw at once: the change is in the document before it is signed.
    board.read()
    redraw()
  }

  // ---- toolbar ----
  const button = (label: string, onClick: () => void): HTMLButtonElement => {
    const b = doc.createElement('button')
    b.type = 'button'
    b.textContent = label
    b.addEventListener('click', onClick)
    toolbar.append(b)
    return b
  }
  const sep = () => toolbar.append(Object.assign(doc.createElement('span'), { className: 'tm-wb-sep' }))
  const toolButtons = new Map<Tool, HTMLButtonElement>()
  for (const which of TOOLS) {
    const b = button(t(S[which]), () => setTool(which))
    toolButtons.set(which, b)
  }
  const colorInput = doc.createElement('input')
  colorInput.type = 'color'
  colorInput.value = color
  colorInput.setAttribute('aria-label', t(S.color))
  colorInput.addEventListener('input', () => (color = colorInput.value))
  toolbar.append(colorInput)
  sep()
  const undoButton = button(t(S.undo), () => write(board.history.undo()))
  const redoButton = button(t(S.redo), () => write(board.history.redo()))
  const deleteButton = button(t(S.remove), () => removeSelected())
  sep()
  button(t(S.zoomOut), () => zoomAt(1 / 1.25, size.w / 2, size.h / 2))
  button(t(S.zoomIn), () => zoomAt(1.25, size.w / 2, size.h / 2))
  button(t(S.resetView), () => {
    camera = { x: 0, y: 0, zoom: 1 }
    redraw()
  })
  const zoomLabel = doc.createElement('span')
  zoomLabel.className = 'tm-wb-zoom'
  toolbar.append(zoomLabel)
  sep()
  button(t(S.exportPng), () => {
    boardPng(board.elements(), doc).then((png) => download(doc, png, `${fileName()}.png`), fail)
  })
  button(t(S.exportSvg), () => {
    download(doc, new Blob([boardSvg(board.elements())], { type: 'image/svg+xml' }), `${fileName()}.svg`)
  })
  const fileName = () => (ctx.panelName || 'whiteboard').replace(/[^\p{L}\p{N}_-]+/gu, '-')

  function setTool(which: Tool): void {
    tool = which
    if (which !== 'select') selected = new Set()
    refresh()
    redraw()
  }

  /** Buttons, notes and the list, from the board and my rights now. */
  function refresh(): void {
    const allowed = can()
    for (const [which, b] of toolButtons) {
      b.setAttribute('aria-pressed', String(which === tool))
      b.disabled = !allowed && DRAWING_TOOLS.includes(which)
    }
    if (!allowed && DRAWING_TOOLS.includes(tool)) {
      tool = 'select'
      toolButtons.get('select')!.setAttribute('aria-pressed', 'true')
    }
    colorInput.disabled = !allowed
    undoButton.disabled = !allowed || !board.history.canUndo()
    redoButton.disabled = !allowed || !board.history.canRedo()
    deleteButton.disabled = !allowed || selected.size === 0
    note.textContent = allowed ? '' : t(S.viewOnly)
    zoomLabel.textContent = fill(t(S.zoom), { n: Math.round(camera.zoom * 100) })
    renderList()
  }

  function renderList(): void {
    const all = board.elements()
    summary.textContent = `${t(S.contents)} (${all.length})`
    const shown = all.slice(-LIST_LIMIT).reverse()
    list.replaceChildren(
      ...shown.map((e) => {
        const li = doc.createElement('li')
        li.dataset.elementId = e.id
        const b = doc.createElement('button')
        b.type = 'button'
        const what = t(S.kind[e.kind])
        const text = 'text' in e && e.text ? `: ${e.text.slice(0, 40)}` : ''
        b.textContent = fill(t(S.by), { what, who: e.by ? ctx.nameOf(e.by) : '?' }) + text
        b.setAttribute('aria-pressed', String(selected.has(e.id)))
        b.addEventListener('click', () => {
          setTool('select')
          selected = new Set([e.id])
          reveal(e)
          refresh()
          redraw()
        })
        li.append(b)
        return li
      }),
    )
    if (all.length > LIST_LIMIT) {
      const li = doc.createElement('li')
      li.textContent = fill(t(S.more), { n: all.length - LIST_LIMIT })
      list.append(li)
    }
    if (!all.length) {
      const li = doc.createElement('li')
      li.textContent = t(S.empty)
      list.append(li)
    }
  }

  // ---- drawing ----
  const g2d = canvas.getContext('2d')!
  let frame = 0
  function redraw(): void {
    if (frame) return
    frame = requestAnimationFrame(paint)
  }
  function paint(): void {
    frame = 0
    const { w, h, dpr } = size
    g2d.setTransform(1, 0, 0, 1, 0, 0)
    g2d.clearRect(0, 0, canvas.width, canvas.height)
    const moving = gesture?.kind === 'move' ? gesture : null
    const elements = moving
      ? board.elements().map((e) => (selected.has(e.id) ? shifted(e, moving) : e))
      : board.elements()
    renderer.draw(g2d, elements, camera, w, h, dpr)
    const preview = previewElement()
    // The stroke being drawn changes every frame: a renderer of its own keeps it out of the cache.
    if (preview) new BoardRenderer().draw(g2d, [preview], camera, w, h, dpr)
    g2d.setTransform(dpr, 0, 0, dpr, 0, 0)
    g2d.lineWidth = 1
    g2d.setLineDash([4, 3])
    g2d.strokeStyle = '#1e66f5'
    for (const e of elements)
      if (selected.has(e.id)) {
        const b = renderer.bounds(e)
        const [x, y] = toScreen(b.minX, b.minY)
        g2d.strokeRect(x - 3, y - 3, (b.maxX - b.minX) * camera.zoom + 6, (b.maxY - b.minY) * camera.zoom + 6)
      }
    if (gesture?.kind === 'marquee') {
      const [x0, y0] = toScreen(...gesture.from)
      const [x1, y1] = toScreen(...gesture.to)
      g2d.strokeRect(Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0), Math.abs(y1 - y0))
    }
    g2d.setLineDash([])
    g2d.setTransform(1, 0, 0, 1, 0, 0)
    cursors.place(camera)
    schedulePrefetch()
  }

  // Tiles around the view are built while the page is idle, one at a time.
  let idle = 0
  const view = doc.defaultView
  function schedulePrefetch(): void {
    if (idle || !view) return
    const run = () => {
      idle = 0
      if (renderer.prefetch()) schedulePrefetch()
    }
    // Safari has no requestIdleCallback: a short timeout stands in.
    idle =
      typeof view.requestIdleCallback === 'function'
        ? view.requestIdleCallback(run, { timeout: 500 })
        : Number(setTimeout(run, 50))
  }

  const shifted = (e: BoardElement, m: { from: Point; to: Point }): BoardElement => ({
    ...e,
    x: e.x + m.to[0] - m.from[0],
    y: e.y + m.to[1] - m.from[1],
  })

  const author = () => ({ by: ctx.me.userId, color, size: 6 })
  function previewElement(): BoardElement | null {
    if (gesture?.kind !== 'draw') return null
    const pts = gesture.points
    if (gesture.tool === 'pen') return penStroke(pts, author(), 'preview0')
    if (
      gesture.tool === 'rect' ||
      gesture.tool === 'ellipse' ||
      gesture.tool === 'line' ||
      gesture.tool === 'arrow'
    )
      return shape(gesture.tool, pts[0]!, pts.at(-1)!, author(), 'preview0')
    return null
  }

  const toScreen = (x: number, y: number): [number, number] => [
    (x - camera.x) * camera.zoom,
    (y - camera.y) * camera.zoom,
  ]
  const toBoard = (sx: number, sy: number): Point => [
    sx / camera.zoom + camera.x,
    sy / camera.zoom + camera.y,
  ]
  const pointOf = (e: PointerEvent | MouseEvent): Point => {
    const r = canvas.getBoundingClientRect()
    return toBoard(e.clientX - r.left, e.clientY - r.top)
  }

  function zoomAt(factor: number, sx: number, sy: number): void {
    const zoom = Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, camera.zoom * factor))
    const [bx, by] = toBoard(sx, sy)
    camera = { zoom, x: bx - sx / zoom, y: by - sy / zoom }
    refresh()
    redraw()
  }

  /** Pans so that `e` is in view (selected from the list). */
  function reveal(e: BoardElement): void {
    const b = renderer.bounds(e)
    const view: Box = {
      minX: camera.x,
      minY: camera.y,
      maxX: camera.x + size.w / camera.zoom,
      maxY: camera.y + size.h / camera.zoom,
    }
    if (intersects(b, view)) return
    camera = {
      ...camera,
      x: (b.minX + b.maxX) / 2 - size.w / 2 / camera.zoom,
      y: (b.minY + b.maxY) / 2 - size.h / 2 / camera.zoom,
    }
  }

  /** The topmost element under a board point. */
  function hit(p: Point): BoardElement | null {
    const slack = 4 / camera.zoom
    const all = board.elements()
    for (let i = all.length - 1; i >= 0; i--) {
      const e = all[i]!
      const b = renderer.bounds(e)
      if (
        !contains(
          { minX: b.minX - slack, minY: b.minY - slack, maxX: b.maxX + slack, maxY: b.maxY + slack },
          p[0],
          p[1],
        )
      )
        continue
      if (e.kind !== 'pen') return e
      const r = e.size + slack
      if (e.points.some(([x, y]) => Math.hypot(x + e.x - p[0], y + e.y - p[1]) <= r)) return e
    }
    return null
  }

  function removeSelected(): void {
    if (!selected.size) return
    const ids = [...selected]
    selected = new Set()
    write(board.remove(ids))
  }

  // ---- text and sticky notes ----
  let editor: HTMLTextAreaElement | null = null
  function openEditor(at: Point, kind: 'text' | 'sticky', existing?: BoardElement): void {
    closeEditor(false)
    const area = doc.createElement('textarea')
    area.className = 'tm-wb-editor'
    area.setAttribute('aria-label', t(kind === 'text' ? S.textInput : S.stickyInput))
    area.value = existing && 'text' in existing ? existing.text : ''
    const [sx, sy] = toScreen(...at)
    area.style.left = `${sx}px`
    area.style.top = `${sy}px`
    stage.append(area)
    editor = area
    const commit = () => {
      if (editor !== area) return
      editor = null
      area.remove()
      const text = area.value.trim()
      if (existing && 'text' in existing) {
        if (text && text !== existing.text) write(board.update({ ...existing, text } as BoardElement))
        else if (!text) write(board.remove([existing.id]))
      } else if (text)
        write(board.add(kind === 'text' ? textAt(at, text, author()) : stickyAt(at, text, author())))
      canvas.focus()
    }
    area.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey) {
        e.preventDefault()
        commit()
      } else if (e.key === 'Escape') {
        closeEditor(false)
        canvas.focus()
      }
    })
    area.addEventListener('blur', commit)
    // After this pointer gesture has ended, or the canvas takes the focus back.
    setTimeout(() => area.focus(), 0)
  }
  function closeEditor(keep: boolean): void {
    if (!editor) return
    const area = editor
    editor = null
    if (!keep) area.remove()
  }

  // ---- pointer ----
  let spaceHeld = false
  canvas.addEventListener('pointerdown', (e) => {
    if (e.button !== 0 && e.button !== 1) return
    canvas.focus()
    canvas.setPointerCapture(e.pointerId)
    const p = pointOf(e)
    if (e.button === 1 || tool === 'pan' || spaceHeld) {
      gesture = { kind: 'pan', sx: e.clientX, sy: e.clientY, camera }
      return
    }
    if (tool === 'text' || tool === 'sticky') {
      e.preventDefault()
      openEditor(p, tool)
      return
    }
    if (tool === 'select') {
      const target = hit(p)
      if (target) {
        if (e.shiftKey) {
          if (selected.has(target.id)) selected.delete(target.id)
          else selected.add(target.id)
        } else if (!selected.has(target.id)) selected = new Set([target.id])
        gesture = can() && selected.size ? { kind: 'move', from: p, to: p } : null
      } else {
        if (!e.shiftKey) selected = new Set()
        gesture = { kind: 'marquee', from: p, to: p }
      }
      refresh()
      redraw()
      return
    }
    gesture = { kind: 'draw', tool, points: [p] }
  })
  canvas.addEventListener('pointermove', (e) => {
    const p = pointOf(e)
    cursors.show({ x: p[0], y: p[1] })
    if (!gesture) return
    if (gesture.kind === 'pan') {
      const g = gesture
      camera = {
        ...g.camera,
        x: g.camera.x - (e.clientX - g.sx) / g.camera.zoom,
        y: g.camera.y - (e.clientY - g.sy) / g.camera.zoom,
      }
    } else if (gesture.kind === 'draw') {
      const events = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : []
      for (const c of events.length ? events : [e]) gesture.points.push(pointOf(c))
    } else gesture.to = p
    redraw()
  })
  const finish = () => {
    const g = gesture
    gesture = null
    if (!g) return
    if (g.kind === 'draw') {
      const made =
        g.tool === 'pen'
          ? penStroke(g.points, author())
          : g.tool === 'rect' || g.tool === 'ellipse' || g.tool === 'line' || g.tool === 'arrow'
            ? shape(g.tool, g.points[0]!, g.points.at(-1)!, author())
            : null
      if (made) write(board.add(made))
    } else if (g.kind === 'move') {
      const dx = g.to[0] - g.from[0]
      const dy = g.to[1] - g.from[1]
      if (dx || dy) write(board.move(selected, dx, dy))
    } else if (g.kind === 'marquee') {
      const box: Box = {
        minX: Math.min(g.from[0], g.to[0]),
        minY: Math.min(g.from[1], g.to[1]),
        maxX: Math.max(g.from[0], g.to[0]),
        maxY: Math.max(g.from[1], g.to[1]),
      }
      if (box.maxX - box.minX > 0 || box.maxY - box.minY > 0)
        for (const e of board.elements()) if (intersects(renderer.bounds(e), box)) selected.add(e.id)
      refresh()
    } else refresh()
    redraw()
  }
  canvas.addEventListener('pointerup', finish)
  canvas.addEventListener('pointercancel', () => {
    gesture = null
    redraw()
  })
  canvas.addEventListener('pointerleave', () => cursors.show(null))
  canvas.addEventListener('dblclick', (e) => {
    const target = tool === 'select' ? hit(pointOf(e)) : null
    if (target && (target.kind === 'text' || target.kind === 'sticky') && can())
      openEditor([target.x, target.y], target.kind, target)
  })
  canvas.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault()
      const r = canvas.getBoundingClientRect()
      if (e.ctrlKey || e.metaKey) zoomAt(Math.exp(-e.deltaY / 300), e.clientX - r.left, e.clientY - r.top)
      else {
        camera = { ...camera, x: camera.x + e.deltaX / camera.zoom, y: camera.y + e.deltaY / camera.zoom }
        redraw()
      }
    },
    { passive: false },
  )

  // ---- keyboard ----
  canvas.addEventListener('keydown', (e) => {
    const mod = e.ctrlKey || e.metaKey
    if (e.key === ' ') {
      spaceHeld = true
      e.preventDefault()
    } else if (mod && e.key.toLowerCase() === 'z') {
      e.preventDefault()
      if (can()) write(e.shiftKey ? board.history.redo() : board.history.undo())
    } else if (mod && e.key.toLowerCase() === 'y') {
      e.preventDefault()
      if (can()) write(board.history.redo())
    } else if ((e.key === 'Delete' || e.key === 'Backspace') && can()) {
      e.preventDefault()
      removeSelected()
    } else if (e.key === 'Escape') {
      selected = new Set()
      refresh()
      redraw()
    } else if (e.key === '+' || e.key === '=') zoomAt(1.25, size.w / 2, size.h / 2)
    else if (e.key === '-') zoomAt(1 / 1.25, size.w / 2, size.h / 2)
    else if (e.key.startsWith('Arrow')) {
      e.preventDefault()
      const step = (e.shiftKey ? 50 : 10) / camera.zoom
      const dx = e.key === 'ArrowLeft' ? -step : e.key === 'ArrowRight' ? step : 0
      const dy = e.key === 'ArrowUp' ? -step : e.key === 'ArrowDown' ? step : 0
      if (selected.size && can()) write(board.move(selected, dx, dy))
      else {
        camera = { ...camera, x: camera.x + dx, y: camera.y + dy }
        redraw()
      }
    }
  })
  canvas.addEventListener('keyup', (e) => {
    if (e.key === ' ') spaceHeld = false
  })

  // ---- size, others' edits, cursors ----
  const resize = () => {
    const r = stage.getBoundingClientRect()
    const dpr = doc.defaultView?.devicePixelRatio ?? 1
    size = { w: r.width, h: r.height, dpr }
    canvas.width = Math.max(1, Math.round(r.width * dpr))
    canvas.height = Math.max(1, Math.round(r.height * dpr))
    redraw()
  }
  const View = doc.defaultView as (Window & typeof globalThis) | null
  const observer = View && 'ResizeObserver' in View ? new View.ResizeObserver(resize) : null
  observer?.observe(stage)
  resize()

  const cursors = cursorLayer(stage, ctx, redraw)
  const offState = ctx.state.onChange(() => {
    if (!board.read()) return refresh()
    renderer.vector.prune(board.elements())
    for (const id of selected) if (!board.get(id)) selected.delete(id)
    refresh()
    redraw()
  })
  refresh()

  return () => {
    offState()
    observer?.disconnect()
    cursors.dispose()
    if (frame) cancelAnimationFrame(frame)
    if (idle && view) {
      if (typeof view.cancelIdleCallback === 'function') view.cancelIdleCallback(idle)
      else clearTimeout(idle)
    }
    board.dispose()
    root.remove()
  }
}
