// Opens a DM's panel (its one text panel) once the group is on this device.
import type { Router } from 'vue-router'
import { tailmesh } from '../tailmesh'

export async function openDm(router: Router, groupId: string): Promise<void> {
  const panelId = tailmesh
    .group(groupId)
    ?.panels()
    .find((p) => p.type === 'text')?.id
  await router.push({ name: 'group', params: { groupId, ...(panelId ? { panelId } : {}) } })
}
