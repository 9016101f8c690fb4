// The gate: the one function every remote byte passes before it touches a group's documents.
//
// Verdicts depend only on the envelope and on the group's authority history at the envelope's
// place — the accepted group-document envelopes placed before it — never on arrival order. The place
// is the envelope's (hlc, id), or right after the binding sanctions that claim it when later
// (placement.ts, docs/adr/0009): a date is a claim, what a sanction's author had seen is not. When an envelope lands in the past of others (an earlier role revocation arriving
// late), the gate judges the later ones again; a document whose accepted set shrank is rebuilt from
// the envelopes that remain accepted. So honest peers that hold the same envelopes hold the same
// documents, byte for byte.

import * as Y from 'yjs'
import { verifyClientClaim } from '../envelope/client-claim'
import {
  decodeEnvelope,
  envelopeId,
  isNumbered,
  verifyEnvelopeSignature,
  type Envelope,
  type SeenUser,
} from '../envelope/envelope'
import { hlcWallMs } from '../envelope/hlc'
import { MalformedError } from '../errors'
import type { UserId } from '../identity/user-id'
import { AuthorityMirror, readAuthorityState } from '../group/authority-mirror'
import { applyAll } from './apply-all'
import { AuthorityFold } from './authority-fold'
import type { AuthorityState } from '../group/authority-state'
import { GROUP_DOC_ID, parseDocId, type DocRef } from '../group/documents'
import { claims, describeReducer, reductionsOf, SeenIndex } from './claims'
import { footprint, type Touch } from './footprint'
import { isFreshJoin } from './fresh-join'
import { Placement } from './placement'
import { authorise } from './rules'
import { signingDeviceOf, StreamIndex } from './streams'
import { before, Timeline, type Entry } from './timeline'
import { ACCEPT, defer, reject, type Verdict } from './verdict'

export interface GateLimits {
  /** Encoded envelope size; the codec bounds the payload itself. */
  maxEnvelopeBytes: number
  /** How far ahead of this peer's clock an envelope may be dated. */
  maxFutureMs: number
  /** Envelopes held aside at most; the oldest go first beyond it. */
  maxDeferred: number
  /** Ids of rejected envelopes remembered so a replay is refused without work. */
  maxRememberedRejects: number
}

export const DEFAULT_GATE_LIMITS: GateLimits = {
  maxEnvelopeBytes: 300 * 1024,
  maxFutureMs: 5 * 60 * 1000,
  maxDeferred: 10_000,
  maxRememberedRejects: 10_000,
}

export interface GateOptions {
  now?: () => number
  limits?: Partial<GateLimits>
}

export interface GateEvents {
  /** An envelope was applied to its document (remote or, via recordLocal, local). */
  accepted: (envelope: Envelope) => void
  /** A document was rebuilt after its accepted set shrank: views must re-read it. */
  docReplaced: (docId: string, doc: Y.Doc) => void
  /** An envelope is held aside (deferred), newly or after losing its acceptance. */
  held: (envelope: Envelope, reason: string) => void
  /** An envelope left the timeline for good (refused on a later judgement, or the oldest held ones). */
  dropped: (envelope: Envelope) => void
}

/** The reason for a replay of an envelope this gate accepted or holds. */
export const ALREADY_SEEN = 'replayed envelope (already seen)'
/** Prefix of the reason for a replay of an envelope this gate refused for good. */
export const REFUSED_BEFORE = 'replayed envelope, refused before: '

/** Prefix of the reason for an envelope held back by a sanction its author had not seen. */
export const UNSEEN_SANCTION = 'written after a sanction its author had not seen'
/** The reason for envelopes of a key that signed two envelopes with one number. */
export const EQUIVOCATED =
  'invalid: its signing key signed two envelopes with one number (equivocation) and is no longer trusted'

/** Marks transactions the gate makes, so observers can tell remote changes from local edits. */
export const GATE_ORIGIN = Symbol('tailmesh-gate')

