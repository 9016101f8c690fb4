// What I have read (private, on this device: core's ReadState through the client's ReadTracker), the
// unread dots of panels and the inbox. `version` moves whenever a mark moves or any group's history
// changes (batched per animation frame), and the getters read it so views re-render then.
import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import { ReadTracker, type GroupHandle, type InboxItem } from '../client'
import { tailmesh } from '../tailmesh'

export const useReadsStore = defineStore('reads', () => {
  const version = shallowRef(0)
  let tracker: ReadTracker | null = null
  let scheduled = false
  const watched = new Map<string, () => void>()

  function bump(): void {
    if (scheduled) return
    scheduled = true
    const run = () => {
      scheduled = false
      version.value++
    }
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(run)
    else setTimeout(run, 16)
  }

  function watchGroups(): void {
    for (const h of tailmesh.list()) {
      if (watched.has(h.groupId)) continue
      watched.set(
        h.groupId,
        h.onChange((c) => (c.kind === 'panel' || c.kind === 'group') && bump()),
      )
    }
    bump()
  }

  function reads(): ReadTracker | null {
    const me = tailmesh.me
    if (!me) return null
    if (!tracker || tracker.me !== me.userId) {
      tracker = new ReadTracker(me.userId)
      tracker.onChange(bump)
      tailmesh.onGroupsChanged(watchGroups)
      watchGroups()
    }
    return tracker
  }

  function hasUnread(handle: GroupHandle | null, panelId: string): boolean {
    void version.value
    const r = reads()
    return !!(r && handle?.isMember() && r.hasUnread(handle, panelId))
  }

  const inbox = computed<InboxItem[]>(() => {
    void version.value
    return reads()?.inbox(tailmesh.list()) ?? []
  })
  const inboxUnread = computed(() => ReadTracker.unread(inbox.value))

  function readMark(groupId: string, panelId: string) {
    return reads()?.readMark(groupId, panelId)
  }

  function markPanelRead(handle: GroupHandle, panelId: string): void {
    reads()?.markPanelRead(handle, panelId)
  }

  function markItemRead(item: { groupId: string; panelId: string; messageId: string }): void {
    reads()?.markItemRead(item)
  }

  /** Names for an inbox item: its group, panel and author. */
  function describe(item: InboxItem): { group: string; panel: string; author: string } {
    const h = tailmesh.group(item.groupId)
    return {
      group: h?.info()?.name ?? item.groupId.slice(0, 8),
      panel: h?.panels().find((p) => p.id === item.panelId)?.name ?? '?',
      author: h?.nickname(item.author) ?? item.author.slice(0, 8),
    }
  }

  /** Core's ReadState behind the marks (my other devices' marks are merged into it: self-sync). */
  const readState = () => reads()?.state ?? null

  return {
    version,
    hasUnread,
    inbox,
    inboxUnread,
    readMark,
    markPanelRead,
    markItemRead,
    describe,
    readState,
  }
})
