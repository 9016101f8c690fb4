// Presence for a group open on this page (core's Presence over its Replica's live links): started
// when the group is attached, stated gone when the page is hidden for good (pagehide) and started
// again if the browser brings the page back from its cache. A page that dies before the "gone"
// statement is out simply stops stating itself, and peers count it offline after the expiry.
import {
  startCalls,
  startPresence,
  type CallSigner,
  type PresenceSigner,
  type Replica,
  type ReplicaCalls,
  type ReplicaPresence,
} from '@tailmesh/core'
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

/**
 * Calls for a group open on this page: the hub hears every room of the group (the panel list shows
 * who is in them); leaving the page leaves the call at once (best effort: peers otherwise see the
 * session expire within 5 s).
 */
export function startPageCalls(replica: Replica, identity: CallSigner): ReplicaCalls {
  const calls = startCalls(replica, identity, { logger: appLogger() })
  if (typeof window === 'undefined') return calls
  const hide = () => void calls.hub.leave()
  window.addEventListener('pagehide', hide)
  return {
    hub: calls.hub,
    stop: async () => {
      window.removeEventListener('pagehide', hide)
      await calls.stop()
    },
  }
}
