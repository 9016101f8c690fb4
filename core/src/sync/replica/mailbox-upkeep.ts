// Keeping a group's relay mailboxes in order, from one member's side:
//
//   cursors     per mailbox link, the last entry this device processed; saved only once what it
//               covers is on disk, so a crash re-reads and never skips
//   compaction  after `compactAfter` entries, a member uploads a sealed bundle of every envelope it
//               holds up to a cursor and the relay drops the entries it stands for (only on the
//               current key's topic: a snapshot of an older topic would be sealed with its old key,
//               and would show everything since to whoever was removed); a history too big for one
//               snapshot keeps its entries
//   seeding     a relay that has never held the current topic (just added, or new) gets the whole
//               history once, so whoever reaches the group only through it finds it there
import { utf8 } from '../../bytes'
import { encodeEnvelope } from '../../envelope/envelope'
import type { Gate } from '../../gate/gate'
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
  /** Largest sealed snapshot uploaded. */
  maxSnapshotBytes: number
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
    const envelopes = this.everything().map(encodeEnvelope)
    let chunk: Uint8Array[] = []
    let size = 0
    const flush = async () => {
      if (!chunk.length) return
      const sealed = await this.o.sealNow(encodeSyncFrame({ type: 'bundle', envelopes: chunk }))
      for (const link of mailboxes)
        await link
          .broadcast(sealed)
          .catch((e: unknown) => this.o.log.debug('history not handed on', errorFields(e)))
      chunk = []
      size = 0
    }
    for (const bytes of envelopes) {
      if (size + bytes.length > HISTORY_CHUNK_BYTES) await flush()
      chunk.push(bytes)
      size += bytes.length
    }
    await flush()
  }

  private everything() {
    return [...this.o.gate.accepted(), ...this.o.gate.deferred().map((d) => d.envelope)]
  }

  private async compact(link: MailboxLink, upTo: number): Promise<void> {
    if (this.compacting) return
    this.compacting = true
    try {
      const envelopes = this.everything().map(encodeEnvelope)
      const sealed = await this.o.sealNow(encodeSyncFrame({ type: 'bundle', envelopes }))
      if (sealed.length > this.o.maxSnapshotBytes) {
        this.o.log.debug('history too big for one snapshot: entries kept', { bytes: sealed.length })
        return
      }
      await link.compact(upTo, sealed)
      this.o.compacted(upTo)
      this.sinceSnapshot = 0
      await this.o.storage.set(this.o.groupId, SINCE_SNAPSHOT_KEY, utf8('0'))
    } catch (e) {
      // Another member compacted first (409) or the relay is away: the next threshold tries again.
      this.o.log.debug('compaction not done', errorFields(e))
    } finally {
      this.compacting = false
    }
  }
}
