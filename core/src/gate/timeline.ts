// Every envelope a peer holds for a group, in the one order all peers agree on: (hlc, envelope id).
// The gate's verdicts are a function of this ordered set, never of arrival order.

import type { Envelope } from '../envelope/envelope'
import type { DocRef } from '../group/documents'
import type { Reducer } from './claims'
import type { Touch } from './footprint'

export interface Entry {
  readonly id: string
  readonly envelope: Envelope
  readonly doc: DocRef
  accepted: boolean
  /** Why it is held aside, while not accepted. */
  reason?: string
  /** What the update touches, once its dependencies were present (locations never change). */
  touches?: Touch[]
  /** Arrived through recordLocal: this peer's own edit, already in its document. */
  local?: boolean
  /** A group envelope that reduces members: whom, and what its author had seen (claims.ts). */
  reducer?: Reducer
  /** A group envelope that only adds a member (fresh-join.ts): accepted late, it needs no walk. */
  freshJoin?: boolean
}

export const before = (a: Entry, b: Entry): boolean =>
  a.envelope.hlc < b.envelope.hlc || (a.envelope.hlc === b.envelope.hlc && a.id < b.id)

export class Timeline {
  private readonly entries: Entry[] = []
  /** The group-document entries alone, in the same order (authority is folded from them). */
  private readonly groupEntries: Entry[] = []
  /** Group-document entries by author. */
  private readonly groupByAuthor = new Map<string, Set<Entry>>()
  private readonly byId = new Map<string, Entry>()

  get size(): number {
    return this.entries.length
  }

  has(id: string): boolean {
    return this.byId.has(id)
  }

  /** Inserts in order and returns the entry's position. */
  insert(entry: Entry): number {
    const at = firstNotBefore(this.entries, entry)
    this.entries.splice(at, 0, entry)
    if (entry.doc.kind === 'group') {
      this.groupEntries.splice(firstNotBefore(this.groupEntries, entry), 0, entry)
      let mine = this.groupByAuthor.get(entry.envelope.author)
      if (!mine) this.groupByAuthor.set(entry.envelope.author, (mine = new Set()))
      mine.add(entry)
    }
    this.byId.set(entry.id, entry)
    return at
  }

  remove(entry: Entry): void {
    const i = this.indexOf(entry)
    if (i >= 0) this.entries.splice(i, 1)
    if (entry.doc.kind === 'group') {
      const g = firstNotBefore(this.groupEntries, entry)
      if (this.groupEntries[g] === entry) this.groupEntries.splice(g, 1)
      const mine = this.groupByAuthor.get(entry.envelope.author)
      mine?.delete(entry)
      if (mine?.size === 0) this.groupByAuthor.delete(entry.envelope.author)
    }
    this.byId.delete(entry.id)
  }

  /** The entry's position, or -1 (a binary search: the timeline of a large group is long). */
  indexOf(entry: Entry): number {
    const at = firstNotBefore(this.entries, entry)
    return this.entries[at] === entry ? at : -1
  }

  /** Group-document entries from the first placed after `after` (from the start when null). */
  *groupFrom(after: Entry | null): IterableIterator<Entry> {
    const g = this.groupEntries
    let i = after === null ? 0 : firstNotBefore(g, after)
    if (after !== null && g[i] === after) i++
    for (; i < g.length; i++) yield g[i]!
  }

  /** The group-document entries `author` signed, in no particular order. */
  groupEntriesBy(author: string): ReadonlySet<Entry> {
    return this.groupByAuthor.get(author) ?? NONE
  }

  /** Group-document entries, newest first. */
  *groupNewestFirst(): IterableIterator<Entry> {
    for (let i = this.groupEntries.length - 1; i >= 0; i--) yield this.groupEntries[i]!
  }

  at(i: number): Entry | undefined {
    return this.entries[i]
  }

  *from(start: number): IterableIterator<Entry> {
    for (let i = start; i < this.entries.length; i++) yield this.entries[i]!
  }

  [Symbol.iterator](): IterableIterator<Entry> {
    return this.entries[Symbol.iterator]()
  }
}

const NONE: ReadonlySet<Entry> = new Set()

/** The first position in `list` (in timeline order) whose entry is not before `entry`. */
function firstNotBefore(list: readonly Entry[], entry: Entry): number {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (before(list[mid]!, entry)) lo = mid + 1
    else hi = mid
  }
  return lo
}
