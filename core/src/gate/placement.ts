// Where each envelope is judged (docs/adr/0009): at its own (HLC, id) place, or right after every
// binding sanction that claims it, whichever is later — so what a member signed without having seen
// a sanction is judged against the authority that includes it, whatever date it claims. Two
// sanctions that claim each other are concurrent and neither waits (both stand).

import { claims } from './claims'
import { before, type Entry } from './timeline'

/** An entry's place: after `base` by `depth` steps of claims, ties by the entry's own (HLC, id). */
interface Rank {
  readonly base: Entry
  readonly depth: number
  readonly own: Entry
}

function compare(a: Rank, b: Rank): number {
  if (a.base !== b.base) return before(a.base, b.base) ? -1 : 1
  if (a.depth !== b.depth) return a.depth - b.depth
  if (a.own === b.own) return 0
  return before(a.own, b.own) ? -1 : 1
}

export class Placement {
  private readonly ranks = new Map<Entry, Rank>()
  private readonly visiting = new Set<Entry>()
  /** The binding sanctions in (HLC, id) order, so that placing is a function of the set alone. */
  private readonly binding: readonly Entry[]

  /**
   * @param entries every entry, in (HLC, id) order: ranked eagerly in that order, so that a cycle
   *   of three or more sanctions is broken the same way on every peer (at the (HLC, id)-first one).
   */
  constructor(binding: Iterable<Entry>, entries: Iterable<Entry>) {
    this.binding = [...binding].sort((a, b) => (before(a, b) ? -1 : 1))
    if (this.binding.length) for (const e of entries) this.rank(e)
  }

  get empty(): boolean {
    return this.binding.length === 0
  }

  /** Whether `a` is judged before `b`. */
  before(a: Entry, b: Entry): boolean {
    if (this.empty) return before(a, b)
    return compare(this.rank(a), this.rank(b)) < 0
  }

  /** The binding sanctions that claim `e` and that `e` does not claim back. */
  claimersOf(e: Entry): Entry[] {
    return this.binding.filter((s) => this.waitsFor(e, s))
  }

  private waitsFor(e: Entry, s: Entry): boolean {
    if (s === e || !claims(s.reducer!, e.envelope)) return false
    return !(e.reducer !== undefined && claims(e.reducer, s.envelope))
  }

  private rank(e: Entry): Rank {
    const known = this.ranks.get(e)
    if (known) return known
    let r: Rank = { base: e, depth: 0, own: e }
    if (this.visiting.has(e)) return r
    this.visiting.add(e)
    for (const s of this.binding) {
      if (!this.waitsFor(e, s)) continue
      const after = this.rank(s)
      const candidate: Rank = { base: after.base, depth: after.depth + 1, own: e }
      if (compare(candidate, r) > 0) r = candidate
    }
    this.visiting.delete(e)
    this.ranks.set(e, r)
    return r
  }
}
