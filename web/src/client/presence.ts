// Presence for a group open on this page (core's Presence over its Replica's live links): started
// when the group is attached, stated gone when the page is hidden for good (pagehide) and started
// again if the browser brings the page back from its cache. A page that dies before the "gone"
// statement is out simply stops stating itself, and peers count it offline after the expiry.
import { startPresence, type PresenceSigner, type Replica, type ReplicaPresence } from '@tailmesh/core'
import { appLogger } from '../diagnostics'

export function startPagePresence(replica: Replica, identity: PresenceSigner): ReplicaPresence {
  const live = startPresence(replica, identity, { logger: appLogger() })
  if (typeof window === 'undefined') return live
  const hide = () => void live.presence.stop()
  const show = (e: PageTransitionEvent) => {
    if (e.persisted) live.presence.start()
  }
  window.addEventListener('pagehide', hide)
  window.addEventListener('pageshow', show)
  return {
    presence: live.presence,
    stop: async () => {
      window.removeEventListener('pagehide', hide)
      window.removeEventListener('pageshow', show)
      await live.stop()
    },
  }
}
