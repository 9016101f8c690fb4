// A member's private read state: how far they have read each panel, and the single messages they
// marked read out of order (an inbox item opened before the rest of its panel). It lives on the
// member's own devices and never in a group document, so nobody learns what anyone has read.
//
// Marks only move forward, which makes the state a join semilattice: two devices' states merge by
// taking the later mark per panel, in any order, any number of times.

import { ValidationError } from '../errors'
import { hlcOfMessageId } from './documents'

/** A position in a panel: messages are ordered by (hlc, id). */
export interface ReadMark {
  hlc: number
  /** The message read last; absent when marked by time alone (everything at `hlc` counts as read). */
  messageId?: string
}

export interface ReadChange {
  groupId: string
  panelId: string
}

export type ReadStateListener = (change: ReadChange) => void

/** The serialised form (versioned; see `ReadState.fromJSON`). */
export interface ReadStateJSON {
  v: 1
  /** groupId -> panelId -> mark. */
  marks: Record<string, Record<string, ReadMark>>
  /** groupId -> panelId -> message ids read individually beyond the panel's mark. */
  items: Record<string, Record<string, string[]>>
}

/** Something with a place in a panel's order (a message record with its id). */
export interface Positioned {
  hlc: number
  id: string
}

const MAX_ID_CHARS = 128
/** Individually-read ids kept per panel; the oldest go first (they are below the mark soon anyway). */
const MAX_ITEMS_PER_PANEL = 500

const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_ID_CHARS
const isHlcValue = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** Whether position `p` is at or before `mark`. */
export function isAtOrBefore(p: Positioned, mark: ReadMark | undefined): boolean {
  if (!mark) return false
  if (p.hlc !== mark.hlc) return p.hlc < mark.hlc
  return mark.messageId === undefined || p.id <= mark.messageId
}

function isAfter(a: ReadMark, b: ReadMark | undefined): boolean {
  if (!b) return true
  if (a.hlc !== b.hlc) return a.hlc > b.hlc
  // At the same time, a mark by time alone covers every id, so it is the furthest.
  if (b.messageId === undefined) return false
  return a.messageId === undefined || a.messageId > b.messageId
}

export class ReadState {
  readonly #marks = new Map<string, Map<string, ReadMark>>()
  readonly #items = new Map<string, Map<string, Set<string>>>()
  readonly #listeners = new Set<ReadStateListener>()

