// Group management's view of the open group (the group store's handle): my permissions, roles,
// members with their roles and mutes, invites. Re-read whenever the group document changes, and when
// a mute runs out. Panel mutes are a local preference, kept in localStorage.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import {
  GroupManager,
  type InviteView,
  type MemberDetail,
  type MyPermissions,
  type RoleView,
  type SendBlock,
} from '../client'
import { useGroupStore } from './group'

const NO_PERMISSIONS: MyPermissions = { isOwner: false, isMember: false, points: new Set() }
const MUTED_PANELS_KEY = 'tailmesh.mutedPanels'

function loadMutedPanels(): Set<string> {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(MUTED_PANELS_KEY) ?? '[]')
    return new Set(Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])
  } catch {
    return new Set()
  }
}

export const useManageStore = defineStore('manage', () => {
  const group = useGroupStore()
  const manager = shallowRef<GroupManager | null>(null)
  const permissions = shallowRef<MyPermissions>(NO_PERMISSIONS)
  const roles = shallowRef<RoleView[]>([])
  const members = shallowRef<MemberDetail[]>([])
  const banned = shallowRef<{ userId: string; nickname: string }[]>([])
  const invites = shallowRef<InviteView[]>([])
  const closed = ref(false)
  /** Bumped on every re-read, so per-panel questions (sendBlock) are asked again. */
  const version = ref(0)
  const mutedPanels = ref(loadMutedPanels())
  let unsubscribe: (() => void) | null = null
  let muteTimer: ReturnType<typeof setTimeout> | null = null

  function reread(): void {
    const m = manager.value
    permissions.value = m?.permissions() ?? NO_PERMISSIONS
    roles.value = m?.roles() ?? []
    members.value = m?.members() ?? []
    banned.value = m?.banned() ?? []
    invites.value = m?.invites() ?? []
    closed.value = m?.closed() ?? false
    version.value++
    // A mute ends by time alone: read again when the next one runs out.
    if (muteTimer) clearTimeout(muteTimer)
    muteTimer = null
    const next = Math.min(...members.value.map((x) => x.mutedUntil ?? Infinity))
    if (Number.isFinite(next)) muteTimer = setTimeout(reread, Math.max(0, next - Date.now()) + 50)
  }

  watch(
    () => group.handle,
    (handle) => {
      unsubscribe?.()
      unsubscribe = null
      manager.value = handle ? new GroupManager(handle) : null
      if (handle) unsubscribe = handle.onChange((c) => c.kind === 'group' && reread())
      reread()
    },
    { immediate: true },
  )

  const can = (point: string): boolean => permissions.value.points.has(point)
  const canManage = computed(() => ({
    panels: can('managePanel'),
    roles: can('manageRoles'),
    users: can('manageUser'),
    invites: can('invite') || can('manageInvite'),
    info: can('groupBaseInfo'),
    config: can('groupConfig'),
  }))

  function sendBlock(panelId: string): SendBlock {
    void version.value
    return manager.value?.sendBlock(panelId) ?? null
  }

  function panelPermissions(panelId: string): MyPermissions {
    void version.value
    return manager.value?.permissions(panelId) ?? NO_PERMISSIONS
  }

  function toggleMutedPanel(panelId: string): void {
    const next = new Set(mutedPanels.value)
    if (!next.delete(panelId)) next.add(panelId)
    mutedPanels.value = next
    try {
      localStorage.setItem(MUTED_PANELS_KEY, JSON.stringify([...next]))
    } catch {
      // not kept: the preference still applies to this session
    }
  }

  return {
    manager,
    permissions,
    roles,
    members,
    banned,
    invites,
    closed,
    version,
    can,
    canManage,
    sendBlock,
    panelPermissions,
    mutedPanels,
    toggleMutedPanel,
    reread,
  }
})
