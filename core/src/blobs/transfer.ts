// Moving files between the replicas of one group. A file is stored here first (content-addressed),
// then travels as chunk frames, sealed with the group key like every frame:
//
//   publish   up to BLOB_LIMITS.mailboxBytes the chunks are appended to the mailbox (offline members
//             get them when they come back) and sent to connected peers; larger files stay here and
//             go only to peers that ask. Pushes not acknowledged yet are kept in storage and resumed
//             after a restart.
//   want      a file a message names and this device lacks: asked of every connected peer now and of
//             each peer that connects later, until it arrives
//   inbound   chunks are gathered per file; the whole is kept only if its SHA-256 is the address
//             (anything else is dropped and asked for again). Unasked-for files are taken only up to
//             the mailbox limit, and only so many bytes are gathered at once.
import { utf8 } from '../bytes'
import { errorFields, noLogger, type ComponentLogger, type Logger } from '../log/logger'
import type { Link } from '../sync/transport'
import type { BlobChunkFrame, WantFrame } from './blob-frames'
import { MAX_WANTS } from './blob-frames'
import { isBlobHash } from './blob-hash'
import { BlobHashMismatchError, type BlobStore } from './blob-store'
import { BLOB_LIMITS, chunkCount } from './limits'
import type { StorageAdapter } from '../storage/storage'

/** A link the replica holds, as the transfer needs to see it. */
export interface BlobLink {
  link: Link
  /** The relay's mailbox (store-and-forward) rather than peers. */
  mailbox: boolean
  /** Carries the topic of the newest group key (only those get new mailbox entries). */
  current: boolean
}

/** What the replica gives the transfer: sealing and its open links. */
export interface BlobWire {
  /** Encodes and seals a frame with the group's current key. */
  seal(frame: WantFrame | BlobChunkFrame): Promise<Uint8Array>
  links(): BlobLink[]
}

export interface BlobTransferEvents {
  /** A file is complete here (received and verified, or published by this device). */
  stored: (hash: string) => void
  /** Received bytes did not match the address they claimed: dropped. */
  refused: (hash: string, reason: string) => void
}

export interface PublishedBlob {
  hash: string
  size: number
  /** Whether it goes through the mailbox (members who are offline get it) or to peers only. */
  viaMailbox: boolean
  /** Resolves when every chunk is durably in the mailbox (at once for peer-only files). */
  uploaded: Promise<void>
}

export class BlobTooLargeError extends Error {
  override name = 'BlobTooLargeError'
  constructor(readonly size: number) {
    super(`A file of ${size} bytes is over the ${BLOB_LIMITS.maxBytes}-byte limit.`)
  }
}

interface Assembly {
  size: number
  buffer: Uint8Array
  received: Set<number>
}

const UPLOADS_KEY = 'blob-uploads'
/** Bytes of unfinished files gathered at once (beyond it the oldest unfinished one is dropped). */
const MAX_GATHERING_BYTES = 64 * 1024 * 1024

export class BlobTransfer {
  private readonly assemblies = new Map<string, Assembly>()
  /** Files asked for, with the size the message names when known (chunks of another size are ignored). */
  private readonly wanted = new Map<string, number | null>()
  /** (peer, hash) pairs being served, so one peer asking twice does not get the file twice at once. */
  private readonly serving = new Set<string>()
  private readonly uploads = new Set<string>()
  private readonly listeners: { [K in keyof BlobTransferEvents]: Set<BlobTransferEvents[K]> } = {
    stored: new Set(),
    refused: new Set(),
  }
  private closed = false
  private readonly log: Logger

  /** `logger` says at debug what failed quietly (sends, the uploads list, listeners), as `blobs`. */
  constructor(
    readonly store: BlobStore,
    private readonly wire: BlobWire,
    private readonly storage: StorageAdapter,
    private readonly scope: string,
    logger: ComponentLogger = noLogger,
  ) {
    this.log = logger.forComponent('blobs')
  }

  on<K extends keyof BlobTransferEvents>(event: K, listener: BlobTransferEvents[K]): () => void {
    this.listeners[event].add(listener)
    return () => this.listeners[event].delete(listener)
  }

