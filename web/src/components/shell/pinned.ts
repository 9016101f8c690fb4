// The panel pinned to the right of the open one, per group: a display choice of this device, kept in
// localStorage (not group data; nobody else sees it).
import { shallowRef } from 'vue'

const KEY = 'tailmesh.pinned'

function load(): Record<string, string> {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(KEY) ?? '{}')
    return v && typeof v === 'object' ? (v as Record<string, string>) : {}
  } catch {
    return {}
  }
}

const pinned = shallowRef<Record<string, string>>(load())

export function pinnedPanel(groupId: string): string | null {
  return pinned.value[groupId] ?? null
}

export function setPinned(groupId: string, panelId: string | null): void {
  const next = { ...pinned.value }
  if (panelId) next[groupId] = panelId
  else delete next[groupId]
  pinned.value = next
  try {
    localStorage.setItem(KEY, JSON.stringify(next))
  } catch {
    // not kept: the pin lasts for this session
  }
}
