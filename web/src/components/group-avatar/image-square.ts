// Any image file the person picks, as a centred square of at most `side` pixels, WebP where the
// browser writes it, else JPEG: small enough to travel to every member as a blob (and be kept).
export class NotAnImageError extends Error {
  override name = 'NotAnImageError'
}

export async function squareImage(file: Blob, side = 256): Promise<{ bytes: Uint8Array; mime: string }> {
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(file)
  } catch {
    throw new NotAnImageError('Not a readable image.')
  }
  try {
    const edge = Math.min(bitmap.width, bitmap.height)
    if (edge === 0) throw new NotAnImageError('An empty image.')
    const canvas = document.createElement('canvas')
    canvas.width = canvas.height = Math.min(side, edge)
    const context = canvas.getContext('2d')
    if (!context) throw new NotAnImageError('No canvas to draw on.')
    context.imageSmoothingQuality = 'high'
    context.drawImage(
      bitmap,
      (bitmap.width - edge) / 2,
      (bitmap.height - edge) / 2,
      edge,
      edge,
      0,
      0,
      canvas.width,
      canvas.height,
    )
    for (const mime of ['image/webp', 'image/jpeg']) {
      const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, mime, 0.85))
      if (blob?.type === mime) return { bytes: new Uint8Array(await blob.arrayBuffer()), mime }
    }
    throw new NotAnImageError('The browser cannot encode the image.')
  } finally {
    bitmap.close()
  }
}