export class Gate {
  readonly limits: GateLimits
  private readonly now: () => number
  private readonly timeline = new Timeline()
  private readonly docs = new Map<string, Y.Doc>()
  private readonly bindings = new Map<number, UserId>()
  /** Refused for good: id → the reason, so a replay is refused again without work (and says so). */
  private readonly rejected = new Map<string, string>()
  private readonly listeners: { [K in keyof GateEvents]: Set<GateEvents[K]> } = {
    accepted: new Set(),
    docReplaced: new Set(),
    held: new Set(),
    dropped: new Set(),
  }
  /** Envelopes held aside (deferred), with the versions they were last judged against. */
  private readonly held = new Map<Entry, string>()
  /** Bumped whenever the set of accepted group-document envelopes changes. */
  private authorityVersion = 0
  /** Bumped per document whenever something is applied to it (a missing dependency may be there now). */
  private readonly docVersions = new Map<string, number>()
  private latestAuthority: { version: number; entry: Entry | null } | null = null
  /** While re-judging history the group document may hold envelopes no longer accepted. */
  private rejudging = false
  /**
   * The group document may hold a local edit not recorded yet (applied at once, recorded once signed):
   * authority at an envelope's time is then folded from the timeline, never read from the document.
   */
  private unrecordedGroupEdits = false
  /** The group document's authority, kept in step with it key by key. */
  private groupMirror: AuthorityMirror | null = null
  private readonly pastAuthority = new Map<string, AuthorityState>()
  /** During a walk (pass): the accepted group envelopes judged so far, folded in place order. */
  private walkFold: AuthorityFold | null = null
  /**
   * Past authority for envelopes placed before the latest group envelope: every accepted group
   * envelope up to `cursor.last`, valid while `cursorVersion` is the authority version.
   */
  private cursor: AuthorityFold | null = null
  private cursorVersion = -1
  /** Every numbered envelope handed to this gate, by stream (what was seen; equivocation). */
  private readonly streams = new StreamIndex()
  /** Reducing envelopes that bind (ADR 0009's K): what they claim is placed after them. */
  private binding = new Set<Entry>()
  private placement = new Placement([], [])
  /** Serialises judging: verdicts are computed one envelope at a time against a stable history. */
  private queue: Promise<unknown> = Promise.resolve()

  constructor(
    readonly groupId: string,
    options: GateOptions = {},
  ) {
    this.now = options.now ?? Date.now
    this.limits = { ...DEFAULT_GATE_LIMITS, ...options.limits }
  }

  on<K extends keyof GateEvents>(event: K, listener: GateEvents[K]): () => void {
    this.listeners[event].add(listener)
    return () => this.listeners[event].delete(listener)
  }

  /** The document with this id (created empty on first use). */
  doc(docId: string): Y.Doc {
    let doc = this.docs.get(docId)
    if (!doc) {
      doc = new Y.Doc({ gc: true })
      this.docs.set(docId, doc)
      if (docId === GROUP_DOC_ID) this.watchGroupDoc(doc)
    }
    return doc
  }

  hasDoc(docId: string): boolean {
    return this.docs.has(docId)
  }

  /**
   * The group's authority now (every accepted group-document envelope). Live: read it synchronously,
   * it changes as the group document does.
   */
  authority(): AuthorityState {
    this.doc(GROUP_DOC_ID)
    return this.groupMirror!.state
  }

  /** Who a Yjs clientID belongs to, as proven by a verified claim. */
  authorOfClient(clientId: number): UserId | undefined {
    return this.bindings.get(clientId)
  }

  /** Accepted envelopes in timeline order (what this peer would hand another peer). */
  *accepted(docId?: string): IterableIterator<Envelope> {
    for (const e of this.timeline)
      if (e.accepted && (docId === undefined || e.envelope.docId === docId)) yield e.envelope
  }

  /** Envelopes held aside, with the reason. */
  deferred(): { envelope: Envelope; reason: string }[] {
    return this.heldInOrder().map((e) => ({ envelope: e.envelope, reason: e.reason ?? '' }))
  }

  has(id: string): boolean {
    return this.timeline.has(id)
  }

  /** What this gate holds of `users`, per stream, as a sanction's `seen` lists it (ADR 0009). */
  seenFrontier(users: readonly UserId[]): SeenUser[] {
    return this.streams.seenFrontier(users)
  }

  /** Resolves once everything received or recorded so far has been judged. */
  idle(): Promise<void> {
    return this.queue.then(() => undefined)
  }

  /** Judge one envelope (encoded bytes or decoded). */
  receive(input: Uint8Array | Envelope): Promise<Verdict> {
    return this.receiveMany([input]).then((v) => v[0]!)
  }

  /**
   * Judge many envelopes. Signatures and client claims verify in parallel (the expensive part);
   * authorisation and application then run one by one in timeline order.
   */
  async receiveMany(inputs: (Uint8Array | Envelope)[]): Promise<Verdict[]> {
    const checked = await Promise.all(inputs.map((i) => this.checkIntrinsic(i)))
    const run = this.queue.then(async () => {
      const verdicts: Verdict[] = []
      for (const c of checked) verdicts.push('verdict' in c ? c.verdict : await this.admit(c.envelope, c.id))
      return verdicts
    })
    // Only keeps the queue going: the caller gets `run`, failure included.
    this.queue = run.catch(() => undefined)
    return run
  }

