// Every numbered envelope this gate has been handed, by stream: (signing key, stream) → seq → id,
// refused ones included. Two uses (docs/adr/0009): what a sanction's author had seen of a member
// (the contiguous frontier of each of their streams), and equivocation (one key signing two
// envelopes with one number: the key is used by more than one signer, and is no longer trusted).

import { toHex } from '../bytes'
import { deviceIdOf } from '../identity/device-cert'
import { isNumbered, signingKeyOf, type Envelope, type SeenUser } from '../envelope/envelope'
import type { UserId } from '../identity/user-id'

/** A stream's name: its signing key and stream id (as envelopes and a sanction's `seen` give them). */
export const streamName = (key: Uint8Array, stream: Uint8Array): string => `${toHex(key)}/${toHex(stream)}`

/** The name of an envelope's stream, or undefined for a legacy (unnumbered) envelope. */
export function streamKeyOf(e: Envelope): string | undefined {
  return isNumbered(e) ? streamName(signingKeyOf(e), e.stream) : undefined
}

/** The linked device that signed `e`, if not the author's identity key. */
export const signingDeviceOf = (e: Envelope): string | undefined => e.device && deviceIdOf(e.device)

interface StreamState {
  readonly author: UserId
  readonly key: Uint8Array
  readonly stream: Uint8Array
  readonly ids: Map<number, { id: string; hlc: number }>
  /** 1…frontier are all here. */
  frontier: number
}

export class StreamIndex {
  private readonly streams = new Map<string, StreamState>()
  private readonly byAuthor = new Map<UserId, Set<StreamState>>()
  /** Signing key (hex) → the lowest HLC of two envelopes that share a number. */
  private readonly equivocated = new Map<string, number>()

  /**
   * Takes note of `e` (id `id`). Returns the id of another envelope with the same key, stream and
   * seq when there is one: the key has equivocated (recorded from the lower of the two HLCs).
   */
  add(e: Envelope, id: string): string | undefined {
    if (!isNumbered(e)) return undefined
    const name = streamKeyOf(e)!
    let s = this.streams.get(name)
    if (!s) {
      s = { author: e.author, key: signingKeyOf(e), stream: e.stream, ids: new Map(), frontier: 0 }
      this.streams.set(name, s)
      let mine = this.byAuthor.get(e.author)
      if (!mine) this.byAuthor.set(e.author, (mine = new Set()))
      mine.add(s)
    }
    const other = s.ids.get(e.seq)
    if (other !== undefined && other.id !== id) {
      const key = toHex(s.key)
      this.equivocated.set(key, Math.min(e.hlc, other.hlc, this.equivocated.get(key) ?? Infinity))
      return other.id
    }
    s.ids.set(e.seq, { id, hlc: e.hlc })
    while (s.ids.has(s.frontier + 1)) s.frontier++
    return undefined
  }

  /** The HLC from which envelopes signed by this key are no longer trusted, if it equivocated. */
  equivocatedFrom(e: Envelope): number | undefined {
    return this.equivocated.get(toHex(signingKeyOf(e)))
  }

  /** What this gate holds of `users`, as a sanction's `seen` lists it: per stream, the contiguous frontier. */
  seenFrontier(users: readonly UserId[]): SeenUser[] {
    return [...new Set(users)].map((user) => ({
      user,
      streams: [...(this.byAuthor.get(user) ?? [])]
        .filter((s) => s.frontier > 0)
        .map((s) => ({ key: s.key, stream: s.stream, seq: s.frontier })),
    }))
  }
}
