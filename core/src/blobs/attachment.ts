// A file a message carries: its blob's address and what a reader needs before the bytes arrive (name,
// type, size, an image's dimensions and a small thumbnail). Every peer checks it the same way and caps
// it (the gate runs this through validateMessage), so nobody can make others carry large records or
// render anything but a raster image from one.
import { BLOB_LIMITS } from './limits'
import { isBlobHash } from './blob-hash'

export interface Attachment {
  /** SHA-256 of the file's bytes (blob-hash.ts). */
  hash: string
  name: string
  mime: string
  /** Bytes. */
  size: number
  /** Pixels, for images (both or neither). */
  width?: number
  height?: number
  /** A small preview: a data: URL of a PNG, JPEG or WebP image, or the hash of a thumbnail blob. */
  thumb?: string
}

const FIELDS = ['hash', 'name', 'mime', 'size', 'width', 'height', 'thumb']
const MIME_RE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i
const THUMB_RE = /^data:image\/(png|jpeg|webp);base64,[A-Za-z0-9+/]+={0,2}$/
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL_RE = /[\u0000-\u001f\u007f]/

/** A thumbnail given as a blob address (a plain boolean: the thumb is text either way). */
const isHashText = (s: string): boolean => isBlobHash(s)

const isInt = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max

/** Why `v` is not a valid attachment, or null. */
export function attachmentProblem(v: unknown, what = 'attachment'): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${what} must be an object`
  for (const k of Object.keys(v)) if (!FIELDS.includes(k)) return `${what} has unknown field "${k}"`
  const o = v as Record<string, unknown>
  if (!isBlobHash(o.hash)) return `${what} hash is not a SHA-256 in hex`
  if (typeof o.name !== 'string' || o.name.length < 1 || [...o.name].length > BLOB_LIMITS.name)
    return `${what} name must be 1–${BLOB_LIMITS.name} characters`
  if (CONTROL_RE.test(o.name)) return `${what} name has control characters`
  if (typeof o.mime !== 'string' || o.mime.length > BLOB_LIMITS.mime || !MIME_RE.test(o.mime))
    return `${what} mime is not a media type`
  if (!isInt(o.size, 0, BLOB_LIMITS.maxBytes))
    return `${what} size must be at most ${BLOB_LIMITS.maxBytes} bytes`
  if ((o.width === undefined) !== (o.height === undefined))
    return `${what} needs both width and height, or neither`
  if (
    o.width !== undefined &&
    !(isInt(o.width, 1, BLOB_LIMITS.pixels) && isInt(o.height, 1, BLOB_LIMITS.pixels))
  )
    return `${what} width and height must be 1–${BLOB_LIMITS.pixels} pixels`
  if (o.thumb !== undefined) {
    if (typeof o.thumb !== 'string') return `${what} thumb must be text`
    if (!isHashText(o.thumb)) {
      if (o.thumb.length > BLOB_LIMITS.thumbDataUrl)
        return `${what} thumb must be at most ${BLOB_LIMITS.thumbDataUrl} characters`
      if (!THUMB_RE.test(o.thumb)) return `${what} thumb must be a PNG, JPEG or WebP data: URL or a blob hash`
    }
  }
  return null
}

/** Why `v` is not a valid list of attachments for one message, or null. */
export function attachmentsProblem(v: unknown): string | null {
  if (!Array.isArray(v) || v.length < 1 || v.length > BLOB_LIMITS.perMessage)
    return `attachments must be a list of 1–${BLOB_LIMITS.perMessage}`
  const seen = new Set<string>()
  let thumbChars = 0
  for (let i = 0; i < v.length; i++) {
    const problem = attachmentProblem(v[i], `attachments[${i}]`)
    if (problem) return problem
    const a = v[i] as Attachment
    if (seen.has(a.hash)) return `attachments[${i}] repeats a file`
    seen.add(a.hash)
    if (a.thumb !== undefined && !isHashText(a.thumb)) thumbChars += a.thumb.length
  }
  if (thumbChars > BLOB_LIMITS.thumbsPerMessage)
    return `the thumbnails of one message must total at most ${BLOB_LIMITS.thumbsPerMessage} characters`
  return null
}

/** Raster image types a browser may show inline (SVG can carry script: it is a file to download). */
export const INLINE_IMAGE_TYPES: readonly string[] = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'image/bmp',
]

export function isInlineImage(a: Pick<Attachment, 'mime'>): boolean {
  return INLINE_IMAGE_TYPES.includes(a.mime.toLowerCase())
}
