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

  /** Starts from these accepted group envelopes, in place order (one transaction). */
  constructor(prior: readonly Entry[] = []) {
    if (prior.length === 0) return
    applyAll(
      this.doc,
      prior.map((e) => e.envelope.payload),
    )
    this.last = prior[prior.length - 1]!
  }

  /** The authority after every envelope folded in so far. */
  get state(): AuthorityState {
    return this.mirror.state
  }

  /** Folds in the next accepted group envelope, placed after every one folded in before. */
  add(entry: Entry): void {
    Y.applyUpdate(this.doc, entry.envelope.payload)
    this.last = entry
  }

  destroy(): void {
    this.mirror.destroy()
    this.doc.destroy()
  }
}
