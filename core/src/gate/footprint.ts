// What a Yjs update touches: for every struct it inserts and every struct it deletes, the top-level
// map and key it lands at, and which clientID owns it. This is what lets the gate judge an update by
// where it writes rather than by trusting the sender.
//
// Yjs omits parent information from an item that has an origin (the parent is inferred from the
// origin on integration), so locating such an item means finding its origin, in the update itself or
// in the document. Anything the update depends on that is in neither is a missing dependency: the
// envelope is deferred until it arrives.

import * as Y from 'yjs'
import { TEXT_ROOT_PREFIX } from '../group/plugin-docs'

/** One top-level map key the update changes. */
export interface Touch {
  root: string
  key: string
  /** The values this update writes at the key, in clock order (the last one wins locally). */
  written: unknown[]
  /** Whether a written struct is not plain JSON (a nested Y type, text, binary, a sub-document). */
  nonJson: boolean
  /** ClientIDs whose structs at this key the update deletes (including its own earlier writes). */
  removedClients: Set<number>
  /**
   * Structs inserted into (or deleted from) a top-level Y.Text of a plugin document (`text:<name>`),
   * not at a map key: `key` is '', `written` holds the inserted strings, `nonJson` marks anything
   * but plain text (formats, embeds).
   */
  sequence?: true
}

export type Footprint =
  | { ok: true; touches: Touch[]; clients: Set<number> }
  | { ok: false; missing: string }
  | { ok: false; invalid: string }

interface Located {
  root: string
  key: string | null
  /** True when the struct sits inside a nested type rather than directly at a top-level key. */
  nested: boolean
}

type Struct = Y.Item | Y.GC | Y.Skip

/** The shape Y.decodeUpdate returns (its DeleteSet class is not exported as a type). */
interface DecodedUpdate {
  structs: Struct[]
  ds: { clients: Map<number, { clock: number; len: number }[]> }
}

/** Structs of the update, per client, sorted by clock, for looking up origins inside the update. */
class UpdateIndex {
  private readonly byClient = new Map<number, Struct[]>()
  constructor(structs: Struct[]) {
    for (const s of structs) {
      const list = this.byClient.get(s.id.client)
      if (list) list.push(s)
      else this.byClient.set(s.id.client, [s])
    }
  }
  find(id: Y.ID): Struct | undefined {
    const list = this.byClient.get(id.client)
    if (!list) return undefined
    let lo = 0
    let hi = list.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const s = list[mid]!
      if (id.clock < s.id.clock) hi = mid - 1
      else if (id.clock >= s.id.clock + s.length) lo = mid + 1
      else return s
    }
    return undefined
  }
}

function docHas(doc: Y.Doc, id: Y.ID): boolean {
  return id.clock < Y.getState(doc.store, id.client)
}

/** Where an item already integrated in the document sits. */
function locateIntegrated(item: Y.Item): Located {
  let nested = false
  let current: Y.Item = item
  for (;;) {
    const parent = current.parent as Y.AbstractType<unknown> | null
    if (parent === null) return { root: '', key: null, nested: true }
    if (parent._item === null) {
      const root = Y.findRootTypeKey(parent)
      return { root, key: current.parentSub, nested }
    }
    nested = true
    current = parent._item
  }
}

function locate(struct: Y.Item, doc: Y.Doc, index: UpdateIndex, depth = 0): Located | { missing: string } {
  if (depth > 64) return { missing: 'origin chain too deep' }
  const parent = struct.parent as unknown
  if (typeof parent === 'string') return { root: parent, key: struct.parentSub, nested: false }
  if (parent instanceof Y.ID) {
    const owner = findItem(parent, doc, index)
    if (owner === null) return { missing: `parent ${parent.client}:${parent.clock}` }
    if (owner === undefined) return { root: '', key: null, nested: true }
    const at = owner.integrated ? locateIntegrated(owner.item) : locate(owner.item, doc, index, depth + 1)
    return 'missing' in at ? at : { ...at, nested: true }
  }
  const ref = struct.origin ?? struct.rightOrigin
  if (ref === null) return { root: '', key: null, nested: true }
  const neighbour = findItem(ref, doc, index)
  if (neighbour === null) return { missing: `origin ${ref.client}:${ref.clock}` }
  // A neighbour that was garbage-collected has no parent: Yjs integrates this struct as GC too.
  if (neighbour === undefined) return { root: '', key: null, nested: true }
  return neighbour.integrated
    ? locateIntegrated(neighbour.item)
    : locate(neighbour.item, doc, index, depth + 1)
}

