// The whiteboard bench's page: builds a board of N pen strokes inside the page (a seeded random walk
// per stroke, through the plugin's own stroke model) and pans a canvas across it frame by frame, drawn
// either by the plugin's BoardRenderer (cached Path2D, culled to the viewport), by the same drawn into bitmap tiles (the panel's), or by the naive baseline
// (every outline computed and traced again each frame, nothing culled). Each frame's time covers the
// drawing and the raster it causes (a 1-pixel read makes the canvas finish drawing before the clock
// stops); the interval between animation frames is recorded too.
import { penStroke } from '@tailmesh/plugin-whiteboard/tools'
import type { BoardElement } from '@tailmesh/plugin-whiteboard/element'
import { BoardRenderer, drawNaive, type Camera } from '@tailmesh/plugin-whiteboard/render'
import { TiledRenderer } from '@tailmesh/plugin-whiteboard/tiles'

export interface FrameSample {
  /** Drawing + raster of each frame, ms. */
  work: number[]
  /** Between consecutive animation frames, ms. */
  interval: number[]
  /** Elements (tiles, for the tiled renderer) drawn in the last frame. */
  drawn: number
  /** The first frame, which builds every path (and the first tiles), ms; 0 for the baseline. */
  first: number
}

export type Mode = 'naive' | 'cached' | 'tiled'

export interface WhiteboardBenchApi {
  build(strokes: number, width: number, height: number): number
  pan(mode: Mode, frames: number, zoom: number): Promise<FrameSample>
}

declare global {
  interface Window {
    whiteboardBench: WhiteboardBenchApi
  }
}

function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

const COLORS = ['#1e66f5', '#d20f39', '#40a02b', '#8839ef', '#1f2328']
const canvas = document.createElement('canvas')
const W = 1280
const H = 800
canvas.width = W
canvas.height = H
canvas.style.width = `${W}px`
canvas.style.height = `${H}px`
document.body.style.margin = '0'
document.body.append(canvas)
const ctx = canvas.getContext('2d')!
let elements: BoardElement[] = []
let board = { w: 0, h: 0 }

window.whiteboardBench = {
  build(strokes, width, height) {
    const random = rng(20)
    board = { w: width, h: height }
    elements = []
    for (let i = 0; i < strokes; i++) {
      let x = random() * width
      let y = random() * height
      let angle = random() * Math.PI * 2
      const points: [number, number][] = []
      const n = 30 + Math.floor(random() * 50)
      for (let j = 0; j < n; j++) {
        angle += (random() - 0.5) * 0.6
        x += Math.cos(angle) * 4
        y += Math.sin(angle) * 4
        points.push([Math.round(x * 2) / 2, Math.round(y * 2) / 2])
      }
      const el = penStroke(
        points,
        { by: 'bench', color: COLORS[i % COLORS.length]!, size: 4 + (i % 4) * 2 },
        `s${i}xxxxx`,
      )!
      elements.push({ ...el, z: i })
    }
    return elements.length
  },
  pan(mode, frames, zoom) {
    const renderer = new BoardRenderer()
    const tiled = new TiledRenderer(() => new OffscreenCanvas(1, 1))
    const view = { w: W / zoom, h: H / zoom }
    // A brisk pan: 24 × 16 screen pixels a frame (about 1,700 px/s at 60 fps), from the board's top
    // left towards its far corner, turning back at the edge.
    const camera = (i: number): Camera => {
      const span = { x: Math.max(1, board.w - view.w), y: Math.max(1, board.h - view.h) }
      const bounce = (d: number, max: number) => {
        const k = d % (2 * max)
        return k <= max ? k : 2 * max - k
      }
      return { x: bounce((i * 24) / zoom, span.x), y: bounce((i * 16) / zoom, span.y), zoom }
    }
    const work: number[] = []
    const interval: number[] = []
    let drawn = 0
    let first = 0
    return new Promise((resolve) => {
      let last = 0
      let i = 0
      const frame = (now: number) => {
        if (last) interval.push(now - last)
        last = now
        const t0 = performance.now()
        ctx.setTransform(1, 0, 0, 1, 0, 0)
        ctx.fillStyle = '#ffffff'
        ctx.fillRect(0, 0, W, H)
        drawn =
          mode === 'cached'
            ? renderer.draw(ctx, elements, camera(i), W, H)
            : mode === 'tiled'
              ? tiled.draw(ctx, elements, camera(i), W, H)
              : drawNaive(ctx, elements, camera(i))
        ctx.getImageData(0, 0, 1, 1)
        // The first frame builds the paths (and tiles): reported apart, it is not panning.
        if (i === 0 && mode !== 'naive') first = performance.now() - t0
        else work.push(performance.now() - t0)
        // The panel builds the tiles around the view while the page is idle between frames.
        if (mode === 'tiled')
          requestIdleCallback(function prefetch() {
            if (tiled.prefetch()) requestIdleCallback(prefetch)
          })
        if (++i <= frames) requestAnimationFrame(frame)
        else resolve({ work, interval, drawn, first })
      }
      requestAnimationFrame(frame)
    })
  },
}