  /**
   * Marks the panel read up to a message (by id) or a time (an HLC). Returns whether anything
   * changed: a mark never moves back, so marking an older message is a no-op.
   */
  markRead(groupId: string, panelId: string, upTo: string | number): boolean {
    const mark = toMark(upTo)
    check(groupId, panelId)
    if (!this.#advance(groupId, panelId, mark)) return false
    this.#emit({ groupId, panelId })
    return true
  }

  /** Marks one message read without moving the panel's mark (an inbox item opened on its own). */
  markItemRead(groupId: string, panelId: string, messageId: string): boolean {
    const hlc = hlcOfMessageId(messageId)
    if (hlc === null) throw new ValidationError(`Not a message id: ${messageId}`)
    check(groupId, panelId)
    if (isAtOrBefore({ hlc, id: messageId }, this.readMark(groupId, panelId))) return false
    let panels = this.#items.get(groupId)
    if (!panels) this.#items.set(groupId, (panels = new Map()))
    let ids = panels.get(panelId)
    if (!ids) panels.set(panelId, (ids = new Set()))
    if (ids.has(messageId)) return false
    ids.add(messageId)
    if (ids.size > MAX_ITEMS_PER_PANEL) {
      const oldest = [...ids].sort(byPosition)[0]
      if (oldest !== undefined) ids.delete(oldest)
    }
    this.#emit({ groupId, panelId })
    return true
  }

  /** The HLC the panel is read up to, or undefined when nothing in it was ever marked read. */
  lastRead(groupId: string, panelId: string): number | undefined {
    return this.#marks.get(groupId)?.get(panelId)?.hlc
  }

  /** The exact position the panel is read up to. */
  readMark(groupId: string, panelId: string): ReadMark | undefined {
    const m = this.#marks.get(groupId)?.get(panelId)
    return m && { ...m }
  }

  /** Whether a message counts as read: at or before the panel's mark, or marked read on its own. */
  isRead(groupId: string, panelId: string, message: Positioned): boolean {
    return (
      isAtOrBefore(message, this.#marks.get(groupId)?.get(panelId)) ||
      this.#items.get(groupId)?.get(panelId)?.has(message.id) === true
    )
  }

  /** Folds in another device's read state (marks move forward only, so order does not matter). */
  merge(other: ReadState | ReadStateJSON): void {
    const json = other instanceof ReadState ? other.toJSON() : ReadState.fromJSON(other).toJSON()
    const changed = new Map<string, ReadChange>()
    for (const [groupId, panels] of Object.entries(json.marks))
      for (const [panelId, mark] of Object.entries(panels))
        if (this.#advance(groupId, panelId, mark)) changed.set(`${groupId}\n${panelId}`, { groupId, panelId })
    for (const [groupId, panels] of Object.entries(json.items))
      for (const [panelId, ids] of Object.entries(panels))
        for (const id of ids) {
          const hlc = hlcOfMessageId(id)
          if (hlc === null || isAtOrBefore({ hlc, id }, this.#marks.get(groupId)?.get(panelId))) continue
          let byPanel = this.#items.get(groupId)
          if (!byPanel) this.#items.set(groupId, (byPanel = new Map()))
          let set = byPanel.get(panelId)
          if (!set) byPanel.set(panelId, (set = new Set()))
          if (!set.has(id)) {
            set.add(id)
            changed.set(`${groupId}\n${panelId}`, { groupId, panelId })
          }
        }
    for (const c of changed.values()) this.#emit(c)
  }

  /** Called after every change (a mark moved or an item was marked read). Returns an unsubscribe. */
  onChange(listener: ReadStateListener): () => void {
    this.#listeners.add(listener)
    return () => {
      this.#listeners.delete(listener)
    }
  }

  toJSON(): ReadStateJSON {
    const marks: ReadStateJSON['marks'] = {}
    for (const [g, panels] of this.#marks)
      marks[g] = Object.fromEntries([...panels].map(([p, m]) => [p, { ...m }]))
    const items: ReadStateJSON['items'] = {}
    for (const [g, panels] of this.#items) {
      const out: Record<string, string[]> = {}
      for (const [p, ids] of panels) if (ids.size) out[p] = [...ids].sort(byPosition)
      if (Object.keys(out).length) items[g] = out
    }
    return { v: 1, marks, items }
  }

  /** Reads a saved state back. Throws ValidationError on anything that is not one (never half-loads). */
  static fromJSON(json: unknown): ReadState {
    if (!isRecord(json) || json.v !== 1) throw new ValidationError('read state: not a version 1 read state.')
    if (!isRecord(json.marks) || !isRecord(json.items))
      throw new ValidationError('read state: marks and items must be objects.')
    const state = new ReadState()
    for (const [groupId, panels] of Object.entries(json.marks)) {
      if (!isId(groupId) || !isRecord(panels)) throw new ValidationError('read state: bad group entry.')
      for (const [panelId, mark] of Object.entries(panels)) {
        if (!isId(panelId) || !isRecord(mark)) throw new ValidationError('read state: bad panel entry.')
        const keys = Object.keys(mark)
        if (keys.some((k) => k !== 'hlc' && k !== 'messageId') || !isHlcValue(mark.hlc))
          throw new ValidationError('read state: a mark is { hlc, messageId? }.')
        if (mark.messageId !== undefined && hlcOfMessageId(String(mark.messageId)) !== mark.hlc)
          throw new ValidationError('read state: a mark names a message of another time.')
        state.#advance(
          groupId,
          panelId,
          mark.messageId === undefined
            ? { hlc: mark.hlc }
            : { hlc: mark.hlc, messageId: String(mark.messageId) },
        )
      }
    }
    for (const [groupId, panels] of Object.entries(json.items)) {
      if (!isId(groupId) || !isRecord(panels)) throw new ValidationError('read state: bad group entry.')
      for (const [panelId, ids] of Object.entries(panels)) {
        if (!isId(panelId) || !Array.isArray(ids) || ids.length > MAX_ITEMS_PER_PANEL)
          throw new ValidationError('read state: bad item list.')
        for (const id of ids)
          if (typeof id !== 'string' || hlcOfMessageId(id) === null)
            throw new ValidationError('read state: an item is a message id.')
        const mark = state.#marks.get(groupId)?.get(panelId)
        const kept = (ids as string[]).filter(
          (id) => !isAtOrBefore({ hlc: hlcOfMessageId(id) ?? 0, id }, mark),
        )
        if (!kept.length) continue
        let byPanel = state.#items.get(groupId)
        if (!byPanel) state.#items.set(groupId, (byPanel = new Map()))
        byPanel.set(panelId, new Set(kept))
      }
    }
    return state
  }

  #advance(groupId: string, panelId: string, mark: ReadMark): boolean {
    let panels = this.#marks.get(groupId)
    const current = panels?.get(panelId)
    if (!isAfter(mark, current)) return false
    if (!panels) this.#marks.set(groupId, (panels = new Map()))
    panels.set(panelId, { ...mark })
    // Items now covered by the mark need no separate entry.
    const items = this.#items.get(groupId)?.get(panelId)
    if (items)
      for (const id of items) if (isAtOrBefore({ hlc: hlcOfMessageId(id) ?? 0, id }, mark)) items.delete(id)
    return true
  }

  #emit(change: ReadChange): void {
    for (const l of [...this.#listeners]) {
      try {
        l(change)
      } catch (e) {
        // One failing listener (a UI view) must not stop the others or the mark itself.
        console.error('read state listener failed', e)
      }
    }
  }
}

function toMark(upTo: string | number): ReadMark {
  if (typeof upTo === 'number') {
    if (!isHlcValue(upTo)) throw new ValidationError(`Not an HLC: ${upTo}`)
    return { hlc: upTo }
  }
  const hlc = hlcOfMessageId(upTo)
  if (hlc === null) throw new ValidationError(`Not a message id: ${upTo}`)
  return { hlc, messageId: upTo }
}

function check(groupId: string, panelId: string): void {
  if (!isId(groupId) || !isId(panelId)) throw new ValidationError('A group id and a panel id are needed.')
}

function byPosition(a: string, b: string): number {
  const ha = hlcOfMessageId(a) ?? 0
  const hb = hlcOfMessageId(b) ?? 0
  return ha !== hb ? ha - hb : a < b ? -1 : a > b ? 1 : 0
}
