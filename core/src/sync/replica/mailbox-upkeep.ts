// Keeping a group's relay mailboxes in order, from one member's side:
//
//   cursors     per mailbox link, the last entry this device processed; saved only once what it
//               covers is on disk, so a crash re-reads and never skips
//   compaction  after `compactAfter` entries, a member uploads every envelope it holds as a snapshot
//               up to a cursor, and the relay drops the entries it stands for (only on the current
//               key's topic: a snapshot of an older topic would be sealed with its old key, and would
//               show everything since to whoever was removed). The snapshot is sealed bundles of at
//               most `snapshotChunkBytes` each, as many as the history needs (the relay commits them
//               together); the group document's envelopes come first, so a reader's gate knows the
//               members and roles before it judges the messages (each envelope is still judged)
//   seeding     a relay that has never held the current topic (just added, or new) gets the whole
//               history once, so whoever reaches the group only through it finds it there
import { utf8 } from '../../bytes'
import { encodeEnvelope, type Envelope } from '../../envelope/envelope'
import type { Gate } from '../../gate/gate'
import { GROUP_DOC_ID } from '../../group/documents'
import type { Logger } from '../../log/logger'
import { errorFields } from '../../log/logger'
import type { StorageAdapter } from '../../storage/storage'
import { encodeSyncFrame } from '../frames'
import type { Link } from '../transport'
import type { MailboxLink } from '../transports/mailbox'

const SINCE_SNAPSHOT_KEY = 'since-snapshot'
const cursorKey = (cursorId: string) => `cursor/${cursorId}`

/** Bundles of the whole history handed to a mailbox stay under the relay's frame limit (256 KiB). */
const HISTORY_CHUNK_BYTES = 150 * 1024
/** A varUint length before each envelope in a bundle (envelopes are under 2 MiB: at most 3 bytes). */
const LENGTH_PREFIX = 3
/** What sealing and the bundle's own header add: version, IV, tag, frame type and count. */
const SEAL_MARGIN = 64

export interface MailboxUpkeepOptions {
  groupId: string
  storage: StorageAdapter
  gate: Gate
  /** Resolves once every verdict so far is on disk (the timeline store). */
  durable(): Promise<void>
  /** Seals with the current key as it is now (never waiting for a rotation being followed). */
  sealNow(bytes: Uint8Array): Promise<Uint8Array>
  /** Entries processed since the last snapshot before this member offers one (0: never). */
  compactAfter: number
  /** Largest sealed chunk of a snapshot (one envelope larger than this goes alone in its own). */
  snapshotChunkBytes: number
  /** This member uploaded a snapshot standing for every entry up to `upTo`. */
  compacted(upTo: number): void
  log: Logger
}

export function isMailbox(link: Link): link is MailboxLink {
  return typeof (link as Partial<MailboxLink>).compact === 'function'
}

export class MailboxUpkeep {
  private readonly cursors = new Map<string, number>()
  private sinceSnapshot = 0
  private compacting = false
  private readonly seeded = new WeakSet<Link>()

  constructor(private readonly o: MailboxUpkeepOptions) {}

  async restore(): Promise<void> {
    const count = await this.o.storage.get(this.o.groupId, SINCE_SNAPSHOT_KEY)
    this.sinceSnapshot = count ? Number(new TextDecoder().decode(count)) || 0 : 0
  }

  /** The cursor last saved for `cursorId` (0: from the start); the link resumes after it. */
  async resumeAfter(cursorId: string): Promise<number> {
    const stored = await this.o.storage.get(this.o.groupId, cursorKey(cursorId))
    const cursor = stored ? Number(new TextDecoder().decode(stored)) || 0 : 0
    this.cursors.set(cursorId, Math.max(cursor, this.cursors.get(cursorId) ?? 0))
    return cursor
  }

