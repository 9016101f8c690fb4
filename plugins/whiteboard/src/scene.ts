// The board's content over the panel's plugin state: reads every element out of the shared map
// (element.ts), and writes additions, moves, edits and deletions as signed changes that every peer's
// gate judges (each needs viewPanel and plugin.com.tailmesh.whiteboard.draw). Reading keeps each
// element object for as long as its entries are the same values, so the renderer's caches keyed by
// element stay valid across others' edits.

import type { PluginState } from '@tailmesh/plugin-sdk'
import {
  CHUNK_PREFIX,
  byStacking,
  chunkKey,
  elementKey,
  idOfKey,
  readElement,
  recordsOf,
  type BoardElement,
} from './element'
import { BoardHistory } from './history'

interface Known {
  value: unknown
  chunks: unknown[]
  element: BoardElement | null
}

export class Board {
  readonly history: BoardHistory
  private known = new Map<string, Known>()
  private ordered: BoardElement[] = []

  constructor(readonly state: PluginState) {
    this.history = new BoardHistory(state)
    this.read()
  }

  /** Every element, bottom first. */
  elements(): readonly BoardElement[] {
    return this.ordered
  }

  get(id: string): BoardElement | undefined {
    return this.known.get(id)?.element ?? undefined
  }

  /** Reads the shared map again; true when anything changed. */
  read(): boolean {
    const shared = this.state.shared()
    const next = new Map<string, Known>()
    let changed = false
    shared.forEach((value, key) => {
      const where = idOfKey(key)
      if (!where || where.chunk !== null) return
      const n = typeof value === 'object' && value !== null ? (value as { n?: unknown }).n : 0
      const chunks: unknown[] = []
      if (typeof n === 'number' && n > 0 && n <= 8)
        for (let i = 1; i <= n; i++) chunks.push(shared.get(chunkKey(where.id, i)))
      const before = this.known.get(where.id)
      if (before && before.value === value && sameList(before.chunks, chunks)) {
        next.set(where.id, before)
        return
      }
      changed = true
      const element = readElement(where.id, value, (i) => chunks[i - 1])
      // A stroke that only moved keeps its points (and so the renderer's cached path).
      if (element?.kind === 'pen' && before?.element?.kind === 'pen' && samePoints(before, value, chunks))
        element.points = before.element.points
      next.set(where.id, { value, chunks, element })
    })
    if (next.size !== this.known.size) changed = true
    this.known = next
    if (changed)
      this.ordered = [...next.values()]
        .map((k) => k.element)
        .filter((e): e is BoardElement => e !== null)
        .sort(byStacking)
    return changed
  }

  /** Adds elements in one change (one undo step). */
  add(...elements: BoardElement[]): Promise<void> {
    return this.state.change(() => {
      const shared = this.state.shared()
      for (const el of elements) for (const [k, v] of recordsOf(el)) shared.set(k, v)
    })
  }

  /** Rewrites elements that changed (moved, resized, new text) in one change. */
  update(...elements: BoardElement[]): Promise<void> {
    return this.state.change(() => {
      const shared = this.state.shared()
      for (const el of elements) {
        const records = recordsOf(el)
        // A moved stroke keeps its continuations: only its own entry (with the origin) is written.
        for (const [k, v] of records)
          if (k.startsWith(CHUNK_PREFIX) ? !equalJson(shared.get(k), v) : true) shared.set(k, v)
      }
    })
  }

  /** Moves elements by (dx, dy) board units. */
  move(ids: Iterable<string>, dx: number, dy: number): Promise<void> {
    this.read()
    const moved = [...ids]
      .map((id) => this.get(id))
      .filter((e): e is BoardElement => !!e)
      .map((e) => ({ ...e, x: e.x + dx, y: e.y + dy }))
    return moved.length ? this.update(...moved) : Promise.resolve()
  }

  /** Deletes elements (with a stroke's continuations) in one change. */
  remove(ids: Iterable<string>): Promise<void> {
    this.read()
    const list = [...ids]
    return this.state.change(() => {
      const shared = this.state.shared()
      for (const id of list) {
        const known = this.known.get(id)
        shared.delete(elementKey(id))
        known?.chunks.forEach((_, i) => shared.delete(chunkKey(id, i + 1)))
      }
    })
  }

  dispose(): void {
    this.history.destroy()
  }
}

/** Whether a stroke's point code is what it was (its entry's `p`, its continuations). */
function samePoints(before: Known, value: unknown, chunks: unknown[]): boolean {
  const p = (v: unknown) => (typeof v === 'object' && v !== null ? (v as { p?: unknown }).p : undefined)
  return p(before.value) === p(value) && sameList(before.chunks, chunks)
}

const sameList = (a: unknown[], b: unknown[]): boolean =>
  a.length === b.length && a.every((v, i) => v === b[i])
const equalJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)
