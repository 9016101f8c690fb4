// Test helpers that read like the scenario: people, a group, and envelopes carried between them
// in whatever order a test chooses (no network: the gate does not know how bytes travelled).

import * as Y from 'yjs'
import { createGroup, openGroup, type OpenGroup } from '../src/group/create'
import { Identity } from '../src/identity/identity'
import { encodeEnvelope, type Envelope } from '../src/envelope/envelope'
import type { Verdict } from '../src/gate/verdict'
import type { GroupKey } from '../src/keys/group-key'
import type { ActionOptions } from '../src/group/operations'
import { HLC_COUNTER_SPAN, HybridClock } from '../src/envelope/hlc'

export interface Person extends OpenGroup {
  name: string
  identity: Identity
  /** Every envelope this person produced, in order. */
  outbox: Envelope[]
}

/**
 * A modified client's clock: it dates what it signs `backdate` ms in the past, whatever it has seen
 * (an attacker's tool: HLC timestamps are claims). Still strictly increasing within itself.
 */
export class BackdatingClock extends HybridClock {
  private back = 0
  /** Date the next envelopes `ms` before now; 0 makes the clock honest again. */
  backdate(ms: number): void {
    this.back = ms
  }
  override now(): number {
    return super.now() - this.back * HLC_COUNTER_SPAN
  }
}

export async function person(
  name: string,
  groupId: string,
  options: ActionOptions & { clock?: HybridClock } = {},
): Promise<Person> {
  const identity = await Identity.create()
  const outbox: Envelope[] = []
  const opened = await openGroup(identity, groupId, { ...options, send: (e) => outbox.push(e) })
  return { name, identity, outbox, ...opened }
}

/** Alice's new group with a "general" panel. */
export async function groupOf(
  ownerName = 'alice',
  options: { clock?: HybridClock } = {},
): Promise<{ owner: Person; key: GroupKey; general: string }> {
  const identity = await Identity.create()
  const outbox: Envelope[] = []
  const created = await createGroup(
    identity,
    { name: 'Tailmesh team' },
    { ...options, send: (e) => outbox.push(e) },
  )
  return {
    owner: { name: ownerName, identity, outbox, ...created },
    key: created.key,
    general: created.panelIds[0]!,
  }
}

/** Delivers every accepted envelope `from` holds that `to` lacks, as encoded bytes. */
export async function sync(from: Person, to: Person): Promise<Verdict[]> {
  const missing = [...from.gate.accepted()].filter((e) => !to.gate.has(idOf(e)))
  return to.gate.receiveMany(missing.map(encodeEnvelope))
}

export const idOf = (e: Envelope): string => Buffer.from(e.signature).toString('base64url')

export async function syncAll(people: Person[]): Promise<void> {
  for (let round = 0; round < 2; round++)
    for (const a of people) for (const b of people) if (a !== b) await sync(a, b)
}

/** Alice invites `who` and they join: the joiner first receives the group's history. */
export async function join(owner: Person, who: Person): Promise<void> {
  const { secret } = await owner.actions.createInvite({ maxUses: 10 })
  await sync(owner, who)
  await who.actions.join(secret)
  await sync(who, owner)
}

export function snapshot(p: Person): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const docId of docIds(p)) {
    const doc = p.gate.doc(docId)
    // A map someone merely looked at exists locally but holds nothing: not part of the state.
    out[docId] = Object.fromEntries(
      [...doc.share.keys()]
        .sort()
        .map((k) => [k, doc.getMap(k).toJSON()])
        .filter(([, v]) => Object.keys(v as object).length > 0),
    )
  }
  return out
}

/**
 * Documents holding something. A document whose accepted envelopes left nothing in it is left out:
 * the property test found peers that differ only in such no-effect envelopes (see the team note).
 */
/**
 * Every document this person holds content in. Documents with accepted envelopes but no content are
 * left out: under load an author's own peer can keep accepting an envelope that builds on one of its
 * own that lost acceptance (see the stop-10 note); its content cannot integrate, so views agree.
 */
export function docIds(p: Person): string[] {
  return [...new Set([...p.gate.accepted()].map((e) => e.docId))]
    .filter((d) =>
      [...p.gate.doc(d).share.values()].some((t) => (t as { _map?: Map<string, unknown> })._map?.size),
    )
    .sort()
}

/** The ids of the envelopes this person accepted, sorted: honest peers that healed hold the same set. */
export function acceptedIds(p: Person): string[] {
  return [...p.gate.accepted()].map(idOf).sort()
}

export function encodedState(p: Person): Record<string, string> {
  return Object.fromEntries(
    docIds(p).map((d) => [d, Buffer.from(Y.encodeStateAsUpdate(p.gate.doc(d))).toString('base64')]),
  )
}
