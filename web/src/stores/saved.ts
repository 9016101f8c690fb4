// My saved ("starred") messages (client/saved.ts): private, on my devices only. `version` moves on
// every change (mine, or merged from another of my devices) so views re-read.
import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import { SavedTracker, type SavedEntry, type SavedRef } from '../client/saved'
import { tailmesh } from '../tailmesh'

export const useSavedStore = defineStore('saved', () => {
  const version = shallowRef(0)
  let tracker: SavedTracker | null = null

  function saved(): SavedTracker | null {
    const me = tailmesh.me
    if (!me) return null
    if (!tracker || tracker.me !== me.userId) {
      tracker = new SavedTracker(me.userId)
      tracker.state.onChange(() => version.value++)
      version.value++
    }
    return tracker
  }

  function isSaved(ref: SavedRef): boolean {
    void version.value
    return saved()?.state.isSaved(ref) ?? false
  }

  function set(ref: SavedRef, on: boolean): void {
    saved()?.state.set(ref, on)
  }

  function list(): SavedEntry[] {
    void version.value
    return saved()?.state.list() ?? []
  }

  /** Core's SavedMessages behind the list (for the self channel). */
  const state = () => saved()?.state ?? null

  return { version, isSaved, set, list, state }
})
