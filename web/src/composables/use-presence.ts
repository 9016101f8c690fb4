// The open group's presence for components: who is online and who types where, re-read whenever the
// group's Presence reports a change (a statement arrived, someone expired) and when the group store
// switches groups or the group gets attached (its Presence exists only from then on).
import { onScopeDispose, shallowRef, watch, type ShallowRef } from 'vue'
import type { MemberPresence, UserId } from '@tailmesh/core'
import { useGroupStore } from '../stores/group'

export interface PresenceView {
  /** Members heard from (never this device's own user), by user id. */
  members: ShallowRef<ReadonlyMap<UserId, MemberPresence>>
  /** Starts (non-empty text) or stops (null) this member's typing statement in a panel. */
  typing(panelId: string | null): void
}

export function usePresence(): PresenceView {
  const group = useGroupStore()
  const members = shallowRef<ReadonlyMap<UserId, MemberPresence>>(new Map())
  let offPresence = () => {}
  let offHandle = () => {}

  const bind = () => {
    offPresence()
    const presence = group.handle?.presence() ?? null
    const read = () => (members.value = presence?.members() ?? new Map())
    offPresence = presence ? presence.onChange(read) : () => {}
    read()
  }

  watch(
    () => group.handle,
    (handle) => {
      offHandle()
      offHandle = handle?.onChange((c) => c.kind === 'connection' && bind()) ?? (() => {})
      bind()
    },
    { immediate: true },
  )
  onScopeDispose(() => {
    offPresence()
    offHandle()
  })

  return {
    members,
    typing: (panelId) => group.handle?.presence()?.typing(panelId),
  }
}
