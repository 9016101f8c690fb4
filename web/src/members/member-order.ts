// The group's members in the order the member list shows them: by name, as the reader's language
// sorts names (one Intl.Collator; numeric, so "Member 9" comes before "Member 10"), then by user id
// so equal names keep one order on every screen. Sorted once; later member sets are patched in
// (a join or a new nickname is a binary search and one splice) and the patch is reported, so the
// sections can be patched the same way (member-sections.ts) and a join never sorts the group again.
// Pure: unit-tested, no Vue.
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

/** How the order `to` differs from `from`: members taken out (left, or renamed), then put in. */
export interface OrderChange {
  from: readonly OrderedMember[]
  to: readonly OrderedMember[]
  removed: readonly OrderedMember[]
  added: readonly OrderedMember[]
}

/**
 * Beyond this many changed members (joined, left, renamed) one sort of the whole set is cheaper
 * than a splice each (each splice moves the array, a sort compares N log N pairs).
 */
const PATCH_LIMIT = 64

export type Compare = (a: NamedMember, b: NamedMember) => number

/** Where `m` goes in `list` (sorted by `compare`): the first place not before it. */
export function insertionPoint(list: readonly NamedMember[], m: NamedMember, compare: Compare): number {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (compare(list[mid]!, m) < 0) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Where the member `m` (this user id, this name) is in `list`, or -1. */
export function indexOfMember(list: readonly NamedMember[], m: NamedMember, compare: Compare): number {
  const i = insertionPoint(list, m, compare)
  return list[i]?.userId === m.userId ? i : list.findIndex((x) => x.userId === m.userId)
}

export class MemberOrder {
  private readonly collator: Intl.Collator
  private ordered: readonly OrderedMember[] = []
  /** Each member's nickname as ordered. */
  private readonly names = new Map<UserId, string>()
  /** The last update's patch (null: sorted anew, or nothing yet). */
  private change: OrderChange | null = null

  constructor(readonly locale: string) {
    this.collator = new Intl.Collator(locale, { numeric: true })
  }

  readonly compare: Compare = (a, b) =>
    this.collator.compare(a.nickname, b.nickname) || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0)

  has(userId: UserId): boolean {
    return this.names.has(userId)
  }

  /** How the order returned last differs from the one before it, if it was patched. */
  lastChange(): OrderChange | null {
    return this.change
  }

  /**
   * The members in order; the very array of the last call when nobody joined, left or was renamed
   * (so what depends on it need not be computed again). `members` holds each user id once.
   */
  update(members: readonly NamedMember[]): readonly OrderedMember[] {
    const changed: NamedMember[] = []
    let kept = 0
    let renamed = 0
    for (const m of members) {
      const was = this.names.get(m.userId)
      if (was === m.nickname) kept++
      else {
        changed.push(m)
        if (was !== undefined) renamed++
      }
    }
    const left = this.names.size - kept - renamed
    if (changed.length === 0 && left === 0) return this.ordered
    const from = this.ordered
    if (changed.length + left > PATCH_LIMIT) {
      this.ordered = members.map((m) => this.entry(m)).sort(this.compare)
      this.names.clear()
      for (const m of members) this.names.set(m.userId, m.nickname)
      this.change = null
      return this.ordered
    }
    const gone: NamedMember[] = changed
      .filter((m) => this.names.has(m.userId))
      .map((m) => ({ userId: m.userId, nickname: this.names.get(m.userId)! }))
    if (left > 0) {
      // Only a departure needs the whole set looked at.
      const present = new Set(members.map((m) => m.userId))
      for (const [userId, nickname] of this.names) if (!present.has(userId)) gone.push({ userId, nickname })
    }
    const ordered = [...from]
    const removed: OrderedMember[] = []
    for (const m of gone) {
      const i = indexOfMember(ordered, m, this.compare)
      if (i >= 0) removed.push(...ordered.splice(i, 1))
      this.names.delete(m.userId)
    }
    const added = changed.map((m) => this.entry(m))
    for (const m of added) {
      ordered.splice(insertionPoint(ordered, m, this.compare), 0, m)
      this.names.set(m.userId, m.nickname)
    }
    this.ordered = ordered
    this.change = { from, to: ordered, removed, added }
    return ordered
  }

  private entry(m: NamedMember): OrderedMember {
    return { userId: m.userId, nickname: m.nickname, folded: m.nickname.toLocaleLowerCase(this.locale) }
  }
}
