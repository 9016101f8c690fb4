// A plugin's handle on its state in a group: one document `x/<pluginId>/<scope>` (plugin-docs.ts).
// Edits made inside `change` become one signed envelope, like every other local edit (GroupSession);
// other members' edits arrive through the gate and appear in `doc`. The plugin never gets the
// session itself: nothing it holds lets it write anywhere but its own document.

import type * as Y from 'yjs'
import { envelopeId, type Envelope } from '../envelope/envelope'
import { InvalidOperationError, TailmeshError, ValidationError } from '../errors'
import type { UserId } from '../identity/user-id'
import { isMember, isMuted } from './authority-state'
import {
  GROUP_SCOPE,
  PluginRoot,
  isPluginId,
  isPluginName,
  isPluginScope,
  ownKey,
  parseOwnKey,
  pluginDocId,
  textRoot,
} from './plugin-docs'
import { LOCAL_ORIGIN, type GroupSession } from './session'

export interface PluginState {
  /** The document as it is now (the gate may replace it after a re-judgement: read it afresh). */
  readonly doc: Y.Doc
  readonly pluginId: string
  /** A panel id, or `group`. */
  readonly scope: string
  /** The member this state writes as. */
  readonly me: UserId
  /**
   * The Yjs transaction origin of the edits `change` makes on this device (never of edits that arrive
   * from others): what a Y.UndoManager tracks to undo only this member's own changes.
   */
  readonly origin: unknown
  /** Entries `<name>@<userId>`, each written only by that user (use `ownKey` / `entries`). */
  own(): Y.Map<unknown>
  /** Entries every allowed member may write. */
  shared(): Y.Map<unknown>
  /** A plain text edited together (`text:<name>`; a `#<point>` suffix guards it with a plugin point). */
  text(name: string): Y.Text
  /** The key of my own entry called `name`. */
  ownKey(name: string): string
  /** Every member's own entry called `name`: userId -> value. */
  entries(name: string): Map<UserId, unknown>
  /**
   * Runs `fn` (which edits own(), shared() or text()) as one transaction, signs it and sends it.
   * Rejects with PluginStateRefusedError when this peer's gate refuses the edit (every peer would):
   * the edit is then rolled back here.
   */
  change(fn: () => void): Promise<void>
  /** Called after every change of the document, local or remote (and after a replacement). */
  onChange(listener: () => void): () => void
}

/** An edit of plugin state that the gate refused, with the gate's reason. */
export class PluginStateRefusedError extends TailmeshError {
  constructor(readonly reason: string) {
    super(`The change was refused: ${reason}.`)
  }
}

export async function openPluginState(
  session: GroupSession,
  pluginId: string,
  scope: string,
): Promise<PluginState> {
  if (!isPluginId(pluginId)) throw new ValidationError(`Not a plugin id: ${pluginId}`)
  if (!isPluginScope(scope)) throw new ValidationError(`Not a plugin state scope: ${scope}`)
  const state = new SessionPluginState(session, pluginId, scope)
  await Promise.resolve()
  return state
}

class SessionPluginState implements PluginState {
  private readonly docId: string

  constructor(
    private readonly session: GroupSession,
    readonly pluginId: string,
    readonly scope: string,
  ) {
    this.docId = pluginDocId(pluginId, scope)
  }

  get doc(): Y.Doc {
    return this.session.gate.doc(this.docId)
  }

  get me(): UserId {
    return this.session.userId
  }

  get origin(): unknown {
    return LOCAL_ORIGIN
  }

  own(): Y.Map<unknown> {
    return this.doc.getMap(PluginRoot.own)
  }

  shared(): Y.Map<unknown> {
    return this.doc.getMap(PluginRoot.shared)
  }

  text(name: string): Y.Text {
    if (!isPluginName(name)) throw new ValidationError(`Not a plugin text name: ${name}`)
    return this.doc.getText(textRoot(name))
  }

  ownKey(name: string): string {
    if (!isPluginName(name)) throw new ValidationError(`Not a plugin entry name: ${name}`)
    return ownKey(name, this.me)
  }

  entries(name: string): Map<UserId, unknown> {
    const out = new Map<UserId, unknown>()
    this.own().forEach((value, key) => {
      const k = parseOwnKey(key)
      if (k?.name === name) out.set(k.userId, value)
    })
    return out
  }

  async change(fn: () => void): Promise<void> {
    this.checkMembership()
    const envelope = await this.session.transact(this.docId, () => fn())
    if (envelope === null) return
    const refusal = this.refusalOf(envelope)
    if (refusal !== null) throw new PluginStateRefusedError(refusal)
  }

  onChange(listener: () => void): () => void {
    let current = this.doc
    const onUpdate = () => listener()
    current.on('update', onUpdate)
    const offReplaced = this.session.gate.on('docReplaced', (docId, doc) => {
      if (docId !== this.docId) return
      current.off('update', onUpdate)
      current = doc
      current.on('update', onUpdate)
      listener()
    })
    return () => {
      offReplaced()
      current.off('update', onUpdate)
    }
  }

  /** What this member could not do at all now: cheaper to say before signing than after. */
  private checkMembership(): void {
    const authority = this.session.authority()
    if (!isMember(authority, this.me)) throw new InvalidOperationError('You are not a member of this group.')
    if (isMuted(authority, this.me, Date.now()))
      throw new InvalidOperationError('You are muted in this group.')
    if (this.scope !== GROUP_SCOPE && !authority.panels.has(this.scope))
      throw new InvalidOperationError(`No panel ${this.scope} in this group.`)
  }

  /** The gate's reason when this peer's own gate did not accept the envelope, else null. */
  private refusalOf(envelope: Envelope): string | null {
    const id = envelopeId(envelope)
    const held = this.session.gate.deferred().find((d) => envelopeId(d.envelope) === id)
    if (held) return held.reason
    return this.session.gate.has(id) ? null : 'refused by the gate'
  }
}
