// Remote images in message bodies wait for the reader (render.ts keeps their address in
// data-remote-src): each shows the host it would be fetched from and a "Load image" button; the
// button loads that one image. Where the person chose "Always load images from members of this
// group" (a per-device, per-group preference in localStorage), they load at once.
//
// Light on purpose: this module is in the app shell with MessageRow, and imports nothing heavy.
import { shallowRef } from 'vue'

/** Same as render.ts's REMOTE_SRC (not imported from there: render.ts is the lazy markdown chunk). */
const REMOTE_SRC = 'data-remote-src'
const KEY = 'tailmesh.images.alwaysLoad'

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null
  } catch {
    return null
  }
}

function readGroups(): Set<string> {
  try {
    const v: unknown = JSON.parse(storage()?.getItem(KEY) ?? '[]')
    return new Set(Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])
  } catch {
    return new Set()
  }
}

/** The groups whose members' images this device loads without asking (reactive). */
const alwaysGroups = shallowRef<ReadonlySet<string>>(readGroups())

/** Whether this device loads images from `groupId`'s members without asking. */
export function alwaysLoadImages(groupId: string | null | undefined): boolean {
  return groupId != null && alwaysGroups.value.has(groupId)
}

/** Turns "Always load images from members of this group" on or off for `groupId`, on this device. */
export function setAlwaysLoadImages(groupId: string, on: boolean): void {
  const next = new Set(alwaysGroups.value)
  if (on) next.add(groupId)
  else next.delete(groupId)
  alwaysGroups.value = next
  try {
    storage()?.setItem(KEY, JSON.stringify([...next]))
  } catch {
    // a full or blocked storage: the choice holds until the app reloads
  }
}

/** Addresses the reader loaded in this session: a row drawn again (scrolled back, edited) shows them. */
const loadedUrls = new Set<string>()

/** The host a remote image would be fetched from, as its placeholder names it. */
export function remoteImageHost(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

/** Gives `img` its address (the one moment a remote image is fetched) and takes its placeholder away. */
function load(img: HTMLImageElement, placeholder: Element | null): void {
  const url = img.getAttribute(REMOTE_SRC)
  if (!url) return
  img.removeAttribute(REMOTE_SRC)
  loadedUrls.add(url)
  img.referrerPolicy = 'no-referrer'
  img.hidden = false
  img.src = url
  placeholder?.remove()
}

export interface RemoteImageOptions {
  /** Load every image at once (the group's "always load" preference). */
  always: boolean
  /** The button's text ("Load image"). */
  loadLabel: string
  /** The placeholder's text, given the host ("Image from {host}"). */
  from: (host: string) => string
}

/**
 * Shows every waiting image under `root` as a placeholder with its host and a "Load image" button,
 * or loads them all when `options.always`. Images already handled are left alone, so calling this
 * again after each render is cheap.
 */
export function showRemoteImages(root: HTMLElement, options: RemoteImageOptions): void {
  const doc = root.ownerDocument
  for (const img of root.querySelectorAll<HTMLImageElement>(`img[${REMOTE_SRC}]`)) {
    const existing = img.previousElementSibling?.classList.contains('remote-image')
      ? img.previousElementSibling
      : null
    if (options.always || loadedUrls.has(img.getAttribute(REMOTE_SRC)!)) {
      load(img, existing)
      continue
    }
    const url = img.getAttribute(REMOTE_SRC)!
    if (existing) {
      // Drawn before (another language since?): only the words change.
      existing.querySelector('.remote-image-host')!.textContent = options.from(remoteImageHost(url))
      existing.querySelector('button')!.textContent = options.loadLabel
      continue
    }
    const box = doc.createElement('span')
    box.className = 'remote-image'
    const label = doc.createElement('span')
    label.className = 'remote-image-host'
    label.textContent = options.from(remoteImageHost(url))
    const button = doc.createElement('button')
    button.type = 'button'
    button.className = 'secondary'
    button.textContent = options.loadLabel
    button.addEventListener('click', () => load(img, box))
    box.append(label, ' ', button)
    img.hidden = true
    img.before(box)
  }
}
