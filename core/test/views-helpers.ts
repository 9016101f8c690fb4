// Helpers for the derived-view tests (history, inbox, read state, DMs): people with profiles, a group
// whose owner's clock a test can set (to write history in past weeks), and joining with a profile.
// They build the same `Person` shape as peers.ts, so its `sync` / `syncAll` carry envelopes.

import { createGroup, openGroup, type OpenGroup } from '../src/group/create'
import { HybridClock } from '../src/envelope/hlc'
import type { Envelope } from '../src/envelope/envelope'
import { Identity } from '../src/identity/identity'
import { signProfile, type SignedProfile } from '../src/identity/profile'
import { sync, type Person } from './peers'

export const DAY_MS = 24 * 60 * 60 * 1000

/** A wall clock a test moves by hand. */
export class ManualTime {
  constructor(public ms: number = Date.now()) {}
  readonly now = (): number => this.ms
}

export async function profileOf(identity: Identity, nickname: string): Promise<SignedProfile> {
  return signProfile(identity, { nickname, updatedAt: Date.now() })
}

/** Wraps an opened or created group into a Person whose envelopes land in `outbox`. */
export function asPerson(name: string, identity: Identity, outbox: Envelope[], opened: OpenGroup): Person {
  return { name, identity, outbox, ...opened }
}

/** Someone about to join `groupId`, with a signed profile carrying `name` as nickname. */
export async function personWithProfile(
  name: string,
  groupId: string,
): Promise<Person & { profile: SignedProfile }> {
  const identity = await Identity.create()
  const outbox: Envelope[] = []
  const opened = await openGroup(identity, groupId, { send: (e) => outbox.push(e) })
  return { ...asPerson(name, identity, outbox, opened), profile: await profileOf(identity, name) }
}

/**
 * Alice's group with a "general" panel, her clock driven by `time` (so she can write messages dated
 * in past weeks: set `time.ms` back, send, set it forward again).
 */
export async function groupWithClock(
  time: ManualTime,
  ownerName = 'alice',
): Promise<{ owner: Person; general: string }> {
  const identity = await Identity.create()
  const outbox: Envelope[] = []
  const created = await createGroup(
    identity,
    { name: 'Tailmesh team', profile: await profileOf(identity, ownerName) },
    { send: (e) => outbox.push(e), clock: new HybridClock(time.now) },
  )
  return { owner: asPerson(ownerName, identity, outbox, created), general: created.panelIds[0]! }
}

/** `owner` invites `who` (with their profile) and they join; the owner receives the join. */
export async function joinWithProfile(
  owner: Person,
  who: Person & { profile: SignedProfile },
): Promise<void> {
  const { secret } = await owner.actions.createInvite({ maxUses: 10 })
  await sync(owner, who)
  await who.actions.join(secret, who.profile)
  await sync(who, owner)
}

/** Someone who already exists (in another group) about to join `groupId` with the same identity. */
export async function samePersonIn(name: string, identity: Identity, groupId: string): Promise<Person> {
  const outbox: Envelope[] = []
  const opened = await openGroup(identity, groupId, { send: (e) => outbox.push(e) })
  return asPerson(name, identity, outbox, opened)
}
