// The open group: its info, panels and members, re-read from the group document whenever the gate
// accepts something for it. Nothing here is a copy to keep in sync: each re-read replaces the view.
import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import type { GroupHandle, GroupInfo, LinkStatus, MemberView, PanelView } from '../client'
import { dmSummary } from '../client/friends-dm'
import { tailmesh } from '../tailmesh'

export const useGroupStore = defineStore('group', () => {
  const handle = shallowRef<GroupHandle | null>(null)
  const info = shallowRef<GroupInfo | null>(null)
  const panels = shallowRef<PanelView[]>([])
  const members = shallowRef<MemberView[]>([])
  const connection = shallowRef<LinkStatus>({ relay: false, peers: 0 })
  let unsubscribe: (() => void) | null = null

  function reread(): void {
    const h = handle.value
    const i = h?.info() ?? null
    // A DM is called by the other people's nicknames on my screen.
    info.value = h && i?.dm ? { ...i, name: dmSummary(h).name ?? i.name } : i
    panels.value = h?.panels() ?? []
    members.value = h?.members() ?? []
    connection.value = h?.connection() ?? { relay: false, peers: 0 }
  }

  /** Shows `groupId` (null or unknown: nothing). */
  function open(groupId: string | null): void {
    const next = groupId === null ? undefined : tailmesh.group(groupId)
    if (next === handle.value) return
    unsubscribe?.()
    unsubscribe = null
    handle.value = next ?? null
    if (next) unsubscribe = next.onChange((c) => (c.kind === 'group' || c.kind === 'connection') && reread())
    reread()
  }

  const textPanels = computed(() => panels.value.filter((p) => p.type === 'text'))

  function nickname(userId: string): string {
    return handle.value?.nickname(userId) ?? userId.slice(0, 8)
  }

  return { handle, info, panels, textPanels, members, connection, open, nickname }
})
