// What each row of the large-group bench measures, on one size's fixture (fixture.ts). The honest
// peer is the owner's device, reopened from the envelopes it stored (Gate.restore); every other row
// feeds it real signed envelopes through the gate, as a relay's catch-up or a live link would.

import { shallowRef } from 'vue'
import * as Y from 'yjs'
import { decodeEnvelope, type Envelope } from '../../core/src/envelope/envelope'
import type { Verdict } from '../../core/src/gate/verdict'
import { isMember, memberIds, type AuthorityState } from '../../core/src/group/authority-state'
import { openGroup, type OpenGroup } from '../../core/src/group/create'
import { EVERYONE_ROLE } from '../../core/src/group/documents'
import { openKeyring, rotationsInOrder } from '../../core/src/group/keyring'
import { Identity } from '../../core/src/identity/identity'
import { validateProfile, type SignedProfile } from '../../core/src/identity/profile'
import type { UserId } from '../../core/src/identity/user-id'
import type { MemberPresence } from '../../core/src/sync/presence'
import { GroupKey } from '../../core/src/keys/group-key'
import { memberListModel } from '../../web/src/members/member-list-model'
import type { GroupFixture } from './fixture'
import type { Measure } from './table'

/** A relay hands a peer catching up this many envelopes at a time. */
export const CATCH_UP = 500

const elapsed = (since: number) => performance.now() - since

function expectAccepted(verdicts: Verdict[], what: string): void {
  const refused = verdicts.find((v) => v.kind !== 'accept')
  if (refused && 'reason' in refused) throw new Error(`${what}: ${refused.kind}: ${refused.reason}`)
}

/**
 * The owner's device reopened from what it stored: every envelope of the group at n members, all
 * accepted (decoding included, as a reopen reads them from storage). Resolves with the time taken.
 */
export async function reopen(f: GroupFixture): Promise<{ group: OpenGroup; ms: number }> {
  const t = performance.now()
  const stored = f.base.map((bytes) => ({ envelope: decodeEnvelope(bytes), accepted: true }))
  const group = await openGroup(f.owner, f.groupId)
  await group.gate.restore(stored)
  const ms = elapsed(t)
  const members = memberIds(group.gate.authority()).length
  if (members !== f.plan.n) throw new Error(`reopened with ${members} members, not ${f.plan.n}`)
  return { group, ms }
}

/** Seconds for `runs` more reopens, each into a fresh gate (let go at once). */
export async function reopenTimes(f: GroupFixture, runs: number): Promise<number[]> {
  const seconds: number[] = []
  for (let r = 0; r < runs; r++) seconds.push((await reopen(f)).ms / 1000)
  return seconds
}

/**
 * The member list (web's memberListModel: sorted once, then patched) for everyone in the group, ms
 * per change: each run, one member comes online or goes offline. The first build is not counted.
 */
export function memberList(group: OpenGroup, runs: number): Measure {
  const state = group.gate.authority()
  const members = memberIds(state).map((userId) => ({ userId, nickname: nicknameOf(state, userId) }))
  const presence = shallowRef<ReadonlyMap<UserId, MemberPresence>>(new Map())
  const roles = [...state.roles].map(([id, r]) => ({
    id,
    name: r.name,
    color: r.color,
    everyone: id === EVERYONE_ROLE,
  }))
  const assigned = [...state.assignments].map(([userId, held]) => ({ userId, roles: [...held] }))
  const model = memberListModel({
    members: () => members,
    roles: () => roles,
    assigned: () => assigned,
    presence: () => presence.value,
    me: () => group.session.userId,
    owner: () => state.info?.owner,
    locale: () => 'en',
    query: () => '',
  })
  void model.sections.value
  const samples: number[] = []
  for (let r = 0; r < runs; r++) {
    const next = new Map(presence.value)
    const who = members[(r * 7919) % members.length]!.userId
    if (next.has(who)) next.delete(who)
    else next.set(who, { userId: who, online: true, typing: null, lastActive: 0 })
    const t = performance.now()
    presence.value = next
    void model.sections.value
    samples.push(elapsed(t))
  }
  return { samples }
}

/** As the app names a member (GroupHandle.nickname): their profile's nickname, else the id's start. */
function nicknameOf(state: AuthorityState, userId: UserId): string {
  const signed = state.members.get(userId)?.profile as SignedProfile | undefined
  try {
    if (signed?.userId === userId) return validateProfile(signed.profile).nickname
  } catch {
    // an unreadable profile: the id, as the app shows it
  }
  return userId.slice(0, 8)
}

/** The batch of later joins in `parts` catch-up receives: ms per join in each. */
export async function joins(group: OpenGroup, f: GroupFixture, parts: number): Promise<Measure> {
  const samples: number[] = []
  const size = Math.ceil(f.batch.length / parts)
  for (let i = 0; i < f.batch.length; i += size) {
    const part = f.batch.slice(i, i + size)
    const t = performance.now()
    expectAccepted(await group.gate.receiveMany(part), 'a later join')
    samples.push(elapsed(t) / part.length)
  }
  return { samples }
}

