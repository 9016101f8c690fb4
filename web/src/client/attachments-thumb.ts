// Thumbnails made in the browser: the image is decoded with createImageBitmap and drawn on a canvas of
// at most 320 px, then encoded as WebP (JPEG where the browser cannot encode WebP), stepping the size
// and quality down until it fits core's cap for an inline thumbnail. Only the image's own pixels
// travel: no metadata (EXIF location) survives a canvas.
import { BLOB_LIMITS } from '@tailmesh/core'

export interface Thumbnail {
  /** The image's own size in pixels. */
  width: number
  height: number
  /** A data: URL small enough to travel in the message, or null if none fits. */
  dataUrl: string | null
}

const STEPS: readonly [side: number, quality: number][] = [
  [320, 0.8],
  [320, 0.6],
  [240, 0.6],
  [160, 0.5],
  [96, 0.5],
]

export async function makeThumbnail(image: Blob): Promise<Thumbnail> {
  const bitmap = await createImageBitmap(image)
  try {
    const { width, height } = bitmap
    for (const [side, quality] of STEPS) {
      const scale = Math.min(1, side / Math.max(width, height))
      const canvas = document.createElement('canvas')
      canvas.width = Math.max(1, Math.round(width * scale))
      canvas.height = Math.max(1, Math.round(height * scale))
      const context = canvas.getContext('2d')
      if (!context) break
      context.drawImage(bitmap, 0, 0, canvas.width, canvas.height)
      let url = canvas.toDataURL('image/webp', quality)
      if (!url.startsWith('data:image/webp')) url = canvas.toDataURL('image/jpeg', quality)
      if (url.length <= BLOB_LIMITS.thumbDataUrl) return { width, height, dataUrl: url }
    }
    return { width, height, dataUrl: null }
  } finally {
    bitmap.close()
  }
}
