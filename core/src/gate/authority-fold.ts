// The group's authority as it stood at some place in history, built by folding accepted group
// envelopes forward in place order. Judging every envelope of a walk (or a run of envelopes dated
// a little before the latest join) against a fold costs one application per group envelope, where
// merging every earlier envelope again for each judgement cost time quadratic in the group's size.

import * as Y from 'yjs'
import { AuthorityMirror } from '../group/authority-mirror'
import type { AuthorityState } from '../group/authority-state'
import { applyAll } from './apply-all'
import type { Entry } from './timeline'

export class AuthorityFold {
  private readonly doc = new Y.Doc({ gc: true })
  private readonly mirror = new AuthorityMirror(this.doc, true)
  /** The group envelope folded in last, in place order (null: none yet). */
  last: Entry | null = null

  /** The authority after every envelope folded in so far. */
  get state(): AuthorityState {
    return this.mirror.state
  }

  /**
   * Folds in the next accepted group envelopes, in place order, each placed after every one folded in
   * before (one transaction: a Yjs transaction costs time in the document's number of clients).
   */
  add(entries: readonly Entry[]): void {
    if (entries.length === 0) return
    applyAll(
      this.doc,
      entries.map((e) => e.envelope.payload),
    )
    this.last = entries[entries.length - 1]!
  }

  destroy(): void {
    this.mirror.destroy()
    this.doc.destroy()
  }
}
