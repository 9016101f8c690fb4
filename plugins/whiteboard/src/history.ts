// Per-person undo and redo: a Y.UndoManager over the board's shared map that tracks only the origin of
// this member's own changes (PluginState.origin), so undo takes back what I drew, moved or deleted and
// never what someone else did.
//
// An undo has to be a signed change like any other edit, so it runs inside `state.change`. That puts
// the UndoManager's own transaction inside the session's (Yjs runs nested transactions as one), and
// the UndoManager records the result when the outer transaction ends, after `undo()` has already
// reset its `undoing` flag: it would file the undo as a new edit (and drop the redo stack). So the flag
// is raised again for the end of that transaction and lowered right after its handler ran.

import type { PluginState } from '@tailmesh/plugin-sdk'
import * as Y from 'yjs'

export class BoardHistory {
  private manager: Y.UndoManager
  private doc: Y.Doc

  constructor(private readonly state: PluginState) {
    this.doc = state.doc
    this.manager = this.track()
  }

  private track(): Y.UndoManager {
    return new Y.UndoManager(this.state.shared(), {
      trackedOrigins: new Set([this.state.origin]),
      // Every change is one step: a stroke, a move, a deletion.
      captureTimeout: 0,
    })
  }

  /**
   * The gate may rebuild the document (a late revocation): the old one's history means nothing in
   * the new one, so it starts afresh.
   */
  private current(): Y.UndoManager {
    if (this.state.doc !== this.doc) {
      this.manager.destroy()
      this.doc = this.state.doc
      this.manager = this.track()
    }
    return this.manager
  }

  canUndo(): boolean {
    return this.current().undoStack.length > 0
  }

  canRedo(): boolean {
    return this.current().redoStack.length > 0
  }

  undo(): Promise<void> {
    return this.step('undo')
  }

  redo(): Promise<void> {
    return this.step('redo')
  }

  private step(which: 'undo' | 'redo'): Promise<void> {
    const manager = this.current()
    if (!(which === 'undo' ? manager.undoStack : manager.redoStack).length) return Promise.resolve()
    return this.state.change(() => {
      const doc = this.state.doc
      if (which === 'undo') manager.undo()
      else manager.redo()
      const flag = which === 'undo' ? 'undoing' : 'redoing'
      manager[flag] = true
      const lower = () => {
        manager[flag] = false
        doc.off('afterTransaction', lower)
      }
      doc.on('afterTransaction', lower)
    })
  }

  destroy(): void {
    this.manager.destroy()
  }
}
