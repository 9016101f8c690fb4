// How the app lists and names DMs: a DM is a group with info.dm, called on my screen by the other
// people's nicknames (core's directMessageName). Kept apart from friends.ts: the home list needs only this.
import { directMessageName, isDirectMessage } from '@tailmesh/core'
import type { GroupHandle } from './group-handle'

/** Whether a group is a DM, and what it is called on my screen (null before its document arrived). */
export function dmSummary(handle: GroupHandle): { dm: boolean; name: string | null } {
  const state = handle.group.gate.authority()
  if (!state.info) return { dm: false, name: null }
  if (!isDirectMessage(state)) return { dm: false, name: state.info.name }
  return { dm: true, name: directMessageName(state, handle.me) }
}
