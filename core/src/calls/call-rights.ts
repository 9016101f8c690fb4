// Who may do what in a call, read from THE permission resolver (group/permissions.ts) like every other
// question of rights: `callJoin` to be in a call (and hear it), `callSpeak` to be heard and seen (a
// muted member loses it while muted), `callModerate` to mute someone in a call or remove them. A
// banned, kicked or departed member holds nothing. Calls happen in voice panels (their standing room)
// and in text panels and DMs (a call started there); anywhere else nobody may call.
import type { UserId } from '../identity/user-id'
import type { AuthorityState } from '../group/authority-state'
import { resolvePermissions } from '../group/permissions'

export interface CallRights {
  join: boolean
  speak: boolean
  moderate: boolean
}

const NONE: CallRights = { join: false, speak: false, moderate: false }

export function callRights(
  state: AuthorityState,
  user: UserId,
  panelId: string,
  atWallMs: number,
): CallRights {
  const panel = state.panels.get(panelId)
  if (panel?.type !== 'voice' && panel?.type !== 'text') return NONE
  const p = resolvePermissions(state, user, panelId, atWallMs)
  if (!p.has('callJoin')) return NONE
  return { join: true, speak: p.has('callSpeak'), moderate: p.has('callModerate') }
}
