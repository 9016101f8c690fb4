// A pairwise mailbox topic between a group's owner and one member, keyed by X25519 between their box
// keys: only the two of them can read or post on it. The owner uses it to reach a member who joined
// with an invite link older than the group's newest key (keyring.ts, missedRotation): that member
// cannot open anything sealed with the newer keys, so the owner sends them the group document —
// including the fresh rotation that wraps the newest key for them — on this channel.
import { fromBase64Url } from '../../bytes'
import { boxSharedSecret, type BoxKeyPair } from '../../crypto/x25519'
import { encodeEnvelope } from '../../envelope/envelope'
import { sealEnvelope } from '../../envelope/seal'
import { isMember, type AuthorityState } from '../../group/authority-state'
import { GROUP_DOC_ID } from '../../group/documents'
import { leftSinceRotation, missedRotation, rotateGroupKey } from '../../group/keyring'
import { newId } from '../../group/operations'
import type { GroupSession } from '../../group/session'
import type { Gate } from '../../gate/gate'
import type { Identity } from '../../identity/identity'
import type { UserId } from '../../identity/user-id'
import { GroupKey } from '../../keys/group-key'
import type { Logger } from '../../log/logger'
import { errorFields } from '../../log/logger'
import { encodeSyncFrame } from '../frames'
import type { Link, Transport } from '../transport'
import { keyTopic, type KeyTopic } from './key-ring'

export async function ownerChannelKey(
  groupId: string,
  member: UserId,
  mine: BoxKeyPair,
  theirs: Uint8Array,
): Promise<GroupKey> {
  const raw = await boxSharedSecret(mine, theirs, `tailmesh/owner-channel/${groupId}/${member}`)
  try {
    return await GroupKey.fromBytes(raw)
  } finally {
    raw.fill(0)
  }
}

/** A member's side: the channel's topic, and its link on each always-open transport. */
export class OwnerChannel {
  private links: { transport: Transport; link: Link }[] = []

  private constructor(readonly topic: KeyTopic) {}

  /**
   * The channel of `identity` (a member, not the owner, not a linked device) with the group's owner,
   * once the owner's box key is recorded; null until then.
   */
  static async of(
    groupId: string,
    identity: Identity,
    state: AuthorityState,
    log: Logger,
  ): Promise<OwnerChannel | null> {
    const owner = state.info?.owner
    const ownerBox = owner === undefined ? undefined : state.members.get(owner)?.box
    if (identity.device || !ownerBox || owner === identity.userId || !isMember(state, identity.userId))
      return null
    let box
    try {
      box = await identity.boxKeys()
    } catch (e) {
      log.debug('no box key for the owner channel', errorFields(e))
      return null
    }
    const key = await ownerChannelKey(groupId, identity.userId, box, fromBase64Url(ownerBox))
    return new OwnerChannel(await keyTopic(groupId, key))
  }

  add(transport: Transport, link: Link): void {
    this.links.push({ transport, link })
  }

  /** The links on `transport`, taken out (to be closed by the caller). */
  remove(transport: Transport): Link[] {
    const gone = this.links.filter((l) => l.transport === transport).map((l) => l.link)
    this.links = this.links.filter((l) => l.transport !== transport)
    return gone
  }

  /** Every link, taken out (to be closed by the caller). */
  removeAll(): Link[] {
    return this.links.splice(0).map((l) => l.link)
  }
}

/**
 * The owner's side: sends the group document to each of `members` (who joined with a link older than
 * the newest key) on their channel, through every transport in `transports`.
 */
export async function handGroupDocument(
  groupId: string,
  owner: Identity,
  gate: Gate,
  members: UserId[],
  transports: readonly Transport[],
  log: Logger,
): Promise<void> {
  if (members.length === 0) return
  const box = await owner.boxKeys()
  await gate.idle()
  const groupDoc = [...gate.accepted()].filter((e) => e.docId === GROUP_DOC_ID).map(encodeEnvelope)
  const state = gate.authority()
  for (const member of members) {
    const theirs = state.members.get(member)?.box
    if (!theirs) continue
    const key = await ownerChannelKey(groupId, member, box, fromBase64Url(theirs))
    const { access } = await keyTopic(groupId, key)
    const sealed = await sealEnvelope(key, encodeSyncFrame({ type: 'bundle', envelopes: groupDoc }))
    for (const t of transports) {
      try {
        const link = await t.open(access, { frame: () => undefined })
        await link
          .broadcast(sealed)
          .catch((e: unknown) => log.debug('group document not sent', { member, ...errorFields(e) }))
        await link.close()
      } catch (e) {
        // This transport cannot reach the relay now: the member waits for the next rotation.
        log.debug('owner channel not opened', { transport: t.id, ...errorFields(e) })
      }
    }
  }
}

/**
 * Someone who held the newest key left (a kick or ban is followed by the moderator's own rotation; a
 * leaver cannot rotate), or a member joined with a link older than the newest key (keyring.ts,
 * missedRotation): the owner's client rotates, so that one member does it rather than every remaining
 * one, and hands the group document to those who missed it. While the owner is offline the group keeps
 * the old key.
 */
export async function rotateAsOwner(
  session: GroupSession,
  transports: readonly Transport[],
  log: Logger,
): Promise<void> {
  const state = session.authority()
  const missed = missedRotation(state)
  if (state.info?.owner !== session.userId || !(leftSinceRotation(state) || missed.length > 0)) return
  try {
    await rotateGroupKey(session, newId)
    await handGroupDocument(session.groupId, session.identity, session.gate, missed, transports, log)
  } catch (e) {
    // No box key published, or not a member any more: nothing this client can do.
    log.debug('key not rotated', errorFields(e))
  }
}
