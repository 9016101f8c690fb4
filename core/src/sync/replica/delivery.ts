// Handing this device's own envelopes out: each one taken into the outbox is sealed and broadcast on
// every open link, and counts as delivered at the first acknowledgement of a durable transport (the
// mailbox stored it) or a send on a link with a connected peer who is someone else — and only once its
// verdict and its pending mark are on disk here. What is still pending goes out again whenever a
// transport is added, and after a restart.
import { encodeEnvelope, envelopeId, type Envelope } from '../../envelope/envelope'
import { parseDocId } from '../../group/documents'
import type { Logger } from '../../log/logger'
import { errorFields } from '../../log/logger'
import { encodeSyncFrame } from '../frames'
import type { Transport } from '../transport'
import type { OpenLink } from './link-table'
import type { Outbox } from './outbox'

export interface DeliveryDeps {
  outbox: Outbox
  links(): readonly OpenLink[]
  seal(bytes: Uint8Array): Promise<Uint8Array>
  /** Resolves once every verdict the gate made so far is on disk. */
  settled(): Promise<void>
  /** Ids of this device's envelopes its own gate holds aside. */
  heldAside(): Set<string>
  queued(envelopeId: string, carries: readonly string[]): void
  delivered(envelopeId: string, carries: readonly string[]): void
  log: Logger
}

export class Delivery {
  constructor(private readonly d: DeliveryDeps) {}

  /** Takes one of this device's envelopes and hands it out (once while it is pending). */
  take(envelope: Envelope, carries: readonly string[]): void {
    if (!this.d.outbox.add(envelope, carries)) return
    this.d.queued(envelopeId(envelope), carries)
    void this.handOut(envelope)
  }

  /** Hands out again everything pending (a transport was added, or the replica started). */
  resend(): void {
    for (const envelope of this.d.outbox.pending()) void this.handOut(envelope)
  }

  /** Envelopes just sent to a peer through `transport`: delivered, if it reaches someone else. */
  sentToPeer(transport: Transport, envelopes: Envelope[]): void {
    if (transport.sameUser) return
    for (const e of envelopes) this.markDelivered(envelopeId(e))
  }

  /**
   * Ids of this device's messages in `panelId` not delivered: their envelope is pending, or held aside
   * by this device's own gate (the others would refuse it now).
   */
  pendingMessages(panelId: string): Set<string> {
    let heldAside: Set<string> | null = null
    return this.d.outbox.messages(
      (docId) => {
        const doc = parseDocId(docId)
        return doc?.kind === 'panel' && doc.panelId === panelId
      },
      (id) => (heldAside ??= this.d.heldAside()).has(id),
    )
  }

  private async handOut(envelope: Envelope): Promise<void> {
    const id = envelopeId(envelope)
    const sealed = await this.d.seal(encodeSyncFrame({ type: 'envelope', bytes: encodeEnvelope(envelope) }))
    let counted = false
    const reached = async () => {
      if (counted) return
      counted = true
      // Its verdict (made after it was sent) and its pending mark must be on disk first.
      await this.d.outbox.durable()
      await this.d.settled()
      this.markDelivered(id)
    }
    for (const { transport, link } of this.d.links()) {
      const direct = !transport.sameUser && link.peers().length > 0 && link.sendTo !== undefined
      link.broadcast(sealed).then(
        () => {
          if (direct || transport.durable) void reached()
        },
        (e: unknown) => this.d.log.debug('broadcast failed', { transport: transport.id, ...errorFields(e) }),
      )
    }
    // With no link at all there is nobody to deliver to: it stays pending until a transport is added.
  }

  private markDelivered(id: string): void {
    if (!this.d.outbox.isPending(id)) return
    const carries = this.d.outbox.delivered(id, this.d.heldAside().has(id))
    if (carries) this.d.delivered(id, carries)
  }
}
