// What follows a person from one of their devices to another: their read marks (group/read-state.ts)
// and saved messages (saved-messages.ts), posted as one sealed snapshot on their self topic
// (self-topic.ts) and merged on arrival. Both states are join semilattices, so snapshots merge in any
// order, any number of times, and a device that was away catches up from the mailbox alone.
//
// A device posts its snapshot when it starts and shortly after each change of its own (merging what
// another device posted is not a change worth posting back). The mailbox log is compacted to one
// snapshot every COMPACT_EVERY entries, so a new device reads a short log.

import { fromUtf8, utf8 } from '../bytes'
import { ValidationError } from '../errors'
import { ReadState, type ReadStateJSON } from '../group/read-state'
import type { UserId } from '../identity/user-id'
import { errorFields, noLogger, type ComponentLogger, type Logger } from '../log/logger'
import type { MailboxLink } from '../sync/transports/mailbox'
import type { Link, Transport } from '../sync/transport'
import { SavedMessages, type SavedMessagesJSON } from './saved-messages'
import { selfTopic, type SelfTopic } from './self-topic'

export interface SelfChannelOptions {
  userId: UserId
  /** The self secret (self-topic.ts): derived on the identity device, handed to linked ones. */
  secret: Uint8Array
  /** Store-and-forward transports (the relay's mailbox) that carry the topic. */
  transports: Transport[]
  reads: ReadState
  saved: SavedMessages
  /** How long local changes gather before one post (default 400 ms). */
  postDelayMs?: number
  /** Says at debug what failed quietly (a post, an unreadable frame), as `self`. */
  logger?: ComponentLogger
}

interface Snapshot {
  v: 1
  reads: ReadStateJSON
  saved: SavedMessagesJSON
}

const VERSION = 1
const COMPACT_EVERY = 20
/** Under the relay's 256 KiB frame; beyond it a snapshot leaves out the single-message read marks. */
const MAX_SNAPSHOT_BYTES = 200 * 1024

export class SelfChannel {
  private links: Link[] = []
  private topic!: SelfTopic
  private inbound: Promise<void> = Promise.resolve()
  private outbound: Promise<void> = Promise.resolve()
  private timer: ReturnType<typeof setTimeout> | null = null
  private merging = false
  private closed = false
  private sinceCompaction = 0
  private readonly unsubscribe: (() => void)[] = []
  private readonly log: Logger
  /** Snapshots from the topic merged here (this device's own included), for tests and diagnostics. */
  received = 0

  private constructor(private readonly options: SelfChannelOptions) {
    this.log = (options.logger ?? noLogger).forComponent('self')
  }

  static async start(options: SelfChannelOptions): Promise<SelfChannel> {
    const channel = new SelfChannel(options)
    channel.topic = await selfTopic(options.userId, options.secret)
    for (const t of options.transports) {
      try {
        channel.links.push(
          await t.open(channel.topic.access, {
            frame: (sealed, _from, cursor) => {
              channel.inbound = channel.inbound.then(() => channel.handle(sealed, cursor))
            },
          }),
        )
      } catch (e) {
        channel.log.debug('could not open the self topic on a transport', {
          transport: t.kind,
          ...errorFields(e),
        })
      }
    }
    const changed = () => {
      if (!channel.merging) channel.schedule()
    }
    channel.unsubscribe.push(options.reads.onChange(changed), options.saved.onChange(changed))
    // What this device knew before it had a channel (or while its posts could not leave) goes out once.
    channel.schedule(0)
    return channel
  }

  /** Posts this device's snapshot now (waits for the transports to take it). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const run = () => this.post()
    const result = this.outbound.then(run, run)
    this.outbound = result.catch((e: unknown) => this.log.debug('self snapshot not posted', errorFields(e)))
    return result
  }

  /** Waits until every frame that arrived so far is merged. */
  settled(): Promise<void> {
    return this.inbound
  }

  async close(): Promise<void> {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    for (const u of this.unsubscribe.splice(0)) u()
    await this.inbound
    await Promise.all(
      this.links
        .splice(0)
        .map((l) => l.close().catch((e: unknown) => this.log.debug('link close failed', errorFields(e)))),
    )
  }

  private schedule(delay = this.options.postDelayMs ?? 400): void {
    if (this.closed || this.timer) return
    this.timer = setTimeout(() => {
      this.timer = null
      void this.flush().catch(() => undefined)
    }, delay)
  }

  private snapshot(): Snapshot {
    return { v: 1, reads: this.options.reads.toJSON(), saved: this.options.saved.toJSON() }
  }

  private async seal(snapshot: Snapshot): Promise<Uint8Array> {
    let bytes = utf8(JSON.stringify(snapshot))
    if (bytes.length > MAX_SNAPSHOT_BYTES)
      bytes = utf8(JSON.stringify({ ...snapshot, reads: { ...snapshot.reads, items: {} } }))
    const version = new Uint8Array([VERSION])
    const sealed = await this.topic.key.encrypt(bytes, version)
    const out = new Uint8Array(1 + sealed.length)
    out[0] = VERSION
    out.set(sealed, 1)
    return out
  }

  private async open(sealed: Uint8Array): Promise<Snapshot> {
    if (sealed[0] !== VERSION) throw new ValidationError('self snapshot: unknown version')
    const json = JSON.parse(fromUtf8(await this.topic.key.decrypt(sealed.subarray(1), sealed.subarray(0, 1))))
    if (typeof json !== 'object' || json === null || json.v !== 1)
      throw new ValidationError('self snapshot: not a version 1 snapshot')
    // Both parse strictly before anything merges: a bad part leaves the state untouched.
    return {
      v: 1,
      reads: ReadState.fromJSON(json.reads).toJSON(),
      saved: SavedMessages.fromJSON(json.saved).toJSON(),
    }
  }

  private async post(): Promise<void> {
    if (this.closed) return
    const sealed = await this.seal(this.snapshot())
    let sent = false
    let failure: unknown
    for (const link of this.links) {
      try {
        await link.broadcast(sealed)
        sent = true
      } catch (e) {
        failure = e
      }
    }
    if (!sent && this.links.length)
      throw failure instanceof Error ? failure : new Error('self snapshot not sent')
  }

  private async handle(sealed: Uint8Array, cursor?: number): Promise<void> {
    if (this.closed) return
    let snapshot: Snapshot
    try {
      snapshot = await this.open(sealed)
    } catch (e) {
      // Only this person's devices hold the key: garbage here is a bug or an old version, never routine.
      this.log.debug('unreadable frame on the self topic', errorFields(e))
      return
    }
    this.merging = true
    try {
      this.options.reads.merge(snapshot.reads)
      this.options.saved.merge(snapshot.saved)
    } finally {
      this.merging = false
    }
    this.received++
    if (cursor !== undefined && ++this.sinceCompaction >= COMPACT_EVERY) {
      this.sinceCompaction = 0
      await this.compact(cursor)
    }
  }

  /** Everything up to `cursor` is merged here: this device's snapshot stands for all of it. */
  private async compact(cursor: number): Promise<void> {
    const sealed = await this.seal(this.snapshot())
    for (const link of this.links) {
      const mailbox = link as Partial<MailboxLink>
      if (typeof mailbox.compact !== 'function') continue
      await mailbox
        .compact(cursor, sealed)
        .catch((e: unknown) => this.log.debug('self topic not compacted', errorFields(e)))
    }
  }
}
