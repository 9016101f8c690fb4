// The shared, gate-judged state a plugin keeps in a group (doc id `x/<pluginId>/<scope>`). Core
// defines and implements it (`openPluginState`); this is the agreed shape, stated here until core
// exports it, after which this file re-exports core's type.
//
// yjs is core's dependency; the SDK names its types only (nothing is bundled from here).
import type * as Y from 'yjs'

export interface PluginState {
  readonly doc: Y.Doc
  /** Entries keyed `<anything>@<userId>`: only that user may write theirs (one vote per member). */
  own(): Y.Map<unknown>
  /** Entries any member holding the plugin's write point may change. */
  shared(): Y.Map<unknown>
  /** Collaborative text (notes), written by members holding the right point. */
  text(name: string): Y.Text
  /** Runs `fn` as one signed edit; the promise settles once it is signed and on its way. */
  change(fn: () => void): Promise<void>
}