  /**
   * Record this peer's own edit, normally already applied to its document by a local operation. It
   * takes its place in the timeline and is judged as any other peer would judge it: a local check made
   * a moment earlier (or by a modified client) may disagree with the rules at the envelope's time,
   * and then this peer's document must not keep what nobody else accepts (rebuilt; the session lists
   * it as undelivered).
   */
  async recordLocal(envelope: Envelope): Promise<void> {
    const id = envelopeId(envelope)
    const doc = parseDocId(envelope.docId)
    if (!doc) throw new MalformedError(`unknown document ${envelope.docId}`)
    for (const c of envelope.clients) this.bindings.set(c.clientId, envelope.author)
    await (this.queue = this.queue.then(async () => {
      this.streams.add(envelope, id)
      await this.recordInTimeline(id, envelope, doc)
      if (doc.kind === 'group') this.checkGroupDocRecorded()
    }))
  }

  /** recordLocal's judgement, in the queue: the entry takes its place and is judged there. */
  private async recordInTimeline(id: string, envelope: Envelope, doc: DocRef): Promise<void> {
    const entry: Entry = { id, envelope, doc, accepted: false, local: true }
    this.timeline.insert(entry)
    if (doc.kind === 'group') this.authorityChanged()
    const ydoc = this.doc(envelope.docId)
    if (!holdsEdit(ydoc, envelope.payload)) {
      // The document was rebuilt between the edit and this record (a receive judged while the edit
      // was signed took an envelope out of it): the edit is no longer in it, so it goes through the
      // gate like a remote envelope. Its deletions count too: a removal alone inserts nothing, and
      // the struct it removes may be back undeleted in the rebuilt document, or not there at all.
      const verdict = await this.judge(entry, true)
      if (verdict.kind === 'accept') return this.afterAccept(entry)
      if (verdict.kind === 'reject') {
        this.timeline.remove(entry)
        this.remember(id, verdict.reason)
        return
      }
      this.hold(entry)
      this.emit('held', envelope, verdict.reason)
      return
    }
    const fp = footprint(ydoc, envelope.payload, true)
    if (!fp.ok) {
      // Its own document cannot place the edit: it is not judged as touching nothing (that accepted
      // what every other peer holds aside). Taken out, it is judged as any peer would judge it.
      entry.reason = 'invalid' in fp ? fp.invalid : `missing dependency: ${fp.missing}`
      this.hold(entry)
      this.emit('held', envelope, entry.reason)
      this.rebuild(envelope.docId)
      return this.retryDeferred()
    }
    entry.touches = fp.touches
    // The document already holds this edit: fold authority from the timeline, not from it.
    this.rejudging = true
    const verdict = await this.judge(entry, false).finally(() => (this.rejudging = false))
    // Accepted, it is what every other peer's gate applies on arrival: later envelopes are judged
    // again and held ones retried, there as here (a grant dated before a message held aside).
    if (verdict.kind === 'accept') return this.afterAccept(entry)
    entry.reason = verdict.reason
    this.hold(entry)
    this.emit('held', envelope, verdict.reason)
    this.rebuild(envelope.docId)
  }

  /**
   * Takes back what this device stored (its own earlier verdicts): accepted envelopes are applied
   * without being judged again, held ones are judged with everything else. Only for envelopes that
   * came out of this peer's own storage, before anything else is received.
   */
  async restore(stored: { envelope: Envelope; accepted: boolean }[]): Promise<void> {
    await (this.queue = this.queue.then(async () => {
      const byDoc = new Map<string, Uint8Array[]>()
      const held: Entry[] = []
      for (const { envelope, accepted } of stored) {
        const id = envelopeId(envelope)
        const doc = parseDocId(envelope.docId)
        if (!doc || this.timeline.has(id) || envelope.groupId !== this.groupId) continue
        const entry: Entry = { id, envelope, doc, accepted }
        this.timeline.insert(entry)
        this.streams.add(envelope, id)
        for (const c of envelope.clients) this.bindings.set(c.clientId, envelope.author)
        if (accepted) {
          const list = byDoc.get(envelope.docId)
          if (list) list.push(envelope.payload)
          else byDoc.set(envelope.docId, [envelope.payload])
        } else held.push(entry)
      }
      for (const [docId, updates] of byDoc) {
        applyAll(this.doc(docId), updates, GATE_ORIGIN)
        this.docVersions.set(docId, (this.docVersions.get(docId) ?? 0) + 1)
      }
      this.authorityChanged()
      // The sanctions this device accepted bind again: only envelopes that list `seen` can reduce.
      const group = this.docs.get(GROUP_DOC_ID)
      for (const entry of this.timeline) {
        if (!entry.accepted || entry.doc.kind !== 'group' || !entry.envelope.seen || !group) continue
        const fp = footprint(group, entry.envelope.payload, true)
        if (!fp.ok) continue
        entry.touches = fp.touches
        this.noteReducer(entry, fp.touches)
        if (entry.reducer) this.binding.add(entry)
      }
      this.replace()
      for (const entry of held) this.held.set(entry, '')
      await this.retryDeferred()
    }))
  }

