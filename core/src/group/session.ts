// A member's live handle on one group on this device: their identity, the group's gate and
// documents, a clock, and the clientID claim of this session. Local edits happen here: applied to
// the document, signed into one envelope, recorded in the gate's timeline and handed to `send`.

import * as Y from 'yjs'
import { makeClientClaim, type ClientClaim } from '../envelope/client-claim'
import { signEnvelope, type Envelope } from '../envelope/envelope'
import { HybridClock } from '../envelope/hlc'
import type { Identity } from '../identity/identity'
import type { UserId } from '../identity/user-id'
import type { Gate } from '../gate/gate'
import type { AuthorityState } from './authority-state'

/** Marks transactions made by this peer's own operations. */
export const LOCAL_ORIGIN = Symbol('tailmesh-local')

export interface SessionOptions {
  clock?: HybridClock
  /** Where this session's envelopes go (transports); tests connect peers here. */
  send?: (envelope: Envelope) => void
}

export class GroupSession {
  readonly clock: HybridClock
  send: (envelope: Envelope) => void

  private constructor(
    readonly identity: Identity,
    readonly gate: Gate,
    public claim: ClientClaim,
    options: SessionOptions,
  ) {
    this.clock = options.clock ?? new HybridClock()
    this.send = options.send ?? (() => {})
    gate.on('accepted', (e) => this.clock.observe(e.hlc))
    // A rebuilt document may have dropped one of this session's envelopes (a concurrent revocation);
    // later structs under the same clientID would depend on it forever, so continue under a new one.
    gate.on('docReplaced', () => {
      this.rotation = makeClientClaim(identity, gate.groupId).then((c) => {
        this.claim = c
      })
    })
  }

  private rotation: Promise<void> = Promise.resolve()

  /** This session's envelopes that other peers' gates would not accept now (not delivered). */
  undelivered(): { envelope: Envelope; reason: string }[] {
    return this.gate.deferred().filter((d) => d.envelope.author === this.userId)
  }

  static async open(identity: Identity, gate: Gate, options: SessionOptions = {}): Promise<GroupSession> {
    return new GroupSession(identity, gate, await makeClientClaim(identity, gate.groupId), options)
  }

  get groupId(): string {
    return this.gate.groupId
  }

  get userId(): UserId {
    return this.identity.userId
  }

  authority(): AuthorityState {
    return this.gate.authority()
  }

  /**
   * Runs `edit` as one Yjs transaction on `docId` with this session's clientID and turns what it
   * changed into one signed envelope. Returns null when the edit changed nothing.
   */
  async transact(docId: string, edit: (doc: Y.Doc, hlc: number) => void): Promise<Envelope | null> {
    await this.rotation
    const doc = this.gate.doc(docId)
    doc.clientID = this.claim.clientId
    const hlc = this.clock.now()
    let payload: Uint8Array | null = null
    const capture = (update: Uint8Array, origin: unknown) => {
      if (origin === LOCAL_ORIGIN) payload = payload ? Y.mergeUpdates([payload, update]) : update
    }
    doc.on('update', capture)
    try {
      doc.transact(() => edit(doc, hlc), LOCAL_ORIGIN)
    } finally {
      doc.off('update', capture)
    }
    if (payload === null) return null
    const envelope = await signEnvelope(this.identity, {
      groupId: this.groupId,
      docId,
      author: this.userId,
      clients: [this.claim],
      hlc,
      payload,
    })
    await this.gate.recordLocal(envelope)
    this.send(envelope)
    return envelope
  }
}
