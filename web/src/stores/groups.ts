// The groups on this device, as the home screen lists them. Re-read from the client whenever the
// list or a group's name changes.
import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import { dmSummary } from '../client/friends-dm'
import { tailmesh } from '../tailmesh'

export interface GroupSummary {
  groupId: string
  /** Null until the group document has arrived (opened from an invite link, not yet synced). */
  name: string | null
  /** A direct message: listed apart, named by the other people's nicknames. */
  dm: boolean
  member: boolean
  /** The owner deleted it (group management marks it closed): hidden from the list. */
  closed: boolean
  /** The first text panel: where opening the group lands. */
  firstPanelId: string | null
}

function read(): GroupSummary[] {
  return tailmesh
    .list()
    .map((g) => ({
      groupId: g.groupId,
      ...dmSummary(g),
      member: g.isMember(),
      closed: g.info()?.config.closed === true,
      firstPanelId: g.panels().find((p) => p.type === 'text')?.id ?? null,
    }))
    .filter((g) => g.member && !g.closed)
}

export const useGroupsStore = defineStore('groups', () => {
  const list = shallowRef<GroupSummary[]>(read())
  tailmesh.onGroupsChanged(() => (list.value = read()))

  async function create(name: string): Promise<GroupSummary> {
    const handle = await tailmesh.createGroup(name)
    list.value = read()
    return list.value.find((g) => g.groupId === handle.groupId)!
  }

  return { list, create }
})
