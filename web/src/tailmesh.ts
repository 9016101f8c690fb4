// The app's one TailmeshClient. Stores reach core only through it. Groups are kept in IndexedDB and
// carried by the relay's mailbox, WebRTC peers and BroadcastChannel (replica-sync.ts).
import { createTailmeshClient, installTestHooks, replicaSync } from './client'

export const tailmesh = createTailmeshClient({ sync: replicaSync() })
// Only with `?tailmesh-test-hooks` in the address (browser tests): see client/test-hooks.ts.
installTestHooks(tailmesh)