  // -------------------------------------------------------------------------------------------

  private async checkIntrinsic(
    input: Uint8Array | Envelope,
  ): Promise<{ verdict: Verdict } | { envelope: Envelope; id: string }> {
    let envelope: Envelope
    if (input instanceof Uint8Array) {
      if (input.length > this.limits.maxEnvelopeBytes)
        return {
          verdict: reject(`oversize envelope (${input.length} bytes > ${this.limits.maxEnvelopeBytes})`),
        }
      try {
        envelope = decodeEnvelope(input)
      } catch (e) {
        return { verdict: reject(`malformed envelope: ${(e as Error).message}`) }
      }
    } else envelope = input
    const id = envelopeId(envelope)
    const seen = this.seenVerdict(id)
    if (seen) return { verdict: seen }
    if (envelope.groupId !== this.groupId) return { verdict: reject('envelope for another group') }
    if (!parseDocId(envelope.docId)) return { verdict: reject(`unknown document "${envelope.docId}"`) }
    // Not remembered: the id is the signature, and a forger who copied a real signature must not be
    // able to get the real envelope refused later as a "replay".
    if (!(await verifyEnvelopeSignature(envelope))) return { verdict: reject('forged signature') }
    if (hlcWallMs(envelope.hlc) > this.now() + this.limits.maxFutureMs)
      return { verdict: this.remember(id, 'timestamp too far in the future') }
    const claims = await Promise.all(
      envelope.clients.map((c) =>
        verifyClientClaim(envelope.author, this.groupId, c, envelope.device?.device),
      ),
    )
    if (claims.includes(false)) return { verdict: this.remember(id, 'invalid clientID claim') }
    return { envelope, id }
  }

  /**
   * An envelope seen before: a replay of one accepted or held is just "already seen"; a replay of one
   * refused for good is refused again with its reason (so a forwarding transport drops it too).
   */
  private seenVerdict(id: string): Verdict | null {
    if (this.timeline.has(id)) return reject(ALREADY_SEEN)
    const refused = this.rejected.get(id)
    return refused === undefined ? null : reject(`${REFUSED_BEFORE}${refused}`)
  }

  private remember(id: string, reason: string): Verdict {
    this.rejected.set(id, reason)
    if (this.rejected.size > this.limits.maxRememberedRejects) {
      this.rejected.delete(this.rejected.keys().next().value as string)
    }
    return reject(reason)
  }

  private async admit(envelope: Envelope, id: string): Promise<Verdict> {
    const seen = this.seenVerdict(id)
    if (seen) return seen
    for (const c of envelope.clients) {
      const bound = this.bindings.get(c.clientId)
      if (bound !== undefined && bound !== envelope.author)
        return this.remember(id, `clientID ${c.clientId} is bound to another author`)
    }
    const twin = this.streams.add(envelope, id)
    if (twin !== undefined) {
      // One key, one stream, one number, two envelopes: more than one signer holds the key.
      // Everything it signed from the earlier of the two on is refused, here as on every peer.
      const verdict = this.remember(id, EQUIVOCATED)
      await this.recompute()
      await this.retryDeferred()
      return verdict
    }
    const entry: Entry = { id, envelope, doc: parseDocId(envelope.docId)!, accepted: false }
    this.timeline.insert(entry)
    const verdict = await this.judge(entry, true)
    if (verdict.kind === 'reject') {
      this.timeline.remove(entry)
      return this.remember(id, verdict.reason)
    }
    for (const c of envelope.clients) this.bindings.set(c.clientId, envelope.author)
    if (verdict.kind === 'defer') {
      this.hold(entry)
      this.emit('held', envelope, verdict.reason)
      this.trimDeferred()
      return verdict
    }
    await this.afterAccept(entry)
    return ACCEPT
  }

