// What I have read: core's private ReadState (never written to a group), kept on this device.
// Persisted in localStorage under one key per identity: the state is small (one mark per panel plus
// at most 500 ids per panel), synchronous storage keeps it simple, and it is not group data that
// other devices need (a later version can carry it between my own devices: ReadState.merge).
import {
  ReadState,
  hasUnread,
  inbox,
  markPanelRead,
  unreadInboxCount,
  type InboxItem,
  type ReadMark,
  type UserId,
} from '@tailmesh/core'
import type { GroupHandle } from './group-handle'

export type { InboxItem, ReadMark }

const keyOf = (me: UserId) => `tailmesh.read.${me}`

export class ReadTracker {
  readonly state: ReadState
  private saveTimer: ReturnType<typeof setTimeout> | null = null

  constructor(
    readonly me: UserId,
    private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null = globalThis.localStorage ?? null,
  ) {
    this.state = ReadTracker.load(me, storage)
    this.state.onChange(() => this.scheduleSave())
  }

  private static load(me: UserId, storage: Pick<Storage, 'getItem'> | null): ReadState {
    try {
      const raw = storage?.getItem(keyOf(me))
      if (raw) return ReadState.fromJSON(JSON.parse(raw))
    } catch (e) {
      console.warn('read state unreadable; starting fresh', e)
    }
    return new ReadState()
  }

  private scheduleSave(): void {
    if (this.saveTimer) return
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null
      this.save()
    }, 200)
  }

  save(): void {
    try {
      this.storage?.setItem(keyOf(this.me), JSON.stringify(this.state.toJSON()))
    } catch (e) {
      console.warn('read state not saved', e)
    }
  }

  onChange(listener: () => void): () => void {
    return this.state.onChange(listener)
  }

  hasUnread(handle: GroupHandle, panelId: string): boolean {
    return hasUnread(handle.group.gate, panelId, this.state, this.me)
  }

  readMark(groupId: string, panelId: string): ReadMark | undefined {
    return this.state.readMark(groupId, panelId)
  }

  /** Marks the panel read up to its latest message (the list is scrolled to the bottom). */
  markPanelRead(handle: GroupHandle, panelId: string): boolean {
    return markPanelRead(handle.group.gate, panelId, this.state)
  }

  markItemRead(item: { groupId: string; panelId: string; messageId: string }): boolean {
    return this.state.markItemRead(item.groupId, item.panelId, item.messageId)
  }

  /** Mentions of me and replies to me across these groups, unread first, then newest first. */
  inbox(handles: readonly GroupHandle[]): InboxItem[] {
    return inbox(
      handles.filter((h) => h.isMember()).map((h) => h.group.gate),
      this.state,
      this.me,
    )
  }

  static unread(items: readonly InboxItem[]): number {
    return unreadInboxCount(items)
  }
}
