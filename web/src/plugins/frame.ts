// The one way plugin content that is not the plugin's own code reaches the page: a sandboxed iframe.
// `allow-scripts allow-forms` without `allow-same-origin` gives the frame an opaque origin — no
// access to the app's DOM, storage, IndexedDB keys or cookies — and no top navigation or popups.
import type { FrameSource } from '@tailmesh/plugin-sdk'

export const FRAME_SANDBOX = 'allow-scripts allow-forms'

export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false
  try {
    const u = new URL(value)
    return u.protocol === 'http:' || u.protocol === 'https:'
  } catch {
    return false
  }
}

export function createSandboxedFrame(el: HTMLElement, source: FrameSource, title: string): HTMLIFrameElement {
  const frame = el.ownerDocument.createElement('iframe')
  frame.setAttribute('sandbox', FRAME_SANDBOX)
  frame.referrerPolicy = 'no-referrer'
  frame.title = title
  frame.loading = 'lazy'
  if ('url' in source) {
    if (!isHttpUrl(source.url)) throw new Error('a frame can only show an http(s) URL')
    frame.src = source.url
  } else {
    frame.srcdoc = source.html
  }
  el.append(frame)
  return frame
}
