// Files in messages, for the views: drafts made from File objects (bytes read, an image's thumbnail
// made here), sending them (each blob published through the group's replica, then one message naming
// them), and object URLs of files this device holds. Nothing is fetched from anywhere: a file shows
// once its blob is here, and until then the view asks the group's peers for it.
import { BLOB_LIMITS, isInlineImage, type Attachment, type SendOptions } from '@tailmesh/core'
import { makeThumbnail } from './attachments-thumb'
import type { GroupHandle } from './group-handle'

export type { Attachment } from '@tailmesh/core'
export { isInlineImage } from '@tailmesh/core'

export const ATTACHMENT_LIMITS = {
  maxBytes: BLOB_LIMITS.maxBytes,
  mailboxBytes: BLOB_LIMITS.mailboxBytes,
  perMessage: BLOB_LIMITS.perMessage,
} as const

/** A file chosen for the next message, before it is sent. */
export interface AttachmentDraft {
  /** Unique among drafts (for lists). */
  key: string
  bytes: Uint8Array
  /** Everything the message will say about it but its address (known once published). */
  meta: Omit<Attachment, 'hash'>
  /** Over the mailbox limit: only peers online at the same time get it. */
  peerOnly: boolean
}

export class AttachmentTooLargeError extends Error {
  override name = 'AttachmentTooLargeError'
  constructor(
    readonly fileName: string,
    readonly size: number,
  ) {
    super(`${fileName} is over the ${BLOB_LIMITS.maxBytes}-byte limit`)
  }
}

export class NotConnectedError extends Error {
  override name = 'NotConnectedError'
}

const MIME_RE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i
// eslint-disable-next-line no-control-regex -- control characters are what is removed
const CONTROL_RE = /[\u0000-\u001f\u007f]/g

function mimeOf(file: File): string {
  const type = file.type.toLowerCase()
  return type.length <= BLOB_LIMITS.mime && MIME_RE.test(type) ? type : 'application/octet-stream'
}

function nameOf(file: File): string {
  const clean = [...file.name.replace(CONTROL_RE, '').trim()].slice(0, BLOB_LIMITS.name).join('')
  return clean || 'file'
}

let drafted = 0

/** Reads a file for the composer; throws AttachmentTooLargeError above the hard cap. */
export async function prepareAttachment(file: File): Promise<AttachmentDraft> {
  if (file.size > BLOB_LIMITS.maxBytes) throw new AttachmentTooLargeError(file.name, file.size)
  const bytes = new Uint8Array(await file.arrayBuffer())
  const meta: Omit<Attachment, 'hash'> = { name: nameOf(file), mime: mimeOf(file), size: bytes.length }
  if (isInlineImage(meta)) {
    try {
      const thumb = await makeThumbnail(file)
      meta.width = thumb.width
      meta.height = thumb.height
      if (thumb.dataUrl) meta.thumb = thumb.dataUrl
    } catch {
      // Not decodable as the image it claims to be: it travels as a plain file.
      meta.mime = 'application/octet-stream'
    }
  }
  return { key: `draft-${drafted++}`, bytes, meta, peerOnly: bytes.length > BLOB_LIMITS.mailboxBytes }
}

/**
 * Publishes each draft's blob (kept here, and through the mailbox up to its limit) and sends one
 * message naming them. Thumbnails beyond core's per-message total are left out (the file still goes).
 */
export async function sendWithAttachments(
  handle: GroupHandle,
  panelId: string,
  body: string,
  options: SendOptions,
  drafts: readonly AttachmentDraft[],
): Promise<string> {
  const blobs = handle.blobs()
  if (!blobs) throw new NotConnectedError('this group is not connected yet')
  const attachments: Attachment[] = []
  let thumbChars = 0
  for (const d of drafts) {
    const { hash } = await blobs.publish(d.bytes)
    const a: Attachment = { hash, ...d.meta }
    if (a.thumb !== undefined) {
      thumbChars += a.thumb.length
      if (thumbChars > BLOB_LIMITS.thumbsPerMessage) delete a.thumb
    }
    attachments.push(a)
  }
  return handle.send(panelId, body, { ...options, attachments })
}

// --- files this device holds, as object URLs ------------------------------------------------------

const urls = new Map<string, string>()
const MAX_URLS = 200

/**
 * An object URL of the file if this device holds it, else null. Images keep their (raster) type; any
 * other file is typed application/octet-stream, so opening it can never run it in this page's origin.
 */
export async function fileUrl(handle: GroupHandle, a: Attachment): Promise<string | null> {
  const key = `${handle.groupId}/${a.hash}`
  const cached = urls.get(key)
  if (cached) return cached
  const bytes = await handle.blobs()?.get(a.hash)
  if (!bytes) return null
  const type = isInlineImage(a) ? a.mime : 'application/octet-stream'
  const url = URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type }))
  urls.set(key, url)
  if (urls.size > MAX_URLS) {
    const [oldKey, oldUrl] = urls.entries().next().value as [string, string]
    urls.delete(oldKey)
    URL.revokeObjectURL(oldUrl)
  }
  return url
}

/** Asks the group's peers for a missing file; `arrived` runs when it is here. Returns the unsubscribe. */
export function awaitFile(handle: GroupHandle, a: Attachment, arrived: () => void): () => void {
  const blobs = handle.blobs()
  if (!blobs) return () => {}
  const off = blobs.on('stored', (h) => {
    if (h === a.hash) arrived()
  })
  void blobs.want([a.hash], { [a.hash]: a.size })
  return off
}
