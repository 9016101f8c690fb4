// The group keys this member holds, oldest first, and where each one's traffic goes: the mailbox
// topic and the peers' rooms both derive from a key. The first is the invite link's (or creation's);
// rotations recorded in the group document add newer ones as this member can open them. New frames
// are sealed with the newest; arriving ones are opened with the newest that fits, so a removed
// member's old keys open nothing sent after the rotation.
import { hkdf } from '../../crypto/hash'
import { toBase64Url, utf8 } from '../../bytes'
import { openSealedEnvelope, sealEnvelope } from '../../envelope/seal'
import type { AuthorityState } from '../../group/authority-state'
import { openKeyring } from '../../group/keyring'
import type { Identity } from '../../identity/identity'
import type { GroupKey } from '../../keys/group-key'
import { deriveTopic } from '../../keys/topic'
import type { Logger } from '../../log/logger'
import { errorFields } from '../../log/logger'
import type { TopicAccess } from '../transport'

/** A group key and the access to its topic that transports are given. */
export interface KeyTopic {
  key: GroupKey
  access: TopicAccess
}

export async function keyTopic(groupId: string, key: GroupKey): Promise<KeyTopic> {
  return {
    key,
    access: {
      topic: await deriveTopic(groupId, key),
      secret: await hkdf(key.raw, utf8(groupId), 'tailmesh/transport-secret/v1', 32),
    },
  }
}

export class KeyRing {
  private readonly held: KeyTopic[] = []

  private constructor(
    readonly groupId: string,
    private readonly inviteKey: GroupKey,
    private readonly log: Logger,
  ) {}

  /** The invite's key, then the later keys this device was handed otherwise (at pairing). */
  static async open(groupId: string, inviteKey: GroupKey, later: GroupKey[], log: Logger): Promise<KeyRing> {
    const ring = new KeyRing(groupId, inviteKey, log)
    for (const key of [inviteKey, ...later]) ring.held.push(await keyTopic(groupId, key))
    return ring
  }

  all(): readonly KeyTopic[] {
    return this.held
  }

  keys(): GroupKey[] {
    return this.held.map((k) => k.key)
  }

  /** The key new frames are sealed with: the newest this member holds. */
  get current(): KeyTopic {
    return this.held[this.held.length - 1]!
  }

  isCurrent(topicId: string): boolean {
    return topicId === this.current.access.topic.id
  }

  seal(bytes: Uint8Array): Promise<Uint8Array> {
    return sealEnvelope(this.current.key, bytes)
  }

  /** Opens with the newest key that fits, then `also` (the owner channel's); null if none does. */
  async open(sealed: Uint8Array, also?: GroupKey): Promise<Uint8Array | null> {
    const keys = [...this.held].reverse().map((k) => k.key)
    if (also) keys.push(also)
    for (const key of keys) {
      try {
        return await openSealedEnvelope(key, sealed)
      } catch {
        // Not this key: the next one may fit.
      }
    }
    return null
  }

  /**
   * Adds a key handed over outside the group document (a newer invite link opened by someone this
   * device no longer follows: removed, then let back in). It becomes the current one: an invite
   * carries the key its group uses now. Null when the ring holds it already.
   */
  async add(key: GroupKey): Promise<KeyTopic | null> {
    const raw = toBase64Url(key.raw)
    if (this.held.some((k) => toBase64Url(k.key.raw) === raw)) return null
    const kt = await keyTopic(this.groupId, key)
    this.held.push(kt)
    return kt
  }

  /**
   * Adds every key of the rotations recorded in `state` that `identity` can open and does not hold
   * yet; resolves with those added (newest last).
   */
  async follow(state: AuthorityState, identity: Identity): Promise<KeyTopic[]> {
    if (state.rotations.size === 0) return []
    let box
    try {
      box = await identity.boxKeys()
    } catch (e) {
      this.log.debug('no box key to open rotations with', errorFields(e))
      return []
    }
    const ring = await openKeyring(
      state,
      this.groupId,
      identity.userId,
      box,
      this.inviteKey,
      identity.deviceId,
    )
    const known = new Set(this.held.map((k) => toBase64Url(k.key.raw)))
    const added: KeyTopic[] = []
    for (const entry of ring.keys) {
      if (known.has(toBase64Url(entry.key.raw))) continue
      const kt = await keyTopic(this.groupId, entry.key)
      this.held.push(kt)
      added.push(kt)
    }
    return added
  }
}
