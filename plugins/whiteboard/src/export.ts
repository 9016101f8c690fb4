// The board as a file: SVG (vector, the same outlines the canvas draws, text as text) and PNG (the
// canvas renderer into an offscreen canvas). Both frame everything on the board with a margin.

import type { BoardElement } from './element'
import { LINE_HEIGHT, linesOf, localBounds, pathData, unionOf, worldBounds, type Box } from './geometry'
import { BoardRenderer, STICKY_INK } from './render'

const MARGIN = 20
/** A PNG is at most this many pixels on a side (scaled down to fit). */
const MAX_PNG_SIDE = 4096

const escapeXml = (s: string): string =>
  s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)

/** What the export frames: every element's bounds plus a margin (a blank board: a small empty page). */
export function frameOf(elements: readonly BoardElement[]): Box {
  const all = unionOf(elements.map((e) => worldBounds(e, localBounds(e)))) ?? {
    minX: 0,
    minY: 0,
    maxX: 200,
    maxY: 100,
  }
  return {
    minX: all.minX - MARGIN,
    minY: all.minY - MARGIN,
    maxX: all.maxX + MARGIN,
    maxY: all.maxY + MARGIN,
  }
}

function svgElement(el: BoardElement): string {
  const at = `transform="translate(${el.x} ${el.y})"`
  switch (el.kind) {
    case 'pen':
      return `<path ${at} d="${pathData(el)}" fill="${el.color}"/>`
    case 'text':
      return `<text ${at} fill="${el.color}" font-size="${el.size}" dominant-baseline="hanging">${linesOf(
        el.text,
      )
        .map((l, i) => `<tspan x="0" y="${i * el.size * LINE_HEIGHT}">${escapeXml(l)}</tspan>`)
        .join('')}</text>`
    case 'sticky':
      return `<g ${at}><rect width="${el.w}" height="${el.h}" fill="${el.color}"/><text fill="${STICKY_INK}" font-size="16" dominant-baseline="hanging">${linesOf(
        el.text,
      )
        .map((l, i) => `<tspan x="10" y="${10 + i * 16 * LINE_HEIGHT}">${escapeXml(l)}</tspan>`)
        .join('')}</text></g>`
    default:
      return `<path ${at} d="${pathData(el)}" fill="none" stroke="${el.color}" stroke-width="${el.size}" stroke-linecap="round" stroke-linejoin="round"/>`
  }
}

/** A standalone SVG document of the board, bottom element first. */
export function boardSvg(elements: readonly BoardElement[]): string {
  const f = frameOf(elements)
  const w = f.maxX - f.minX
  const h = f.maxY - f.minY
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="${f.minX} ${f.minY} ${w} ${h}" font-family="system-ui, sans-serif">`,
    `<rect x="${f.minX}" y="${f.minY}" width="${w}" height="${h}" fill="#ffffff"/>`,
    ...elements.map(svgElement),
    '</svg>',
  ].join('\n')
}

/** A PNG of the board on white. */
export function boardPng(elements: readonly BoardElement[], doc: Document): Promise<Blob> {
  const f = frameOf(elements)
  const w = f.maxX - f.minX
  const h = f.maxY - f.minY
  const zoom = Math.min(1, MAX_PNG_SIDE / Math.max(w, h))
  const canvas = doc.createElement('canvas')
  canvas.width = Math.max(1, Math.ceil(w * zoom))
  canvas.height = Math.max(1, Math.ceil(h * zoom))
  const ctx = canvas.getContext('2d')
  if (!ctx) return Promise.reject(new Error('This browser cannot draw a PNG here.'))
  ctx.fillStyle = '#ffffff'
  ctx.fillRect(0, 0, canvas.width, canvas.height)
  new BoardRenderer().draw(ctx, elements, { x: f.minX, y: f.minY, zoom }, w * zoom, h * zoom)
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The PNG could not be made.'))), 'image/png'),
  )
}

/** Offers `blob` as a download called `name`. */
export function download(doc: Document, blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  const a = doc.createElement('a')
  a.href = url
  a.download = name
  a.rel = 'noopener'
  doc.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
