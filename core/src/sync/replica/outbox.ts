// This device's own envelopes on their way out, kept on disk so that a reload sends them again, each
// with the ids of the messages it carries: the message list shows those messages as pending until
// the envelope is delivered (the mailbox stored it, or a peer got it).
//
// A delivered envelope that this device's own gate holds aside (the others would refuse it now: a
// send after a mute arrived) still shows its messages as pending, so its record stays until the gate
// accepts it; restore() forgets the records of envelopes the gate no longer holds at all.
import { utf8 } from '../../bytes'
import { envelopeId, type Envelope } from '../../envelope/envelope'
import type { Logger } from '../../log/logger'
import { errorFields } from '../../log/logger'
import type { StorageAdapter } from '../../storage/storage'

const OUTBOX_KEY = 'outbox'

interface OutgoingRecord {
  envelope: Envelope
  carries: readonly string[]
  /** Not delivered yet: sent again after a restart and whenever a transport is added. */
  pending: boolean
}

/** How a delivery ended: delivered, or the replica closed first (it is sent again after a restart). */
export type DeliveryResult = 'delivered' | 'closed'

export class Outbox {
  private readonly records = new Map<string, OutgoingRecord>()
  private readonly waiters = new Map<string, ((result: DeliveryResult) => void)[]>()
  private saving: Promise<void> = Promise.resolve()

  constructor(
    private readonly storage: StorageAdapter,
    private readonly groupId: string,
    private readonly log: Logger,
  ) {}

  /**
   * Reads the records saved before a restart, for the envelopes storage still holds (`stored`) that
   * are either pending or held aside by the gate (`heldAside`).
   */
  async restore(stored: ReadonlyMap<string, Envelope>, heldAside: ReadonlySet<string>): Promise<void> {
    const saved = await this.storage.get(this.groupId, OUTBOX_KEY)
    if (!saved) return
    for (const { id, carries, pending } of parseSaved(new TextDecoder().decode(saved))) {
      const envelope = stored.get(id)
      if (envelope && (pending || heldAside.has(id))) this.records.set(id, { envelope, carries, pending })
    }
  }

  /** Takes an envelope to deliver; false if it is already pending. */
  add(envelope: Envelope, carries: readonly string[]): boolean {
    const id = envelopeId(envelope)
    const known = this.records.get(id)
    if (known?.pending) return false
    this.records.set(id, { envelope, carries: known?.carries ?? carries, pending: true })
    this.save()
    return true
  }

  isPending(id: string): boolean {
    return this.records.get(id)?.pending === true
  }

  pending(): Envelope[] {
    return [...this.records.values()].filter((r) => r.pending).map((r) => r.envelope)
  }

  /** Settles when the envelope is delivered or the replica closes. */
  whenDelivered(id: string): Promise<DeliveryResult> {
    if (!this.isPending(id)) return Promise.resolve('delivered')
    return new Promise((resolve) => this.waiters.set(id, [...(this.waiters.get(id) ?? []), resolve]))
  }

  /**
   * Marks an envelope delivered; `heldAside` says whether the gate holds it aside (its record then
   * stays, for the messages it carries). Returns the ids of those messages, or null if it was not pending.
   */
  delivered(id: string, heldAside: boolean): readonly string[] | null {
    const record = this.records.get(id)
    if (!record?.pending) return null
    if (heldAside) record.pending = false
    else this.records.delete(id)
    this.save()
    for (const resolve of this.waiters.get(id) ?? []) resolve('delivered')
    this.waiters.delete(id)
    return record.carries
  }

  /** The gate accepted one of this device's envelopes: a delivered one's record is done with. */
  accepted(id: string): void {
    const record = this.records.get(id)
    if (record && !record.pending) {
      this.records.delete(id)
      this.save()
    }
  }

  /** Messages of `docId`s matching `inDoc` whose envelope is pending or held aside by `heldAside`. */
  messages(inDoc: (docId: string) => boolean, heldAside: (id: string) => boolean): Set<string> {
    const out = new Set<string>()
    for (const [id, r] of this.records)
      if (inDoc(r.envelope.docId) && (r.pending || heldAside(id))) for (const m of r.carries) out.add(m)
    return out
  }

  /** Settles every delivery still waited for as 'closed'; resolves once the last save is written. */
  async close(): Promise<void> {
    for (const waiting of this.waiters.values()) for (const resolve of waiting) resolve('closed')
    this.waiters.clear()
    await this.saving
  }

  private save(): void {
    const records = [...this.records].map(([id, r]) => ({ id, carries: r.carries, pending: r.pending }))
    this.saving = this.saving
      .then(() => this.storage.set(this.groupId, OUTBOX_KEY, utf8(JSON.stringify(records))))
      .catch((e: unknown) => this.log.debug('outbox not saved', errorFields(e)))
  }

  /** Resolves once everything recorded so far is on disk. */
  durable(): Promise<void> {
    return this.saving
  }
}

interface SavedRecord {
  id: string
  carries: string[]
  pending: boolean
}

/** The saved outbox: JSON records, or (written by older builds) one pending envelope id per line. */
function parseSaved(text: string): SavedRecord[] {
  if (!text.startsWith('['))
    return text
      .split('\n')
      .filter(Boolean)
      .map((id) => ({ id, carries: [], pending: true }))
  try {
    const parsed: unknown = JSON.parse(text)
    if (!Array.isArray(parsed)) return []
    return parsed.filter(isSavedRecord)
  } catch {
    // Damaged: nothing to restore. The envelopes are still in storage and the gate; only their
    // pending marks are lost, and the mailbox or a peer's catch-up still carries them.
    return []
  }
}

function isSavedRecord(r: unknown): r is SavedRecord {
  if (typeof r !== 'object' || r === null) return false
  const { id, carries, pending } = r as Record<string, unknown>
  return (
    typeof id === 'string' &&
    typeof pending === 'boolean' &&
    Array.isArray(carries) &&
    carries.every((c) => typeof c === 'string')
  )
}
