// Which envelopes a sanction binds (docs/adr/0009). A group-document envelope *reduces* a member when
// it mutes, kicks or bans them, takes a role from them, changes or deletes a role (its holders, as
// the envelope lists them), or revokes one of their devices. It *claims* an envelope of that member
// that its author had not seen: a number above what its `seen` lists for that stream. A claimed
// envelope is judged after the sanction, whatever date it claims; two sanctions that claim each
// other are concurrent, and each is judged without the other (both stand).

import * as Y from 'yjs'
import { isNumbered, type Envelope } from '../envelope/envelope'
import { GROUP_DOC_ID, GroupRoot, parseDeviceKey } from '../group/documents'
import { isUserId, type UserId } from '../identity/user-id'
import type { Touch } from './footprint'
import { signingDeviceOf, streamKeyOf, streamName } from './streams'

/** One member (or one of their devices) an envelope reduces. */
export interface Reduction {
  user: UserId
  /** Only envelopes this device signed (a device revocation). */
  device?: string
  /** The target is named by the change itself (not a role's holder as the envelope lists them). */
  named: boolean
  /** For reasons: "a ban", "a role change", … */
  what: string
}

/** What a numbered group envelope reduces, from what it touches and whom it lists in `seen`. */
export function reductionsOf(envelope: Envelope, touches: readonly Touch[]): Reduction[] {
  if (!isNumbered(envelope)) return []
  const out: Reduction[] = []
  let roles = false
  for (const t of touches) {
    const value = t.written[t.written.length - 1]
    if (t.root === GroupRoot.sanctions && value !== undefined) {
      const [kind, target] = t.key.split('/')
      if (isUserId(target)) out.push({ user: target, named: true, what: `a ${kind}` })
    } else if (t.root === GroupRoot.assignments && value === undefined) {
      const user = t.key.split('/')[0]
      if (isUserId(user)) out.push({ user, named: true, what: 'a role taken away' })
    } else if (t.root === GroupRoot.roles) roles = true
    else if (t.root === GroupRoot.devices) {
      const key = parseDeviceKey(t.key)
      if (key?.revoked && key.userId === envelope.author)
        out.push({ user: envelope.author, device: key.deviceId, named: true, what: 'a device revocation' })
    }
  }
  // A role's holders at the change are whoever its author lists: listing more claims only what
  // the author had not seen of them, the same trust as the change itself.
  if (roles)
    for (const u of envelope.seen ?? [])
      if (u.user !== envelope.author && !out.some((r) => r.user === u.user && r.device === undefined))
        out.push({ user: u.user, named: false, what: 'a role change' })
  return out
}

/** A sanction's `seen`, looked up by (user, stream name). */
export class SeenIndex {
  private readonly seqs = new Map<string, number>()
  private readonly users = new Set<UserId>()
  constructor(envelope: Envelope) {
    for (const u of envelope.seen ?? []) {
      this.users.add(u.user)
      for (const s of u.streams) this.seqs.set(`${u.user}|${streamName(s.key, s.stream)}`, s.seq)
    }
  }
  lists(user: UserId): boolean {
    return this.users.has(user)
  }
  seq(user: UserId, stream: string): number {
    return this.seqs.get(`${user}|${stream}`) ?? 0
  }
}

/** A reducing envelope as the gate keeps it: what it reduces and what it had seen. */
export interface Reducer {
  readonly envelope: Envelope
  readonly reductions: readonly Reduction[]
  readonly seen: SeenIndex
}

const selfRecords = new WeakMap<Envelope, boolean>()

/**
 * Whether `e` only creates its author's own member or device record (a join, a linked device):
 * read from the update alone, since a new map key carries its parent. Such an envelope is never
 * claimed: otherwise a moderator who understates `seen` would claim the join of the member it
 * sanctions and make every later act of theirs, a concurrent counter-sanction included, that of a
 * non-member. A join dated anywhere cannot undo a sanction (a banned user cannot join; a member
 * cannot rewrite how they joined).
 */
function isSelfRecord(e: Envelope): boolean {
  let known = selfRecords.get(e)
  if (known === undefined) {
    known = false
    if (e.docId === GROUP_DOC_ID)
      try {
        const { structs, ds } = Y.decodeUpdate(e.payload) as unknown as {
          structs: unknown[]
          ds: { clients: Map<number, unknown> }
        }
        known =
          ds.clients.size === 0 &&
          structs.length > 0 &&
          structs.every(
            (s) =>
              s instanceof Y.Item &&
              (((s.parent as unknown) === GroupRoot.members && s.parentSub === e.author) ||
                ((s.parent as unknown) === GroupRoot.devices &&
                  s.parentSub?.startsWith(`${e.author}:`) === true)),
          )
      } catch {
        known = false
      }
    selfRecords.set(e, known)
  }
  return known
}

/** Whether `sanction` claims `e`: it reduces e's signer and its author had not seen `e`. */
export function claims(sanction: Reducer, e: Envelope): boolean {
  const stream = streamKeyOf(e)
  if (stream === undefined || e === sanction.envelope || isSelfRecord(e)) return false
  const device = signingDeviceOf(e)
  for (const r of sanction.reductions) {
    if (r.user !== e.author) continue
    if (r.device !== undefined ? r.device !== device : e.author === sanction.envelope.author) continue
    return e.seq! > sanction.seen.seq(r.user, stream)
  }
  return false
}

/** A sanction in a reason: "a ban", "a role change", … */
export function describeReducer(r: Reducer): string {
  return r.reductions[0]?.what ?? 'a sanction'
}
