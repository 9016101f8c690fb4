// Keeps a gate's timeline on disk: every envelope the gate accepted or holds aside is stored with its
// verdict, and envelopes the gate drops are removed, so a restart restores exactly what this device
// had judged (gate.restore) instead of judging and verifying its whole history again.
//
// Writes are grouped: everything the gate decides while a write is in flight goes into the next one.

import { decodeEnvelope, encodeEnvelope, envelopeId, type Envelope } from '../envelope/envelope'
import type { Gate } from '../gate/gate'
import { errorFields, noLogger, type ComponentLogger, type Logger } from '../log/logger'
import type { DocumentStore, StorageAdapter, StoredEnvelope } from '../storage/storage'

export class TimelineStore {
  private readonly stores = new Map<string, Promise<DocumentStore>>()
  /** docId → envelope id → what to write (null: remove). */
  private pending = new Map<string, Map<string, StoredEnvelope | null>>()
  private writing: Promise<void> = Promise.resolve()
  private scheduled: Promise<void> | null = null
  private closed = false
  private readonly log: Logger

  /** `logger` says at debug what failed quietly (a write, a stored envelope that does not decode). */
  constructor(
    private readonly storage: StorageAdapter,
    readonly groupId: string,
    logger: ComponentLogger = noLogger,
  ) {
    this.log = logger.forComponent('timeline-store')
  }

  /** Everything stored for the group, decoded (this device's own storage: not verified again). */
  async load(): Promise<{ envelope: Envelope; accepted: boolean }[]> {
    const out: { envelope: Envelope; accepted: boolean }[] = []
    for (const docId of await this.storage.documents(this.groupId)) {
      for (const stored of await (await this.store(docId)).load()) {
        try {
          out.push({ envelope: decodeEnvelope(stored.bytes), accepted: stored.accepted })
        } catch (e) {
          // Storage written by an older or broken build: skip it; peers and the mailbox still have it.
          this.log.debug('stored envelope does not decode, skipped', { docId, ...errorFields(e) })
        }
      }
    }
    return out
  }

  /** Mirrors the gate's verdicts from now on. */
  watch(gate: Gate): () => void {
    const offs = [
      gate.on('accepted', (e) => this.write(e, true)),
      gate.on('held', (e) => this.write(e, false)),
      gate.on('dropped', (e) => this.queue(e.docId, envelopeId(e), null)),
    ]
    return () => offs.forEach((off) => off())
  }

  /** Resolves once everything decided so far is durable. */
  durable(): Promise<void> {
    return this.scheduled ?? this.writing
  }

  async close(): Promise<void> {
    await this.durable()
    this.closed = true
    for (const store of this.stores.values()) await (await store).close()
    this.stores.clear()
  }

  /** Stores one envelope with its verdict (for what the gate decided before `watch`). */
  keep(envelope: Envelope, accepted: boolean): void {
    this.write(envelope, accepted)
  }

  private write(envelope: Envelope, accepted: boolean): void {
    const id = envelopeId(envelope)
    this.queue(envelope.docId, id, { id, bytes: encodeEnvelope(envelope), accepted })
  }

  private queue(docId: string, id: string, value: StoredEnvelope | null): void {
    if (this.closed) return
    let doc = this.pending.get(docId)
    if (!doc) this.pending.set(docId, (doc = new Map()))
    doc.set(id, value)
    if (!this.scheduled)
      this.scheduled = this.writing
        // The previous write failed: its envelopes are lost to storage (peers and the mailbox still
        // have them); the next write goes ahead.
        .catch((e: unknown) => this.log.debug('storage write failed', errorFields(e)))
        .then(() => this.flush())
  }

  private async flush(): Promise<void> {
    const batch = this.pending
    this.pending = new Map()
    this.scheduled = null
    this.writing = (async () => {
      for (const [docId, changes] of batch) {
        const store = await this.store(docId)
        const puts = [...changes.values()].filter((v): v is StoredEnvelope => v !== null)
        const removes = [...changes].filter(([, v]) => v === null).map(([id]) => id)
        if (puts.length) await store.put(puts)
        if (removes.length) await store.remove(removes)
      }
    })()
    return this.writing
  }

  private store(docId: string): Promise<DocumentStore> {
    let store = this.stores.get(docId)
    if (!store) this.stores.set(docId, (store = this.storage.document(this.groupId, docId)))
    return store
  }
}