/** null: not present anywhere (missing); undefined: present but garbage-collected. */
function findItem(
  id: Y.ID,
  doc: Y.Doc,
  index: UpdateIndex,
): { item: Y.Item; integrated: boolean } | null | undefined {
  if (docHas(doc, id)) {
    const s = Y.getItem(doc.store, id) as Y.Item | Y.GC
    return s instanceof Y.Item ? { item: s, integrated: true } : undefined
  }
  const s = index.find(id)
  if (s === undefined || s instanceof Y.Skip) return null
  return s instanceof Y.Item ? { item: s, integrated: false } : undefined
}

/** A struct sitting directly in a top-level collaborative text (the only sequence the rules allow). */
const inTextRoot = (at: Located): boolean =>
  !at.nested && at.key === null && at.root.startsWith(TEXT_ROOT_PREFIX)

function isJsonContent(content: unknown): boolean {
  return content instanceof Y.ContentAny || content instanceof Y.ContentDeleted
}

/**
 * @param alreadyApplied the update is already in `doc` (a local edit): locate its structs there
 *   instead of skipping them as old news.
 */
export function footprint(doc: Y.Doc, update: Uint8Array, alreadyApplied = false): Footprint {
  let decoded: DecodedUpdate
  try {
    decoded = Y.decodeUpdate(update) as DecodedUpdate
  } catch (e) {
    return { ok: false, invalid: `payload is not a Yjs update (${(e as Error).message})` }
  }
  const index = new UpdateIndex(decoded.structs)
  const touches = new Map<string, Touch>()
  const clients = new Set<number>()
  const touch = (root: string, key: string): Touch => {
    const id = `${root}\u0000${key}`
    let t = touches.get(id)
    if (!t) touches.set(id, (t = { root, key, written: [], nonJson: false, removedClients: new Set() }))
    return t
  }
  const textTouch = (root: string): Touch => {
    const id = `${root}\u0001`
    let t = touches.get(id)
    if (!t)
      touches.set(
        id,
        (t = { root, key: '', written: [], nonJson: false, removedClients: new Set(), sequence: true }),
      )
    return t
  }

  for (const s of decoded.structs) {
    if (s instanceof Y.Skip) continue
    clients.add(s.id.client)
    const state = Y.getState(doc.store, s.id.client)
    if (!alreadyApplied && s.id.clock + s.length <= state) continue // applied earlier: nothing new
    if (!alreadyApplied && s.id.clock > state && !index.find(new Y.ID(s.id.client, s.id.clock - 1)))
      return {
        ok: false,
        missing: `earlier structs of client ${s.id.client} (have ${state}, need ${s.id.clock})`,
      }
    if (s instanceof Y.GC) continue // a deleted placeholder of the author's own: carries nothing
    const at = locate(s, doc, index)
    if ('missing' in at) return { ok: false, missing: at.missing }
    if (inTextRoot(at)) {
      const t = textTouch(at.root)
      if (s.content instanceof Y.ContentString) t.written.push(s.content.str)
      else if (s.content instanceof Y.ContentDeleted) t.written.push(undefined)
      else t.nonJson = true
      continue
    }
    if (at.nested || at.key === null) {
      if (at.root === '') continue // integrates as garbage: no effect on any value
      return {
        ok: false,
        invalid: `a write inside a nested structure of "${at.root}" (records are plain values)`,
      }
    }
    const t = touch(at.root, at.key)
    if (!isJsonContent(s.content)) t.nonJson = true
    else if (s.content instanceof Y.ContentAny) t.written.push(...s.content.getContent())
    else t.written.push(undefined)
  }

  for (const [client, ranges] of decoded.ds.clients) {
    const state = Y.getState(doc.store, client)
    for (const { clock, len } of ranges) {
      for (let c = clock; c < clock + len;) {
        const id = new Y.ID(client, c)
        if (c < state) {
          const s = Y.getItem(doc.store, id) as Y.Item | Y.GC
          const end = s.id.clock + s.length
          // Judged whether or not the struct is already deleted here: the verdict must not depend
          // on what else happened to arrive first.
          if (s instanceof Y.Item) {
            const at = locateIntegrated(s)
            if (at.key !== null && !at.nested) touch(at.root, at.key).removedClients.add(client)
            else if (inTextRoot(at)) textTouch(at.root).removedClients.add(client)
            else if (at.root !== '')
              return { ok: false, invalid: `a deletion inside a nested structure of "${at.root}"` }
          }
          c = end
        } else {
          const s = index.find(id)
          if (!s || s instanceof Y.Skip) return { ok: false, missing: `deleted struct ${client}:${c}` }
          if (s instanceof Y.Item) {
            const at = locate(s, doc, index)
            if ('missing' in at) return { ok: false, missing: at.missing }
            if (at.key !== null && !at.nested) touch(at.root, at.key).removedClients.add(client)
            else if (inTextRoot(at)) textTouch(at.root).removedClients.add(client)
          }
          c = s.id.clock + s.length
        }
      }
    }
  }
  return { ok: true, touches: [...touches.values()], clients }
}