  /** Judges `entry` at its place; applies it when accepted and `apply` is set. */
  private async judge(entry: Entry, apply: boolean): Promise<Verdict> {
    const equivocated = this.streams.equivocatedFrom(entry.envelope)
    if (equivocated !== undefined && entry.envelope.hlc >= equivocated) return reject(EQUIVOCATED)
    const doc = this.doc(entry.envelope.docId)
    if (!entry.touches) {
      const fp = footprint(doc, entry.envelope.payload)
      if (!fp.ok) {
        if ('invalid' in fp) return reject(fp.invalid)
        entry.reason = `missing dependency: ${fp.missing}`
        return defer(entry.reason)
      }
      const claimed = new Set(entry.envelope.clients.map((c) => c.clientId))
      for (const c of fp.clients)
        if (!claimed.has(c)) return reject(`struct from clientID ${c}, not claimed by the author`)
      entry.touches = fp.touches
    }
    if (entry.doc.kind === 'group' && entry.reducer === undefined) {
      const unlisted = this.noteReducer(entry, entry.touches)
      if (unlisted !== undefined) return reject(unlisted)
    }
    const claimers = this.placement.claimersOf(entry)
    const device = signingDeviceOf(entry.envelope)
    let refusal: Awaited<ReturnType<typeof authorise>>
    let state: AuthorityState
    for (;;) {
      state = this.authorityBefore(entry)
      if (state.info?.authority === 2 && !isNumbered(entry.envelope))
        return reject(
          'invalid: an unnumbered (version 1 or 2) envelope in a group that numbers its envelopes',
        )
      const live = state === this.groupMirror?.state ? this.groupMirror.version : undefined
      refusal = await authorise(entry.touches, {
        groupId: this.groupId,
        author: entry.envelope.author,
        device,
        hlc: entry.envelope.hlc,
        wallMs: hlcWallMs(entry.envelope.hlc),
        doc: entry.doc,
        state,
        ownerOfClient: (c) => this.bindings.get(c),
        revokedUnseen:
          device !== undefined &&
          claimers.some((s) => s.reducer!.reductions.some((r) => r.device === device)),
      })
      // The live state moved while a rule awaited (a local edit): judge again against a stable one.
      if (live === undefined || live === this.groupMirror?.version) break
    }
    if (refusal) {
      if (refusal.permanent) return reject(refusal.reason)
      entry.reason = claimers.length
        ? `${UNSEEN_SANCTION} (${describeReducer(claimers[0]!.reducer!)}): ${refusal.reason}`
        : refusal.reason
      return defer(entry.reason)
    }
    entry.accepted = true
    entry.reason = undefined
    if (entry.doc.kind === 'group') entry.freshJoin = isFreshJoin(entry, state)
    if (apply) this.apply(entry)
    if (entry.doc.kind === 'group') this.authorityGrew(entry)
    return ACCEPT
  }

  /**
   * Notes what a group envelope reduces (claims.ts). A change that names whom it reduces must list
   * them in `seen`: the reason when it does not, else undefined.
   */
  private noteReducer(entry: Entry, touches: Touch[]): string | undefined {
    const reductions = reductionsOf(entry.envelope, touches)
    if (reductions.length === 0) return undefined
    const seen = new SeenIndex(entry.envelope)
    if (reductions.some((r) => r.named && !seen.lists(r.user)))
      return "invalid: a change that reduces a member's authority lists them in `seen`"
    entry.reducer = { envelope: entry.envelope, reductions, seen }
    return undefined
  }

  /** After an acceptance: settle what it may change, then retry envelopes held aside. */
  private async afterAccept(entry: Entry): Promise<void> {
    this.emit('accepted', entry.envelope)
    if (entry.doc.kind === 'group') await this.settleGroupAcceptance(entry)
    await this.retryDeferred()
  }

  /**
   * A group envelope was accepted. Last in history and claiming nothing held here, it only adds to
   * what every later judgement sees (and, reducing, binds what arrives unseen from now on). Anywhere
   * else it may change any verdict: everything is judged again (recompute).
   */
  private async settleGroupAcceptance(entry: Entry): Promise<void> {
    const last = this.timeline.at(this.timeline.size - 1) === entry
    const reducer = entry.reducer
    const claimsHeld =
      reducer !== undefined && [...this.timeline].some((e) => e !== entry && claims(reducer, e.envelope))
    if (last && !claimsHeld) {
      if (reducer) {
        this.binding.add(entry)
        this.replace()
      }
      return
    }
    // It only adds: what it lets through was held aside and is retried next (fresh-join.ts). Unless
    // its author signed other group envelopes: a second join, accepted while this one was missing,
    // is a rewrite of this one now.
    if (entry.freshJoin && this.timeline.groupEntriesBy(entry.envelope.author).size === 1) return
    await this.recompute()
  }

  /** A new placement for the current binding sanctions (placement.ts). */
  private replace(): void {
    this.placement = new Placement(this.binding, this.timeline)
    this.authorityChanged()
  }

