// A group with many members, written from Node: a member ("Seeder", core directly) creates the group
// and an invite without a use limit, then `total` people join with it, each a new identity signing
// its own join (with a profile naming it `name(i)`), JOINING_AT_ONCE at a time. Each joiner's gate
// holds only what a join needs (the group's creation and the invite), so a join costs the same
// whoever joined before; the joins are concurrent edits of the member map, as when people join from
// separate devices. Every envelope goes to the real relay's mailbox (seed-mailbox.ts), so a person
// who joins from the link gets the whole member list.
import { Identity, createGroup, encodeEnvelope, openGroup, signProfile, type Envelope } from '@tailmesh/core'
import { publishToMailbox } from './seed-mailbox'

const JOINING_AT_ONCE = 16

export interface SeedMembersOptions {
  total: number
  /** Member i's nickname. */
  name: (i: number) => string
}

/** Seeds the group into the relay's mailbox; returns the invite link and how long it took. */
export async function seedMembers(
  relayUrl: string,
  { total, name }: SeedMembersOptions,
): Promise<{ link: string; seconds: number }> {
  const start = Date.now()
  const envelopes: Envelope[] = []
  const seeder = await Identity.create()
  const named = (identity: Identity, nickname: string) =>
    signProfile(identity, { nickname, updatedAt: Date.now() })
  const group = await createGroup(
    seeder,
    { name: 'Crowded group', profile: await named(seeder, 'Seeder') },
    { send: (e) => envelopes.push(e) },
  )
  const { secret } = await group.actions.createInvite({ expiresInMs: null, maxUses: null })
  // What a joiner must hold before it may sign its join: the group so far (its creation, the invite).
  const founding = envelopes.map(encodeEnvelope)
  const join = async (i: number) => {
    const identity = await Identity.create()
    const joiner = await openGroup(identity, group.groupId, { send: (e) => envelopes.push(e) })
    await joiner.gate.receiveMany(founding)
    await joiner.actions.join(secret, await named(identity, name(i)))
  }
  for (let i = 0; i < total; i += JOINING_AT_ONCE)
    await Promise.all(Array.from({ length: Math.min(JOINING_AT_ONCE, total - i) }, (_, k) => join(i + k)))
  // In (HLC, id) order, so each join reaches a reader's gate after every one placed before it.
  envelopes.sort((x, y) => x.hlc - y.hlc)
  const link = await publishToMailbox(relayUrl, group, envelopes, secret)
  return { link, seconds: (Date.now() - start) / 1000 }
}