  /**
   * Records that the frame at `cursor` was handled; `link` came with it, and `current` says whether
   * it carries the current key's topic (the only one compacted).
   */
  async advance(cursorId: string, cursor: number, link: Link | null, current: boolean): Promise<void> {
    if (cursor <= (this.cursors.get(cursorId) ?? 0)) return
    this.cursors.set(cursorId, cursor)
    this.sinceSnapshot++
    await this.o.durable()
    await this.o.storage.set(this.o.groupId, cursorKey(cursorId), utf8(String(cursor)))
    await this.o.storage.set(this.o.groupId, SINCE_SNAPSHOT_KEY, utf8(String(this.sinceSnapshot)))
    const due = this.o.compactAfter > 0 && this.sinceSnapshot >= this.o.compactAfter
    if (link && isMailbox(link) && current && due) void this.compact(link, cursor)
  }

  /**
   * Hands the whole history to `link` if its relay has never held the current topic. The caller
   * says whether this member may (a member, the link on the current key's topic).
   */
  async seed(link: Link): Promise<void> {
    if (!isMailbox(link) || link.headAtSubscribe() !== 0 || this.seeded.has(link)) return
    this.seeded.add(link)
    await this.handHistoryOn([link])
  }

  /** The whole history, sealed with the current key, appended to `mailboxes` (of that key's topic). */
  async handHistoryOn(mailboxes: Link[]): Promise<void> {
    for (const sealed of await this.sealedHistory(HISTORY_CHUNK_BYTES))
      for (const link of mailboxes)
        await link
          .broadcast(sealed)
          .catch((e: unknown) => this.o.log.debug('history not handed on', errorFields(e)))
  }

  /**
   * Every envelope this member holds, as sealed bundles of at most `chunkBytes` each: the group
   * document's accepted envelopes first (the authority every other verdict depends on), then the
   * other documents', then those held aside, each in timeline order.
   */
  private async sealedHistory(chunkBytes: number): Promise<Uint8Array[]> {
    const { gate } = this.o
    const envelopes: Envelope[] = [...gate.accepted(GROUP_DOC_ID)]
    for (const e of gate.accepted()) if (e.docId !== GROUP_DOC_ID) envelopes.push(e)
    for (const d of gate.deferred()) envelopes.push(d.envelope)
    const sealed: Uint8Array[] = []
    for (const chunk of bundles(envelopes.map(encodeEnvelope), chunkBytes - SEAL_MARGIN))
      sealed.push(await this.o.sealNow(encodeSyncFrame({ type: 'bundle', envelopes: chunk })))
    return sealed
  }

  private async compact(link: MailboxLink, upTo: number): Promise<void> {
    if (this.compacting) return
    this.compacting = true
    try {
      const chunks = await this.sealedHistory(this.o.snapshotChunkBytes)
      await link.compact(upTo, chunks)
      this.o.log.debug('compacted', { upTo, chunks: chunks.length })
      this.o.compacted(upTo)
      this.sinceSnapshot = 0
      await this.o.storage.set(this.o.groupId, SINCE_SNAPSHOT_KEY, utf8('0'))
    } catch (e) {
      // Another member compacted first (409), the relay is away or refused it (507, over the topic's
      // largest quota): the entries stay, and the next threshold tries again.
      this.o.log.debug('compaction not done', errorFields(e))
    } finally {
      this.compacting = false
    }
  }
}

/**
 * Encoded envelopes gathered, in order, into bundles of at most `budget` bytes (counting each one's
 * length prefix); an envelope larger than the budget goes alone in its own.
 */
export function bundles(encoded: Uint8Array[], budget: number): Uint8Array[][] {
  const out: Uint8Array[][] = []
  let chunk: Uint8Array[] = []
  let size = 0
  for (const bytes of encoded) {
    const cost = bytes.length + LENGTH_PREFIX
    if (chunk.length > 0 && size + cost > budget) {
      out.push(chunk)
      chunk = []
      size = 0
    }
    chunk.push(bytes)
    size += cost
  }
  if (chunk.length > 0) out.push(chunk)
  return out
}
