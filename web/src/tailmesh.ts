// The app's one TailmeshClient. Stores reach core only through it. Groups are kept in IndexedDB and
// carried by the relay's mailbox, WebRTC peers and BroadcastChannel (replica-sync.ts).
import { createTailmeshClient, replicaSync } from './client'

export const tailmesh = createTailmeshClient({ sync: replicaSync() })
// Only with `?tailmesh-test-hooks` in the address (browser tests): see client/test-hooks.ts. Loaded
// only then, in a chunk of its own: the app shell never carries it.
if (new URLSearchParams(location.search).has('tailmesh-test-hooks'))
  void import('./client/test-hooks').then((m) => m.installTestHooks(tailmesh))