/** A join arrives, then a message dated before it (written offline, delivered late): ms for the message. */
export async function lateMessages(group: OpenGroup, f: GroupFixture): Promise<Measure> {
  const samples: number[] = []
  for (const { join, message } of f.late) {
    expectAccepted([await group.gate.receive(join)], 'the join after a late message')
    const t = performance.now()
    expectAccepted([await group.gate.receive(message)], 'a late message')
    samples.push(elapsed(t))
  }
  return { samples }
}

/** The writers' live messages (one envelope each) in catch-up batches: messages/s through the gate. */
export async function gateThroughput(group: OpenGroup, f: GroupFixture): Promise<Measure> {
  const t = performance.now()
  for (let i = 0; i < f.messages.length; i += CATCH_UP)
    expectAccepted(await group.gate.receiveMany(f.messages.slice(i, i + CATCH_UP)), 'a message')
  return { samples: [(f.messages.length / elapsed(t)) * 1000] }
}

/** The same messages' updates applied straight to fresh documents: messages/s. */
export function rawThroughput(f: GroupFixture, runs: number): Measure {
  const messages: Envelope[] = f.messages.map(decodeEnvelope)
  const samples: number[] = []
  for (let r = 0; r < runs; r++) {
    const docs = new Map<string, Y.Doc>()
    const t = performance.now()
    for (const e of messages) {
      let doc = docs.get(e.docId)
      if (!doc) docs.set(e.docId, (doc = new Y.Doc()))
      Y.applyUpdate(doc, e.payload)
    }
    samples.push((messages.length / elapsed(t)) * 1000)
  }
  return { samples }
}

/**
 * The owner kicks the last writer: seconds until the kick and the key rotation (in parts past
 * LIMITS.keyRecipients wraps) are signed and recorded. Then checked: the kicked member's keyring
 * does not open the new key, a remaining member's does, and nothing the owner wrote is held aside.
 * Past `capMs` it is left running (`finishing`) and the time is a lower bound.
 */
export async function kick(
  group: OpenGroup,
  f: GroupFixture,
  capMs: number,
): Promise<{ measure: Measure; finishing?: Promise<unknown> }> {
  const target = f.writers[f.writers.length - 1]!
  const keeper = f.writers[1]!
  const t = performance.now()
  const kicking = group.actions.kick(target.userId).then(
    () => null,
    (e: Error) => e.message,
  )
  let timer: NodeJS.Timeout | undefined
  const capped = new Promise<'capped'>((resolve) => (timer = setTimeout(() => resolve('capped'), capMs)))
  const outcome = await Promise.race([kicking, capped])
  clearTimeout(timer)
  const seconds = elapsed(t) / 1000
  if (outcome === 'capped')
    return { measure: { samples: [seconds], capped: true, note: 'not done' }, finishing: kicking }
  const failed = (why: string) => ({ measure: { samples: [], failed: why } })
  if (outcome !== null) return failed(outcome)
  const held = group.session.undelivered()
  if (held.length) return failed(`held aside: ${held[0]!.reason}`)
  const state = group.gate.authority()
  if (isMember(state, target.userId)) return failed('the kicked member is still a member')
  const newest = rotationsInOrder(state).pop()?.[0]
  if (newest === undefined) return failed('no key rotation')
  const opens = async (who: Identity) => {
    // The invite link's key is not part of the question: any key stands in for it.
    const ring = await openKeyring(
      state,
      f.groupId,
      who.userId,
      await who.boxKeys(),
      await GroupKey.generate(),
    )
    return ring.keys.some((k) => k.id === newest)
  }
  if (await opens(target)) return failed('the kicked member opens the new key')
  if (!(await opens(keeper))) return failed('a remaining member cannot open the new key')
  const parts = [...state.keyParts].filter((k) => k.startsWith(`${newest}/`)).length
  return { measure: { samples: [seconds], note: `rotation in ${parts + 1} part${parts ? 's' : ''}` } }
}

/**
 * A newcomer's gate takes the whole group in catch-up batches, stopping after `capMs` (then the time is
 * a lower bound). Seconds, and the megabytes of envelopes it downloads.
 */
export async function open(f: GroupFixture, capMs: number): Promise<{ time: Measure; bytes: number }> {
  const newcomer = await openGroup(await Identity.create(), f.groupId)
  const bytes = f.base.reduce((s, b) => s + b.length, 0)
  const t = performance.now()
  let done = 0
  while (done < f.base.length) {
    const batch = f.base.slice(done, done + CATCH_UP)
    expectAccepted(await newcomer.gate.receiveMany(batch), 'the newcomer')
    done += batch.length
    if (done < f.base.length && elapsed(t) > capMs) {
      const time = { samples: [elapsed(t) / 1000], capped: true }
      return {
        time: { ...time, note: `stopped at ${done.toLocaleString()} of ${f.base.length.toLocaleString()}` },
        bytes,
      }
    }
  }
  return { time: { samples: [elapsed(t) / 1000] }, bytes }
}
