// A group's call rooms for components: who is in which room (others, from the hub's directory, plus
// me when this page is in it), calls ringing, re-read whenever the hub reports a change.
import { computed, onScopeDispose, shallowRef, watch, type ComputedRef, type ShallowRef } from 'vue'
import type { CallHub, GroupHandle } from '../client'
import { useCallStore } from './call-store'

export function useCallHub(handle: () => GroupHandle | null): {
  hub: ShallowRef<CallHub | null>
  version: ShallowRef<number>
} {
  const hub = shallowRef<CallHub | null>(null)
  const version = shallowRef(0)
  let off = () => {}
  let offHandle = () => {}
  const bind = (h: GroupHandle | null) => {
    off()
    hub.value = h?.calls() ?? null
    off = hub.value?.onChange(() => version.value++) ?? (() => {})
    version.value++
  }
  watch(
    handle,
    (h) => {
      offHandle()
      // The hub exists once the group is attached: bind again then.
      offHandle = h?.onChange((c) => c.kind === 'connection' && !hub.value && bind(h)) ?? (() => {})
      bind(h)
    },
    { immediate: true },
  )
  onScopeDispose(() => {
    off()
    offHandle()
  })
  return { hub, version }
}

/**
 * The call going on in a text panel or DM now: the one this page is in there, else one someone is
 * heard in (several at once: the first). Null when none.
 */
export function usePanelCall(
  handle: () => GroupHandle | null,
  panelId: () => string,
): { hub: ShallowRef<CallHub | null>; version: ShallowRef<number>; callId: ComputedRef<string | null> } {
  const { hub, version } = useCallHub(handle)
  const call = useCallStore()
  const callId = computed(() => {
    void version.value
    const id = panelId()
    if (call.handle === handle() && call.room?.panelId === id && call.room.callId !== '')
      return call.room.callId
    return hub.value?.activeRooms().find((r) => r.panelId === id && r.callId !== '')?.callId ?? null
  })
  return { hub, version, callId }
}
