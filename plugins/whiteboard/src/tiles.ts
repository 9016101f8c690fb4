// Bitmap tiles of the board for panning: the board is drawn once per zoom level into 256-pixel tiles
// (BoardRenderer, culled to each tile), and a frame is a few drawImage calls. Panning renders only the
// tiles that come into view; a change to the board redraws only the tiles its elements touch (old and
// new bounds, found by comparing element objects, which Board keeps while their entries are the same).
// So a view of the whole board pans as fast as a view of a corner, and the cost of the vector
// drawing is paid once per tile instead of once per frame.

import type { BoardElement } from './element'
import { intersects, type Box } from './geometry'
import { BoardRenderer, type Camera } from './render'

const TILE = 256
/** Tiles kept (256 KB each): several screens' worth; the least recently drawn go first. */
const MAX_TILES = 160

type Surface = HTMLCanvasElement | OffscreenCanvas
interface Tile {
  canvas: Surface
  i: number
  j: number
}

export class TiledRenderer {
  readonly vector = new BoardRenderer()
  private tiles = new Map<string, Tile>()
  private scale = 0
  private known = new Map<string, BoardElement>()
  private lastList: readonly BoardElement[] | null = null

  constructor(private readonly makeCanvas: () => Surface) {}

  bounds(el: BoardElement): Box {
    return this.vector.bounds(el)
  }

  /** Drops the tiles that elements changed since the last frame touch. */
  private invalidate(elements: readonly BoardElement[]): void {
    if (elements === this.lastList) return
    this.lastList = elements
    const dirty: Box[] = []
    const next = new Map<string, BoardElement>()
    for (const el of elements) {
      next.set(el.id, el)
      const before = this.known.get(el.id)
      if (before === el) continue
      dirty.push(this.vector.bounds(el))
      if (before) dirty.push(this.vector.bounds(before))
    }
    for (const [id, el] of this.known) if (!next.has(id)) dirty.push(this.vector.bounds(el))
    this.known = next
    if (!dirty.length || !this.tiles.size) return
    for (const [key, t] of this.tiles)
      if (dirty.some((d) => intersects(d, this.tileBox(t.i, t.j)))) this.tiles.delete(key)
  }

  private tileBox(i: number, j: number): Box {
    const s = TILE / this.scale
    // A stroke's bounds include its width; a pixel of slack covers antialiasing at the edge.
    const pad = 1 / this.scale
    return { minX: i * s - pad, minY: j * s - pad, maxX: (i + 1) * s + pad, maxY: (j + 1) * s + pad }
  }

  private tile(i: number, j: number, elements: readonly BoardElement[]): Tile {
    const key = `${i},${j}`
    let t = this.tiles.get(key)
    if (t) {
      // Most recently used last.
      this.tiles.delete(key)
      this.tiles.set(key, t)
      return t
    }
    const canvas = this.makeCanvas()
    canvas.width = TILE
    canvas.height = TILE
    // An OffscreenCanvas' 2D context draws paths, text and fills like a canvas element's.
    const g = canvas.getContext('2d') as CanvasRenderingContext2D
    const s = TILE / this.scale
    this.vector.draw(g, elements, { x: i * s, y: j * s, zoom: this.scale }, TILE, TILE, 1)
    t = { canvas, i, j }
    this.tiles.set(key, t)
    while (this.tiles.size > MAX_TILES) this.tiles.delete(this.tiles.keys().next().value!)
    return t
  }

  /** Draws what the camera sees; returns the number of tiles drawn. */
  draw(
    ctx: CanvasRenderingContext2D,
    elements: readonly BoardElement[],
    camera: Camera,
    width: number,
    height: number,
    dpr = 1,
  ): number {
    const scale = camera.zoom * dpr
    if (scale !== this.scale) {
      this.tiles.clear()
      this.scale = scale
    }
    this.invalidate(elements)
    // Whole device pixels: a tile drawn at a fraction of a pixel would be resampled (blurred).
    const ox = Math.round(camera.x * scale)
    const oy = Math.round(camera.y * scale)
    const i0 = Math.floor(ox / TILE)
    const j0 = Math.floor(oy / TILE)
    const i1 = Math.floor((ox + width * dpr) / TILE)
    const j1 = Math.floor((oy + height * dpr) / TILE)
    ctx.setTransform(1, 0, 0, 1, 0, 0)
    let n = 0
    for (let j = j0; j <= j1; j++)
      for (let i = i0; i <= i1; i++) {
        ctx.drawImage(this.tile(i, j, elements).canvas, i * TILE - ox, j * TILE - oy)
        n++
      }
    this.ring = { i0: i0 - 1, j0: j0 - 1, i1: i1 + 1, j1: j1 + 1, elements }
    return n
  }

  private ring: { i0: number; j0: number; i1: number; j1: number; elements: readonly BoardElement[] } | null =
    null

  /**
   * Builds one missing tile of the ring around the last frame's view; false when there is none. Call
   * it while the page is idle (requestIdleCallback) so panning finds its next tiles ready instead of
   * building a row of them within one frame.
   */
  prefetch(): boolean {
    const r = this.ring
    if (!r || (r.i1 - r.i0 + 1) * (r.j1 - r.j0 + 1) > MAX_TILES) return false
    for (let j = r.j0; j <= r.j1; j++)
      for (let i = r.i0; i <= r.i1; i++)
        if ((j === r.j0 || j === r.j1 || i === r.i0 || i === r.i1) && !this.tiles.has(`${i},${j}`)) {
          this.tile(i, j, r.elements)
          return true
        }
    return false
  }
}
