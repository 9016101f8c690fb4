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
}

export const before = (a: Entry, b: Entry): boolean =>
  a.envelope.hlc < b.envelope.hlc || (a.envelope.hlc === b.envelope.hlc && a.id < b.id)

export class Timeline {
  private readonly entries: Entry[] = []
  private readonly byId = new Map<string, Entry>()

  get size(): number {
    return this.entries.length
  }

  has(id: string): boolean {
    return this.byId.has(id)
  }

  /** Inserts in order and returns the entry's position. */
  insert(entry: Entry): number {
    let lo = 0
    let hi = this.entries.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (before(this.entries[mid]!, entry)) lo = mid + 1
      else hi = mid
    }
    this.entries.splice(lo, 0, entry)
    this.byId.set(entry.id, entry)
    return lo
  }

  remove(entry: Entry): void {
    const i = this.entries.indexOf(entry)
    if (i >= 0) this.entries.splice(i, 1)
    this.byId.delete(entry.id)
  }

  indexOf(entry: Entry): number {
    return this.entries.indexOf(entry)
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