  /**
   * Every verdict again, as a function of the set of envelopes (ADR 0009, "the authority walk"):
   * judge everything in place order with no sanction binding; the reducing envelopes accepted bind
   * in the next round; repeat until no more bind. Documents whose accepted set changed are rebuilt.
   */
  private async recompute(): Promise<void> {
    const before = new Map<Entry, boolean>()
    for (const e of this.timeline) before.set(e, e.accepted)
    const dirty = new Set<string>()
    this.binding = new Set()
    this.replace()
    for (;;) {
      await this.pass(dirty)
      const grown = [...this.timeline].filter((e) => e.accepted && e.reducer && !this.binding.has(e))
      const gone = [...this.binding].filter((e) => !this.timeline.has(e.id))
      if (grown.length === 0 && gone.length === 0) break
      for (const e of grown) this.binding.add(e)
      for (const e of gone) this.binding.delete(e)
      this.replace()
    }
    for (const [e, was] of before) {
      if (!this.timeline.has(e.id)) continue
      if (was && !e.accepted) {
        dirty.add(e.envelope.docId)
        this.hold(e)
        this.emit('held', e.envelope, e.reason ?? '')
      } else if (!was && e.accepted) {
        this.held.delete(e)
        // Rebuilt below rather than applied here: it may build on envelopes that lost acceptance.
        dirty.add(e.envelope.docId)
        this.emit('accepted', e.envelope)
      }
    }
    for (const docId of dirty) this.rebuild(docId)
  }

  /** One walk: every entry judged in place order against the accepted ones placed before it. */
  private async pass(dirty: Set<string>): Promise<void> {
    const order = this.placement.empty
      ? [...this.timeline]
      : [...this.timeline].sort((a, b) => (this.placement.before(a, b) ? -1 : 1))
    this.rejudging = true
    const fold = (this.walkFold = new AuthorityFold())
    try {
      for (const entry of order) {
        await this.judgeInWalk(entry, dirty)
        // The walk's fold holds every accepted group envelope placed before the next entry.
        if (entry.accepted && entry.doc.kind === 'group' && this.timeline.has(entry.id)) fold.add([entry])
      }
    } finally {
      this.rejudging = false
      this.walkFold = null
      fold.destroy()
    }
  }

  private async judgeInWalk(entry: Entry, dirty: Set<string>): Promise<void> {
    // This peer's own edits are judged too: if a concurrent revocation makes one invalid, its
    // document must match everyone else's (the session then moves to a fresh clientID).
    // Restored entries were applied without a footprint: locate them in the document now.
    if (!entry.touches && entry.accepted) {
      const fp = footprint(this.doc(entry.envelope.docId), entry.envelope.payload, true)
      if (fp.ok) entry.touches = fp.touches
    }
    if (!entry.touches) return
    const was = entry.accepted
    entry.accepted = false
    if (entry.doc.kind === 'group') this.authorityChanged()
    const verdict = await this.judge(entry, false)
    if (verdict.kind === 'reject') {
      this.timeline.remove(entry)
      this.held.delete(entry)
      this.remember(entry.id, verdict.reason)
      if (was) dirty.add(entry.envelope.docId)
      this.emit('dropped', entry.envelope)
    }
  }

  /** Envelopes held aside for a missing dependency or a permission may pass now. */
  private async retryDeferred(): Promise<void> {
    let progress = true
    while (progress && this.held.size > 0) {
      progress = false
      for (const entry of this.heldInOrder()) {
        // Judge again only if something it could depend on changed since last time.
        if (this.held.get(entry) === this.judgedKey(entry)) continue
        const verdict = await this.judge(entry, true)
        if (verdict.kind === 'reject') {
          this.timeline.remove(entry)
          this.held.delete(entry)
          this.remember(entry.id, verdict.reason)
          this.emit('dropped', entry.envelope)
        } else if (verdict.kind === 'accept') {
          this.held.delete(entry)
          this.emit('accepted', entry.envelope)
          if (entry.doc.kind === 'group') await this.settleGroupAcceptance(entry)
          progress = true
        } else this.hold(entry)
      }
    }
  }

  private hold(entry: Entry): void {
    this.held.set(entry, this.judgedKey(entry))
  }

  private judgedKey(entry: Entry): string {
    return `${this.authorityVersion}:${this.docVersions.get(entry.envelope.docId) ?? 0}`
  }

  private heldInOrder(): Entry[] {
    return [...this.held.keys()].sort((a, b) => (this.placement.before(a, b) ? -1 : 1))
  }

  private apply(entry: Entry): void {
    const docId = entry.envelope.docId
    Y.applyUpdate(this.doc(docId), entry.envelope.payload, GATE_ORIGIN)
    this.docVersions.set(docId, (this.docVersions.get(docId) ?? 0) + 1)
  }

