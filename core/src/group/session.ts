// A member's live handle on one group on this device: their identity, the group's gate and
// documents, a clock, and the clientID claim of this session. Local edits happen here: applied to
// the document, signed into one envelope, recorded in the gate's timeline and handed to `send`.

import * as Y from 'yjs'
import { makeClientClaim, type ClientClaim } from '../envelope/client-claim'
import { newStream, signEnvelope, type Envelope } from '../envelope/envelope'
import { HybridClock } from '../envelope/hlc'
import type { Identity } from '../identity/identity'
import type { UserId } from '../identity/user-id'
import type { Gate } from '../gate/gate'
import type { AuthorityState } from './authority-state'

/** Marks transactions made by this peer's own operations. */
export const LOCAL_ORIGIN = Symbol('tailmesh-local')

/**
 * Takes one of this session's envelopes as soon as it is signed, with the ids of the messages it
 * carries (a message's first envelope; empty for every other edit).
 */
export type EnvelopeSender = (envelope: Envelope, carries: readonly string[]) => void

export interface SessionOptions {
  clock?: HybridClock
  /** Where this session's envelopes go (the Replica's delivery); tests connect peers here. */
  send?: EnvelopeSender
}

/** What an edit says about itself to `transact`. */
export interface TransactOptions {
  /** The message this edit creates: the envelope carrying it reports it to the sender. */
  carries?: string
  /**
   * Members whose authority this edit reduces (a sanction, a role taken or changed, a device
   * revoked): the envelope lists what this peer had seen of them, so every peer holds back what
   * they sign unseen, whatever its date (docs/adr/0009).
   */
  reduces?: readonly UserId[]
}

export class GroupSession {
  readonly clock: HybridClock
  /** Where signed envelopes go; until one is set (`sendTo`), they wait here. */
  send: EnvelopeSender
  private readonly waiting: { envelope: Envelope; carries: readonly string[] }[] = []
  /** This session's stream: random, never reused, so no counter has to outlive the session. */
  private readonly stream = newStream()
  private seq = 0

  private constructor(
    readonly identity: Identity,
    readonly gate: Gate,
    public claim: ClientClaim,
    options: SessionOptions,
  ) {
    this.clock = options.clock ?? new HybridClock()
    this.send = options.send ?? ((envelope, carries) => void this.waiting.push({ envelope, carries }))
    gate.on('accepted', (e) => this.clock.observe(e.hlc))
    // A rebuilt document may have dropped one of this session's envelopes (a concurrent revocation);
    // later structs under the same clientID would depend on it forever, so continue under a new one.
    const rotate = () => {
      this.rotation = makeClientClaim(identity, gate.groupId).then((c) => {
        this.claim = c
      })
    }
    gate.on('docReplaced', rotate)
    // One of this session's envelopes held aside blocks every later struct of its clientID: move on.
    gate.on('held', (e) => {
      if (e.author === identity.userId && e.clients.some((c) => c.clientId === this.claim.clientId)) rotate()
    })
  }

  private rotation: Promise<void> = Promise.resolve()

  /**
   * Hands this session's envelopes to `sender` from now on, and those signed before it (a new group's
   * genesis, signed before anything could carry it) right away.
   */
  sendTo(sender: EnvelopeSender): void {
    this.send = sender
    for (const { envelope, carries } of this.waiting.splice(0)) sender(envelope, carries)
  }

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
   * Runs `edit` as one Yjs transaction on `docId` with this session's clientID, at once (views see it
   * immediately). What it changed goes into a signed envelope: edits made while the previous envelope
   * of the same document is still being signed and recorded are merged into the next one, so a burst
   * costs one signature (and every peer one verification) instead of one per edit, and an idle session
   * adds no delay. Resolves with the envelope that carries the edit, or null when it changed nothing.
   */
  async transact(
    docId: string,
    edit: (doc: Y.Doc, hlc: number) => void,
    options: TransactOptions = {},
  ): Promise<Envelope | null> {
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
    let batch = this.batches.get(docId)
    if (!batch) {
      batch = newBatch(hlc)
      this.batches.set(docId, batch)
      const previous = this.flushes.get(docId) ?? Promise.resolve()
      const flush = previous.then(() => this.flush(docId, batch!))
      // Only keeps the queue going: flush() never rejects (a failure rejects the batch's `done`).
      this.flushes.set(
        docId,
        flush.catch(() => undefined),
      )
    }
    batch.payloads.push(payload)
    batch.claims.set(this.claim.clientId, this.claim)
    if (options.carries !== undefined) batch.carries.push(options.carries)
    for (const u of options.reduces ?? []) batch.reduces.add(u)
    batch.hlc = hlc
    return batch.done
  }

  private readonly batches = new Map<string, Batch>()
  /** Per document, the flush in progress: the next batch waits for it. */
  private readonly flushes = new Map<string, Promise<unknown>>()

  private async flush(docId: string, batch: Batch): Promise<void> {
    // From here on, new edits of this document start the next batch.
    this.batches.delete(docId)
    // Taken before anything awaits: two envelopes of this session never share a number.
    const seq = ++this.seq
    try {
      const seen = batch.reduces.size ? this.gate.seenFrontier([...batch.reduces]) : undefined
      const envelope = await signEnvelope(this.identity, {
        groupId: this.groupId,
        docId,
        author: this.userId,
        clients: [...batch.claims.values()],
        hlc: batch.hlc,
        payload: batch.payloads.length === 1 ? batch.payloads[0]! : Y.mergeUpdates(batch.payloads),
        stream: this.stream,
        seq,
        ...(seen && { seen }),
      })
      // Sent before this peer's gate has judged it: every peer judges it the same way, so one that this
      // gate refuses is refused everywhere (and rolled back here), and sending first takes the local
      // judgement off the message's way to the others.
      const recorded = this.gate.recordLocal(envelope)
      this.send(envelope, batch.carries)
      await recorded
      batch.resolve(envelope)
    } catch (e) {
      batch.reject(e)
    }
  }
}

interface Batch {
  payloads: Uint8Array[]
  /** Claims of the clientIDs the edits used (a rotation can fall between two edits of a batch). */
  claims: Map<number, ClientClaim>
  /** Ids of the messages the batch's edits create. */
  carries: string[]
  /** Members the batch's edits reduce (TransactOptions.reduces). */
  reduces: Set<UserId>
  /** The latest edit's time: the envelope is dated no earlier than anything in it. */
  hlc: number
  done: Promise<Envelope>
  resolve(envelope: Envelope): void
  reject(error: unknown): void
}

function newBatch(hlc: number): Batch {
  let resolve!: (envelope: Envelope) => void
  let reject!: (error: unknown) => void
  const done = new Promise<Envelope>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { payloads: [], claims: new Map(), carries: [], reduces: new Set(), hlc, done, resolve, reject }
}