  /**
   * Keeps a file of this device and sends it on: through the mailbox and to peers up to the mailbox
   * limit, on request only above it. Throws BlobTooLargeError above BLOB_LIMITS.maxBytes.
   */
  async publish(bytes: Uint8Array): Promise<PublishedBlob> {
    if (bytes.length > BLOB_LIMITS.maxBytes) throw new BlobTooLargeError(bytes.length)
    const hash = await this.store.put(bytes)
    this.emit('stored', hash)
    const viaMailbox = bytes.length <= BLOB_LIMITS.mailboxBytes
    let uploaded = Promise.resolve()
    if (viaMailbox) {
      this.uploads.add(hash)
      await this.saveUploads()
      uploaded = this.push(hash, bytes)
    }
    return { hash, size: bytes.length, viaMailbox, uploaded }
  }

  /** The file's bytes if this device holds them. */
  get(hash: string): Promise<Uint8Array | undefined> {
    return this.store.get(hash)
  }

  has(hash: string): Promise<boolean> {
    return this.store.has(hash)
  }

  /**
   * Asks connected peers (and later ones) for files this device lacks. `sizes` (from the messages that
   * name them) keeps a peer that claims another size from occupying the file's place.
   */
  async want(hashes: string[], sizes: Record<string, number> = {}): Promise<void> {
    const missing: string[] = []
    for (const h of hashes) if (isBlobHash(h) && !(await this.store.has(h))) missing.push(h)
    if (!missing.length) return
    for (const h of missing) this.wanted.set(h, sizes[h] ?? this.wanted.get(h) ?? null)
    const frame = await this.wire.seal({ type: 'want', hashes: missing.slice(0, MAX_WANTS) })
    // To live peers only: a want is worth nothing later, so nothing should store or forward it.
    for (const { link, mailbox } of this.wire.links())
      if (mailbox) continue
      else if (link.ephemeral) sendQuietly(() => link.ephemeral?.(frame), this.log)
      else void link.broadcast(frame).catch((e: unknown) => this.log.debug('want not sent', errorFields(e)))
  }

  /** Whether this device is waiting for the file. */
  isWanted(hash: string): boolean {
    return this.wanted.has(hash)
  }

  /** A peer connected: ask it for what is still missing. */
  async peerJoined(link: Link, peer: string): Promise<void> {
    if (!this.wanted.size || !link.sendTo) return
    const frame = await this.wire.seal({ type: 'want', hashes: [...this.wanted.keys()].slice(0, MAX_WANTS) })
    link.sendTo(peer, frame)
  }

  /** Resumes mailbox pushes that a restart interrupted. */
  async resume(): Promise<void> {
    const stored = await this.storage.get(this.scope, UPLOADS_KEY)
    if (!stored) return
    for (const hash of new TextDecoder().decode(stored).split('\n').filter(isBlobHash)) {
      const bytes = await this.store.get(hash)
      if (!bytes) continue
      this.uploads.add(hash)
      void this.push(hash, bytes).catch((e: unknown) =>
        this.log.debug('resumed upload failed', { hash: short(hash), ...errorFields(e) }),
      )
    }
  }

  close(): void {
    this.closed = true
  }

  // --- inbound --------------------------------------------------------------------------------

  /** A want or chunk frame from `from` (null: the mailbox) on `link`. */
  async receive(frame: WantFrame | BlobChunkFrame, from: string | null, link: Link | null): Promise<void> {
    if (frame.type === 'want') {
      if (from !== null && link?.sendTo) for (const h of frame.hashes) void this.serve(link, from, h)
      return
    }
    await this.chunk(frame)
  }