  /** A fresh document from the envelopes that stay accepted, in timeline order. */
  private rebuild(docId: string): void {
    const old = this.docs.get(docId)
    // Not reusing the old clientID: the session sets its own before each local edit, and a doc whose
    // clientID appears in the updates applied to it would pick a random new one anyway.
    let doc: Y.Doc
    for (;;) {
      doc = new Y.Doc({ gc: true })
      const entries = [...this.timeline].filter((e) => e.accepted && e.envelope.docId === docId)
      applyAll(
        doc,
        entries.map((e) => e.envelope.payload),
        GATE_ORIGIN,
      )
      // An accepted envelope can build on one that has just lost its acceptance (the same clientID's
      // earlier structs): it cannot integrate now, and a peer that never accepted the earlier one holds
      // it aside for a missing dependency. So must this peer, or the two would differ.
      const stuck = entries.filter((e) => !integrated(doc, e.envelope.payload))
      if (stuck.length === 0) break
      doc.destroy()
      for (const e of stuck) {
        e.accepted = false
        e.touches = undefined
        e.reason = 'missing dependency: it builds on an envelope no longer accepted'
        this.hold(e)
        this.emit('held', e.envelope, e.reason)
      }
    }
    this.docs.set(docId, doc)
    if (docId === GROUP_DOC_ID) {
      this.watchGroupDoc(doc)
      // Rebuilt from accepted envelopes only: a local edit not recorded yet is not in it any more.
      this.unrecordedGroupEdits = false
    }
    this.docVersions.set(docId, (this.docVersions.get(docId) ?? 0) + 1)
    if (docId === GROUP_DOC_ID) this.authorityChanged()
    old?.destroy()
    this.emit('docReplaced', docId, doc)
  }

  private watchGroupDoc(doc: Y.Doc): void {
    this.groupMirror?.destroy()
    this.groupMirror = new AuthorityMirror(doc, true)
    doc.on('update', (_update: Uint8Array, origin: unknown) => {
      if (origin !== GATE_ORIGIN) this.unrecordedGroupEdits = true
    })
  }

  /** After a local group edit is recorded: whether the document now holds only accepted envelopes. */
  private checkGroupDocRecorded(): void {
    if (!this.unrecordedGroupEdits) return
    const scratch = new Y.Doc({ gc: true })
    const accepted = [...this.accepted(GROUP_DOC_ID)].map((e) => e.payload)
    applyAll(scratch, accepted)
    if (Y.equalSnapshots(Y.snapshot(scratch), Y.snapshot(this.doc(GROUP_DOC_ID))))
      this.unrecordedGroupEdits = false
    scratch.destroy()
  }

  private authorityChanged(): void {
    this.authorityVersion++
    this.pastAuthority.clear()
  }

  /**
   * `entry` joined the accepted group envelopes: the latest of them is known without a scan (a join
   * in a large group must not cost a walk over every envelope).
   */
  private authorityGrew(entry: Entry): void {
    const known = this.latestAuthority?.version === this.authorityVersion ? this.latestAuthority : null
    const cursorHolds =
      this.cursorVersion === this.authorityVersion &&
      (!this.cursor?.last || this.placement.before(this.cursor.last, entry))
    this.authorityChanged()
    // Placed after everything the cursor folded: what it holds is still history.
    if (cursorHolds) this.cursorVersion = this.authorityVersion
    if (known === null) return
    const latest = known.entry === null || this.placement.before(known.entry, entry) ? entry : known.entry
    this.latestAuthority = { version: this.authorityVersion, entry: latest }
  }

  /**
   * Authority state from the accepted group envelopes placed before `entry` — leaving out, for a
   * reducing envelope, those it claims (strong remove: nothing its targets signed unseen can make a
   * sanction invalid).
   */
  private authorityBefore(entry: Entry): AuthorityState {
    const reducer = entry.reducer
    if (reducer === undefined) {
      if (this.walkFold) return this.walkFold.state
      if (!this.rejudging && !this.unrecordedGroupEdits) {
        const latest = this.latestAcceptedAuthority()
        if (latest === null || latest === entry || this.placement.before(latest, entry))
          return this.authority()
      }
      const folded = this.foldedBefore(entry)
      if (folded) return folded
    }
    const prior: Envelope[] = []
    let last: Entry | null = null
    const left: string[] = []
    for (const e of this.timeline) {
      if (e === entry || e.doc.kind !== 'group' || !e.accepted) continue
      if (!this.placement.before(e, entry)) continue
      if (last === null || this.placement.before(last, e)) last = e
      if (reducer !== undefined && claims(reducer, e.envelope)) left.push(e.id)
      else prior.push(e.envelope)
    }
    // The accepted group envelopes placed before `entry` are exactly those up to the last of them.
    const key = `${last?.id ?? ''}|${left.join(',')}`
    let state = this.pastAuthority.get(key)
    if (!state) {
      const scratch = new Y.Doc({ gc: true })
      applyAll(
        scratch,
        prior.map((e) => e.payload),
      )
      state = readAuthorityState(scratch)
      scratch.destroy()
      this.pastAuthority.set(key, state)
    }
    return state
  }

