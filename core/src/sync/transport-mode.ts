// Which peer-to-peer network a group uses: the WebRTC full mesh holds tens of peers, gossipsub over
// libp2p holds thousands. Small groups use the mesh, larger ones libp2p; a member with groupConfig
// can pin either in the group's config (`transport: 'mesh' | 'libp2p'`).

import { memberIds, type AuthorityState } from '../group/authority-state'

export type TransportMode = 'mesh' | 'libp2p'

/** Members above which a group leaves the mesh for libp2p, unless its config pins one. */
export const MESH_MEMBER_LIMIT = 20

export function transportMode(state: AuthorityState, limit = MESH_MEMBER_LIMIT): TransportMode {
  const pinned = state.info?.config['transport']
  if (pinned === 'mesh' || pinned === 'libp2p') return pinned
  return memberIds(state).length > limit ? 'libp2p' : 'mesh'
}
