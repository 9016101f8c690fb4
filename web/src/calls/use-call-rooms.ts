// A group's call rooms for components: who is in which room (others, from the hub's directory, plus
// me when this page is in it), calls ringing, re-read whenever the hub reports a change.
import { onScopeDispose, shallowRef, watch, type ShallowRef } from 'vue'
import type { CallHub, GroupHandle } from '../client'

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
