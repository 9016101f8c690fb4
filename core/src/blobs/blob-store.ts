// Blobs kept on this device, by content address, in the device's StorageAdapter (IndexedDB in the
// browser, LevelDB in Node) under the group's scope, so leaving a group (dropGroup) forgets its files.
// A blob is written whole, and only bytes whose SHA-256 matches their address are ever kept: a
// receiver cannot be made to store, show or pass on something other than what a message names.
import { utf8 } from '../bytes'
import type { StorageAdapter } from '../storage/storage'
import { blobHash, isBlobHash } from './blob-hash'

const blobKey = (hash: string) => `blob/${hash}`
const sizeKey = (hash: string) => `blob-size/${hash}`

export class BlobHashMismatchError extends Error {
  override name = 'BlobHashMismatchError'
}

export class BlobStore {
  /** Addresses known to be complete here (filled as they are stored or looked up). */
  private readonly known = new Set<string>()

  constructor(
    private readonly storage: StorageAdapter,
    /** The scope the blobs live under: the group's id. */
    private readonly scope: string,
  ) {}

  /** Keeps `bytes` and returns their address. */
  async put(bytes: Uint8Array): Promise<string> {
    const hash = await blobHash(bytes)
    await this.write(hash, bytes)
    return hash
  }

  /** Keeps `bytes` only if they are the blob `hash` names; otherwise throws BlobHashMismatchError. */
  async putVerified(hash: string, bytes: Uint8Array): Promise<void> {
    if (!isBlobHash(hash) || (await blobHash(bytes)) !== hash)
      throw new BlobHashMismatchError(`the bytes received are not the file ${hash.slice(0, 12)}…`)
    await this.write(hash, bytes)
  }

  async has(hash: string): Promise<boolean> {
    if (this.known.has(hash)) return true
    if (!isBlobHash(hash)) return false
    // The size is written after the bytes: its presence means the blob is complete.
    const size = await this.storage.get(this.scope, sizeKey(hash))
    if (size) this.known.add(hash)
    return size !== undefined
  }

  /** Whether `has(hash)` was already seen true (no storage read: for the hot path of inbound chunks). */
  hasCached(hash: string): boolean {
    return this.known.has(hash)
  }

  async get(hash: string): Promise<Uint8Array | undefined> {
    if (!(await this.has(hash))) return undefined
    return this.storage.get(this.scope, blobKey(hash))
  }

  async size(hash: string): Promise<number | undefined> {
    const size = await this.storage.get(this.scope, sizeKey(hash))
    return size ? Number(new TextDecoder().decode(size)) : undefined
  }

  private async write(hash: string, bytes: Uint8Array): Promise<void> {
    if (await this.has(hash)) return
    await this.storage.set(this.scope, blobKey(hash), bytes)
    await this.storage.set(this.scope, sizeKey(hash), utf8(String(bytes.length)))
    this.known.add(hash)
  }
}
