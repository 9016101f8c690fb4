// Which emoji version this device's fonts draw: newer emoji would show as empty boxes, or as two
// glyphs side by side for a sequence the font does not join, so the picker leaves them out (as
// emoji-picker-element does). A colour glyph ignores the fill colour, a missing one does not, and a
// joined sequence is one glyph wide.

const FONT = '16px "Noto Color Emoji", "Apple Color Emoji", "Segoe UI Emoji", "Twemoji Mozilla", sans-serif'

/**
 * Whether the emoji renders as one colour glyph here, or null when the canvas cannot tell (no canvas,
 * or a browser that blurs what a canvas reads back against fingerprinting).
 */
function drawsInColour(ctx: CanvasRenderingContext2D, emoji: string, width: number): boolean | null {
  const w = ctx.measureText(emoji).width
  if (width > 0 && w > width * 1.4) return false
  const pixels = (colour: string): Uint8ClampedArray => {
    ctx.clearRect(0, 0, 32, 32)
    ctx.fillStyle = colour
    ctx.fillText(emoji, 0, 0)
    return ctx.getImageData(0, 0, 32, 32).data
  }
  const a = pixels('#000')
  const b = pixels('#fff')
  if (!a.some((v, i) => i % 4 === 3 && v > 0)) return null
  return a.every((v, i) => v === b[i])
}

/**
 * The highest emoji version whose sample draws here, given a sample per version (ascending); Infinity
 * when that cannot be told (nothing is left out then).
 */
export function supportedVersion(samples: readonly { version: number; emoji: string }[]): number {
  let ctx: CanvasRenderingContext2D | null
  try {
    ctx = document.createElement('canvas').getContext('2d', { willReadFrequently: true })
  } catch {
    return Infinity
  }
  if (!ctx) return Infinity
  ctx.font = FONT
  ctx.textBaseline = 'top'
  const width = ctx.measureText('😀').width
  if (drawsInColour(ctx, '😀', width) !== true) return Infinity
  let max = 0
  for (const s of samples) {
    if (drawsInColour(ctx, s.emoji, width) !== true) break
    max = s.version
  }
  return max
}
