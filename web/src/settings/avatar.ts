// An avatar from any image file the person picks: cropped to a centred square and drawn small, then
// encoded as a data: URL that fits core's profile limit (the profile travels in every group's member
// record, so it must stay a couple of kilobytes). Tries the largest size and best quality first and
// steps down until it fits.
import { PROFILE_LIMITS } from '../client'

export const AVATAR_MAX_PX = 96
const SIZES = [96, 80, 64, 48, 40, 32]
const QUALITIES = [0.8, 0.6, 0.45, 0.3]

export class AvatarError extends Error {
  constructor(readonly reason: 'unreadable' | 'tooBig') {
    super(reason === 'unreadable' ? 'Not a readable image.' : 'The image cannot be made small enough.')
  }
}

/** A data: URL of at most `maxChars` characters showing `file`, at most AVATAR_MAX_PX square. */
export async function avatarFromFile(
  file: Blob,
  maxChars: number = PROFILE_LIMITS.maxAvatarChars,
): Promise<string> {
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(file)
  } catch {
    throw new AvatarError('unreadable')
  }
  try {
    const side = Math.min(bitmap.width, bitmap.height)
    const sx = (bitmap.width - side) / 2
    const sy = (bitmap.height - side) / 2
    const canvas = document.createElement('canvas')
    const context = canvas.getContext('2d')
    if (!context || side === 0) throw new AvatarError('unreadable')
    for (const size of SIZES.filter((s) => s <= AVATAR_MAX_PX)) {
      canvas.width = canvas.height = Math.min(size, side)
      context.imageSmoothingQuality = 'high'
      context.drawImage(bitmap, sx, sy, side, side, 0, 0, canvas.width, canvas.height)
      for (const quality of QUALITIES) {
        // WebP where the browser writes it (toDataURL falls back to PNG otherwise), then JPEG.
        for (const type of ['image/webp', 'image/jpeg']) {
          const url = canvas.toDataURL(type, quality)
          if (url.startsWith(`data:${type}`) && url.length <= maxChars) return url
        }
      }
    }
    throw new AvatarError('tooBig')
  } finally {
    bitmap.close()
  }
}
