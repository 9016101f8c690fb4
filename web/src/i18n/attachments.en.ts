// English strings for files in messages (composer chips, inline images, downloads). Merged under
// `attachments` in index.ts; attachments.zh-CN.ts is typed against this.
export const attachmentsEn = {
  attach: 'Attach file',
  chooseFiles: 'Files to attach',
  pending: 'Files to send',
  remove: 'Remove {name}',
  preparing: 'Preparing {name}…',
  peerOnly:
    'Over {limit}: sent peer-to-peer only. Members who are offline get it when they are online at the same time as someone who has it.',
  tooLarge: '{name} is {size}: files can be at most {max}.',
  tooMany: 'A message can carry at most {max} files.',
  notConnected: 'Files can be sent once this group is connected.',
  unreadable: '{name} could not be read.',
  waiting: 'Waiting for the file from a peer…',
  openImage: 'Open image {name}',
  download: 'Download {name}',
  fullImage: 'Image {name}',
  close: 'Close',
  viewer: {
    zoomIn: 'Zoom in',
    zoomOut: 'Zoom out',
    fit: 'Fit to screen',
    zoom: 'Zoom {percent}%',
    original: 'Open original',
    download: 'Download',
    previous: 'Previous image',
    next: 'Next image',
    position: 'Image {n} of {total}',
    tools: 'Image tools',
  },
  dropHint: 'Drop files to attach them',
}

export type AttachmentsSchema = typeof attachmentsEn
