// My saved ("starred") messages: core's private SavedMessages, kept on this device in localStorage
// (one key per identity, like the read state) and shared with my other devices through my self
// topic (self-sync.ts) — never written into a group, so nobody else learns what I saved.
import { SavedMessages, type SavedEntry, type SavedRef, type UserId } from '@tailmesh/core'

export type { SavedEntry, SavedRef }

const keyOf = (me: UserId) => `tailmesh.saved.${me}`

export class SavedTracker {
  readonly state: SavedMessages
  private saveTimer: ReturnType<typeof setTimeout> | null = null

  constructor(
    readonly me: UserId,
    private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null = globalThis.localStorage ?? null,
  ) {
    this.state = SavedTracker.load(me, storage)
    this.state.onChange(() => this.scheduleSave())
  }

  private static load(me: UserId, storage: Pick<Storage, 'getItem'> | null): SavedMessages {
    try {
      const raw = storage?.getItem(keyOf(me))
      if (raw) return SavedMessages.fromJSON(JSON.parse(raw))
    } catch (e) {
      console.warn('saved messages unreadable; starting fresh', e)
    }
    return new SavedMessages()
  }

  private scheduleSave(): void {
    if (this.saveTimer) return
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null
      try {
        this.storage?.setItem(keyOf(this.me), JSON.stringify(this.state.toJSON()))
      } catch (e) {
        console.warn('saved messages not kept', e)
      }
    }, 200)
  }
}