  private async chunk(frame: BlobChunkFrame): Promise<void> {
    const { hash, size, offset, bytes } = frame
    if (this.store.hasCached(hash)) return
    const expected = this.wanted.get(hash)
    if (expected != null && expected !== size) return
    let a = this.assemblies.get(hash)
    if (!a) {
      // Unasked-for files only up to the mailbox limit: nobody can fill this device with large ones.
      if (!this.wanted.has(hash) && size > BLOB_LIMITS.mailboxBytes) return
      if (await this.store.has(hash)) return
      a = { size, buffer: new Uint8Array(size), received: new Set() }
      this.assemblies.set(hash, a)
      this.bound()
    }
    if (a.size !== size) return
    a.buffer.set(bytes, offset)
    a.received.add(offset)
    if (a.received.size < chunkCount(size)) return
    this.assemblies.delete(hash)
    try {
      await this.store.putVerified(hash, a.buffer)
    } catch (e) {
      const reason = e instanceof BlobHashMismatchError ? e.message : 'the file could not be stored'
      this.log.debug('received file not kept', { hash: short(hash), ...errorFields(e) })
      this.emit('refused', hash, reason)
      // Asked for again: an honest peer (or the mailbox's copy) still has the real file.
      if (this.wanted.has(hash)) void this.want([hash])
      return
    }
    this.wanted.delete(hash)
    this.emit('stored', hash)
  }

  /** Drops the oldest unfinished files while too many bytes are being gathered. */
  private bound(): void {
    let total = 0
    for (const a of this.assemblies.values()) total += a.size
    for (const [hash, a] of this.assemblies) {
      if (total <= MAX_GATHERING_BYTES) break
      this.assemblies.delete(hash)
      total -= a.size
    }
  }

  // --- outbound -------------------------------------------------------------------------------

  private async *chunks(hash: string, bytes: Uint8Array): AsyncGenerator<Uint8Array> {
    for (let offset = 0; offset < Math.max(bytes.length, 1); offset += BLOB_LIMITS.chunkBytes)
      yield await this.wire.seal({
        type: 'blob',
        hash,
        size: bytes.length,
        offset,
        bytes: bytes.subarray(offset, offset + BLOB_LIMITS.chunkBytes),
      })
  }

  /** To the current key's mailbox (awaiting each durable ack) and to connected peers. */
  private async push(hash: string, bytes: Uint8Array): Promise<void> {
    const links = this.wire.links().filter((l) => !l.mailbox || l.current)
    const mailboxes = links.filter((l) => l.mailbox)
    for await (const sealed of this.chunks(hash, bytes)) {
      if (this.closed) return
      for (const l of links)
        if (!l.mailbox)
          void l.link
            .broadcast(sealed)
            .catch((e: unknown) =>
              this.log.debug('chunk not sent to peers', { hash: short(hash), ...errorFields(e) }),
            )
      // One chunk at a time: the relay's per-connection byte rate is bounded.
      await Promise.all(mailboxes.map((l) => l.link.broadcast(sealed)))
    }
    if (!mailboxes.length) return // no mailbox now: resumed on the next start
    this.uploads.delete(hash)
    await this.saveUploads()
  }

  private async serve(link: Link, peer: string, hash: string): Promise<void> {
    const key = `${peer}\n${hash}`
    if (this.serving.has(key) || !isBlobHash(hash)) return
    const bytes = await this.store.get(hash)
    if (!bytes) return
    this.serving.add(key)
    try {
      for await (const sealed of this.chunks(hash, bytes)) {
        if (this.closed) return
        sendQuietly(() => link.sendTo?.(peer, sealed), this.log)
      }
    } finally {
      this.serving.delete(key)
    }
  }

  private saveUploads(): Promise<void> {
    return this.storage
      .set(this.scope, UPLOADS_KEY, utf8([...this.uploads].join('\n')))
      .catch((e: unknown) => this.log.debug('could not save the list of pending uploads', errorFields(e)))
  }

  private emit<K extends keyof BlobTransferEvents>(
    event: K,
    ...args: Parameters<BlobTransferEvents[K]>
  ): void {
    for (const l of this.listeners[event]) {
      try {
        ;(l as (...a: Parameters<BlobTransferEvents[K]>) => void)(...args)
      } catch (e) {
        // A listener's failure is its own.
        this.log.debug(`a ${event} listener threw`, errorFields(e))
      }
    }
  }
}

/** A send to live peers is best effort: a link that fails now simply does not carry it. */
function sendQuietly(send: () => void, log: Logger): void {
  try {
    send()
  } catch (e) {
    // The peer is gone or the channel closed: another peer or a later want covers it.
    log.debug('send to a peer failed', errorFields(e))
  }
}

/** Enough of a file's address to tell files apart in a log. */
function short(hash: string): string {
  return hash.slice(0, 12)
}
