// The notes' logic, without any DOM: the panel's text is one Y.Text (`text:body` in the plugin's
// state for the panel, `x/com.tailmesh.notes/<panelId>`), edited by everyone who may speak in the
// panel. A textarea's new value becomes the smallest splice of that text, so concurrent typing by
// several members merges character by character instead of one overwriting the other.

import type { PluginState } from '@tailmesh/plugin-sdk'

export const NOTES_PANEL = 'notes'
export const NOTES_TEXT = 'body'

export interface Splice {
  index: number
  remove: number
  insert: string
}

/** The one splice that turns `before` into `after` (common prefix and suffix kept), or null if equal. */
export function spliceOf(before: string, after: string): Splice | null {
  if (before === after) return null
  let start = 0
  const max = Math.min(before.length, after.length)
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++
  let end = 0
  while (
    end < max - start &&
    before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)
  )
    end++
  // Never split a surrogate pair: a half character would be stored as a lone surrogate.
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--
  if (end > 0 && isLowSurrogate(before.charCodeAt(before.length - end))) end--
  return { index: start, remove: before.length - start - end, insert: after.slice(start, after.length - end) }
}

const isHighSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdbff
const isLowSurrogate = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff

/** Where a cursor at `cursor` in `before` belongs in `after` (a change before it moves it along). */
export function moveCursor(cursor: number, before: string, after: string): number {
  const s = spliceOf(before, after)
  if (!s || cursor <= s.index) return cursor
  if (cursor >= s.index + s.remove) return cursor - s.remove + s.insert.length
  return s.index + s.insert.length
}

/** The shared text now. */
export function readNotes(state: PluginState): string {
  return state.text(NOTES_TEXT).toString()
}

/**
 * Records that the editor went from `before` (what it last showed of the shared text) to `after`.
 * Resolves once signed and sent; rejects with the gate's reason if this member may not edit.
 */
export function editNotes(state: PluginState, before: string, after: string): Promise<void> {
  const s = spliceOf(before, after)
  if (!s) return Promise.resolve()
  return state.change(() => {
    const text = state.text(NOTES_TEXT)
    // The shared text may have moved on since `before` (a remote edit landed): splice where the
    // editor's prefix still matches, clamped to the text's length.
    const index = Math.min(s.index, text.length)
    const remove = Math.min(s.remove, text.length - index)
    if (remove > 0) text.delete(index, remove)
    if (s.insert) text.insert(index, s.insert)
  })
}
