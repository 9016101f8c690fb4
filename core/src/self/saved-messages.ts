// A person's saved ("starred") messages: private, like the read state. They live on the person's own
// devices and travel only on their self topic (self-channel.ts), sealed with a key no one else holds;
// never in a group document, so nobody learns what anyone saved.
//
// Each entry is last-writer-wins by wall time (then by the flag, so a tie unsaves): saving and
// unsaving on two devices merge the same way in any order, any number of times.

import { ValidationError } from '../errors'
import { hlcOfMessageId } from '../group/documents'

export interface SavedRef {
  groupId: string
  panelId: string
  messageId: string
}

export interface SavedEntry extends SavedRef {
  /** Wall-clock ms of the last save or unsave. */
  at: number
  saved: boolean
}

export interface SavedMessagesJSON {
  v: 1
  /** `${groupId} ${panelId} ${messageId}` -> [at, 1 | 0]. */
  entries: Record<string, [number, 0 | 1]>
}

/** Kept per person, saved or not (unsaves are kept so they win over an older save elsewhere). */
const MAX_ENTRIES = 2000
const ID = /^[A-Za-z0-9_-]{1,128}$/

const keyOf = (r: SavedRef) => `${r.groupId} ${r.panelId} ${r.messageId}`

function refOf(key: string): SavedRef | null {
  const [groupId, panelId, messageId, extra] = key.split(' ')
  if (extra !== undefined || !groupId || !panelId || !messageId) return null
  if (!ID.test(groupId) || !ID.test(panelId) || hlcOfMessageId(messageId) === null) return null
  return { groupId, panelId, messageId }
}

const wins = (a: [number, 0 | 1], b: [number, 0 | 1] | undefined) =>
  !b || a[0] > b[0] || (a[0] === b[0] && a[1] < b[1])

export class SavedMessages {
  readonly #entries = new Map<string, [number, 0 | 1]>()
  readonly #listeners = new Set<() => void>()

  constructor(private readonly now: () => number = Date.now) {}

  isSaved(ref: SavedRef): boolean {
    return this.#entries.get(keyOf(ref))?.[1] === 1
  }

  /** Saves or unsaves a message; returns whether anything changed. */
  set(ref: SavedRef, saved: boolean): boolean {
    const key = keyOf(ref)
    if (!refOf(key)) throw new ValidationError('A saved message is named by group, panel and message ids.')
    if (this.isSaved(ref) === saved) return false
    // Never behind what this device saw from another one: the newest action wins everywhere.
    const at = Math.max(this.now(), (this.#entries.get(key)?.[0] ?? 0) + 1)
    this.#put(key, [at, saved ? 1 : 0])
    this.#emit()
    return true
  }

  /** Saved messages, the most recently saved first. */
  list(): SavedEntry[] {
    const out: SavedEntry[] = []
    for (const [key, [at, flag]] of this.#entries) {
      const ref = refOf(key)
      if (ref && flag === 1) out.push({ ...ref, at, saved: true })
    }
    return out.sort((a, b) => b.at - a.at)
  }

  /** Folds in another device's entries (last writer wins per message). */
  merge(other: SavedMessages | SavedMessagesJSON): void {
    const json = other instanceof SavedMessages ? other.toJSON() : SavedMessages.fromJSON(other).toJSON()
    let changed = false
    for (const [key, value] of Object.entries(json.entries))
      if (wins(value, this.#entries.get(key))) {
        this.#put(key, value)
        changed = true
      }
    if (changed) this.#emit()
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => {
      this.#listeners.delete(listener)
    }
  }

  toJSON(): SavedMessagesJSON {
    return { v: 1, entries: Object.fromEntries([...this.#entries].map(([k, v]) => [k, [v[0], v[1]]])) }
  }

  /** Reads a saved state back. Throws ValidationError on anything that is not one (never half-loads). */
  static fromJSON(json: unknown): SavedMessages {
    const o = json as Partial<SavedMessagesJSON> | null
    if (typeof o !== 'object' || o === null || o.v !== 1 || typeof o.entries !== 'object' || !o.entries)
      throw new ValidationError('saved messages: not a version 1 list.')
    const entries = Object.entries(o.entries)
    if (entries.length > MAX_ENTRIES) throw new ValidationError('saved messages: too many entries.')
    const out = new SavedMessages()
    for (const [key, value] of entries) {
      if (
        !refOf(key) ||
        !Array.isArray(value) ||
        value.length !== 2 ||
        !Number.isSafeInteger(value[0]) ||
        (value[1] !== 0 && value[1] !== 1)
      )
        throw new ValidationError('saved messages: an entry is [time, 0 | 1] under group, panel, message.')
      out.#entries.set(key, [value[0], value[1]])
    }
    return out
  }

  #put(key: string, value: [number, 0 | 1]): void {
    this.#entries.set(key, value)
    if (this.#entries.size <= MAX_ENTRIES) return
    // The oldest unsave goes first, then the oldest save.
    const oldest = [...this.#entries].sort((a, b) => a[1][1] - b[1][1] || a[1][0] - b[1][0])[0]
    if (oldest) this.#entries.delete(oldest[0])
  }

  #emit(): void {
    for (const l of [...this.#listeners]) {
      try {
        l()
      } catch (e) {
        // One failing listener (a view) must not stop the others.
        console.error('saved messages listener failed', e)
      }
    }
  }
}
