// Which image the viewer shows (issue 21): pressing an image in a message opens it over the group
// screen, with the panel's other images (in the order of the messages) to step through. One viewer at
// a time for the whole group screen (views/GroupView.vue draws it, from its own chunk).
import { shallowRef } from 'vue'
import { isInlineImage, type Attachment } from '../../client/attachments'
import type { GroupHandle } from '../../client'

export interface ViewerImage {
  /** The message carrying it, and the file's hash: one image. */
  key: string
  attachment: Attachment
}

export interface ImageViewerRequest {
  handle: GroupHandle
  images: readonly ViewerImage[]
  index: number
  /** What was pressed: focus returns to it when the viewer closes. */
  opener: HTMLElement
}

export const imageViewer = shallowRef<ImageViewerRequest | null>(null)

/** The inline images of the panel's messages (those still showing), oldest first. */
export function panelImages(
  messages: readonly { id: string; state: string; attachments?: readonly Attachment[] }[],
): ViewerImage[] {
  return messages.flatMap((m) =>
    m.state === 'normal'
      ? (m.attachments ?? []).filter(isInlineImage).map((a) => ({ key: `${m.id}/${a.hash}`, attachment: a }))
      : [],
  )
}

/** Opens the viewer on one message's image, among the panel's images. */
export function openImage(
  handle: GroupHandle,
  images: readonly ViewerImage[],
  key: string,
  opener: HTMLElement,
): void {
  const index = images.findIndex((i) => i.key === key)
  imageViewer.value = { handle, images, index: Math.max(0, index), opener }
}