  /**
   * Authority from the cursor, moved forward to `entry`'s place (or built again when `entry` is placed
   * before it): envelopes dated a little before the latest group envelope arrive roughly in order, so
   * each costs the group envelopes between it and the one before. Null while sanctions bind: place
   * order is then not timeline order.
   */
  private foldedBefore(entry: Entry): AuthorityState | null {
    if (!this.placement.empty) return null
    if (
      this.cursor !== null &&
      (this.cursorVersion !== this.authorityVersion ||
        (this.cursor.last !== null && !before(this.cursor.last, entry)))
    ) {
      this.cursor.destroy()
      this.cursor = null
    }
    this.cursor ??= new AuthorityFold()
    const next: Entry[] = []
    for (const e of this.timeline.groupFrom(this.cursor.last)) {
      if (!before(e, entry)) break
      if (e.accepted && e !== entry) next.push(e)
    }
    this.cursor.add(next)
    this.cursorVersion = this.authorityVersion
    return this.cursor.state
  }

  /** The accepted group envelope placed last (scanned once per authority version). */
  private latestAcceptedAuthority(): Entry | null {
    if (this.latestAuthority?.version !== this.authorityVersion) {
      let latest: Entry | null = null
      if (this.placement.empty) {
        for (const e of this.timeline.groupNewestFirst())
          if (e.accepted) {
            latest = e
            break
          }
      } else
        for (const e of this.timeline.groupFrom(null))
          if (e.accepted && (latest === null || this.placement.before(latest, e))) latest = e
      this.latestAuthority = { version: this.authorityVersion, entry: latest }
    }
    return this.latestAuthority.entry
  }

  private trimDeferred(): void {
    if (this.held.size <= this.limits.maxDeferred) return
    for (const oldest of this.heldInOrder().slice(0, this.held.size - this.limits.maxDeferred)) {
      this.timeline.remove(oldest)
      this.held.delete(oldest)
      this.emit('dropped', oldest.envelope)
    }
  }

  private emit<K extends keyof GateEvents>(event: K, ...args: Parameters<GateEvents[K]>): void {
    for (const l of this.listeners[event]) {
      try {
        ;(l as (...a: Parameters<GateEvents[K]>) => void)(...args)
      } catch (e) {
        console.error(`gate: a ${event} listener threw`, e)
      }
    }
  }
}

/** Whether every struct of `update` is already in `doc` (deletions are idempotent and not checked). */
function holdsUpdate(doc: Y.Doc, update: Uint8Array): boolean {
  // Not Y.encodeStateVectorFromUpdate: it leaves out a client whose structs in the update do not
  // start at clock 0, so an update that builds on a struct no longer here would look held.
  const { structs } = Y.decodeUpdate(update) as unknown as { structs: (Y.Item | Y.GC | Y.Skip)[] }
  for (const s of structs)
    if (!(s instanceof Y.Skip) && Y.getState(doc.store, s.id.client) < s.id.clock + s.length) return false
  return true
}

/**
 * Whether `doc` holds this edit: every struct it inserts, and every struct it deletes present and
 * deleted (a document rebuilt since the edit can hold a struct it removed, undeleted, or lack it).
 */
function holdsEdit(doc: Y.Doc, update: Uint8Array): boolean {
  if (!holdsUpdate(doc, update)) return false
  for (const [client, ranges] of deletions(update)) {
    const state = Y.getState(doc.store, client)
    for (const { clock, len } of ranges) {
      if (clock + len > state) return false
      for (let c = clock; c < clock + len;) {
        const s = Y.getItem(doc.store, new Y.ID(client, c)) as Y.Item | Y.GC
        if (s instanceof Y.Item && !s.deleted) return false
        c = s.id.clock + s.length
      }
    }
  }
  return true
}

function deletions(update: Uint8Array): Map<number, { clock: number; len: number }[]> {
  const { ds } = Y.decodeUpdate(update) as unknown as {
    ds: { clients: Map<number, { clock: number; len: number }[]> }
  }
  return ds.clients
}

/** Whether every struct and deletion of `update` has taken effect in `doc` (nothing left pending). */
function integrated(doc: Y.Doc, update: Uint8Array): boolean {
  if (!holdsUpdate(doc, update)) return false
  for (const [client, ranges] of deletions(update)) {
    const state = Y.getState(doc.store, client)
    for (const { clock, len } of ranges) if (clock + len > state) return false
  }
  return true
}
