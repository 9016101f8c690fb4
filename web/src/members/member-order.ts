// The group's members in the order the member list shows them: by name, as the reader's language
// sorts names (one Intl.Collator; numeric, so "Member 9" comes before "Member 10"), then by user id
// so equal names keep one order on every screen. Sorted once; later member sets are patched in
// (a join or a new nickname is a binary search and one splice), so a presence or role change never
// sorts again and a join does not sort the whole group. Pure: unit-tested, no Vue.
import type { UserId } from '@tailmesh/core'

export interface NamedMember {
  userId: UserId
  nickname: string
}

/** A member in order, with the name folded once for search. */
export interface OrderedMember extends NamedMember {
  /** The nickname lower-cased in the reader's language (what the member search matches). */
  folded: string
}

/**
 * Beyond this many changed members (joined, left, renamed) one sort of the whole set is cheaper
 * than a splice each (each splice moves the array, a sort compares N log N pairs).
 */
const PATCH_LIMIT = 64

export class MemberOrder {
  private readonly collator: Intl.Collator
  private ordered: readonly OrderedMember[] = []
  /** Each member's nickname as ordered. */
  private names = new Map<UserId, string>()

  constructor(readonly locale: string) {
    this.collator = new Intl.Collator(locale, { numeric: true })
  }

  readonly compare = (a: NamedMember, b: NamedMember): number =>
    this.collator.compare(a.nickname, b.nickname) || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0)

  /**
   * The members in order; the very array of the last call when nobody joined, left or was renamed
   * (so what depends on it need not be computed again).
   */
  update(members: readonly NamedMember[]): readonly OrderedMember[] {
    const changed: NamedMember[] = []
    let kept = 0
    for (const m of members) {
      if (this.names.get(m.userId) === m.nickname) kept++
      else changed.push(m)
    }
    // Members left, and old names of those renamed.
    const gone = this.names.size - kept
    if (changed.length === 0 && gone === 0) return this.ordered
    const names = new Map<UserId, string>()
    for (const m of members) names.set(m.userId, m.nickname)
    if (changed.length + gone > PATCH_LIMIT) {
      this.ordered = members.map((m) => this.entry(m)).sort(this.compare)
    } else {
      const ordered = this.ordered.filter((m) => names.get(m.userId) === m.nickname)
      for (const m of changed) ordered.splice(this.insertionPoint(ordered, m), 0, this.entry(m))
      this.ordered = ordered
    }
    this.names = names
    return this.ordered
  }

  private entry(m: NamedMember): OrderedMember {
    return { userId: m.userId, nickname: m.nickname, folded: m.nickname.toLocaleLowerCase(this.locale) }
  }

  private insertionPoint(ordered: readonly OrderedMember[], m: NamedMember): number {
    let lo = 0
    let hi = ordered.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.compare(ordered[mid]!, m) < 0) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}
