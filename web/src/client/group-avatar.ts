// A group's avatar uploaded as a file: stored as a blob of the group (content-addressed, carried like
// an attachment: blobs/ in core) and named in info.avatar as `tailmesh-blob:<mime>;<hash>`. Shown as a
// data: URL made from the blob once this device holds it (asked of the group's peers otherwise), so
// avatars stay the image sources UserAvatar already allows. Kept small: the rail (app shell) reads it.
import { shallowRef } from 'vue'
import type { GroupHandle } from './group-handle'

const BLOB_AVATAR = /^tailmesh-blob:(image\/(?:webp|jpeg|png));([0-9a-f]{64})$/

export const blobAvatar = (mime: string, hash: string): string => `tailmesh-blob:${mime};${hash}`

/** Moves when an avatar's image arrives, so views asking `groupAvatarSrc` ask again. */
export const avatarsLoaded = shallowRef(0)
const images = new Map<string, string | null>()

/** The group's avatar as an image source: its URL, or the uploaded blob's data: URL once here. */
export function groupAvatarSrc(handle: GroupHandle | undefined): string | undefined {
  void avatarsLoaded.value
  const avatar = handle?.info()?.avatar
  const m = avatar ? BLOB_AVATAR.exec(avatar) : null
  if (!m || !handle) return avatar || undefined
  const key = `${handle.groupId} ${avatar}`
  if (!images.has(key)) {
    images.set(key, null)
    void load(handle, m[1]!, m[2]!, key)
  }
  return images.get(key) ?? undefined
}

async function load(handle: GroupHandle, mime: string, hash: string, key: string): Promise<void> {
  const blobs = handle.blobs()
  if (!blobs) {
    // Not attached to its sync yet: look again once it is (it says so as a connection change).
    images.delete(key)
    const off = handle.onChange((c) => {
      if (c.kind !== 'connection' || !handle.blobs()) return
      off()
      avatarsLoaded.value++
    })
    return
  }
  const bytes = await blobs.get(hash)
  if (!bytes) {
    // Not here yet: ask the peers, and look again when it is stored.
    images.delete(key)
    const off = blobs.on('stored', (h) => {
      if (h !== hash) return
      off()
      avatarsLoaded.value++
    })
    void blobs.want([hash])
    return
  }
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  images.set(key, `data:${mime};base64,${btoa(binary)}`)
  avatarsLoaded.value++
}
