// The GroupSync the app starts with: replica-sync.ts (core's Replica, its storage and transports —
// the whole sync engine) is `import()`ed the first time a group is listed or attached, so the app
// shell does not carry it (bench/bundle-size.bench.ts). It loads at start, right after the shell
// (the client reopens the groups kept on this device), in a chunk the service worker precaches.
import type { ReplicaSyncOptions } from './replica-sync'
import type { GroupSync } from './sync'

export function replicaSync(options: ReplicaSyncOptions = {}): GroupSync {
  let engine: Promise<GroupSync> | null = null
  const load = (): Promise<GroupSync> => {
    if (!engine) {
      const loading = import('./replica-sync').then((m) => m.replicaSync(options))
      // A failed load (chunk unreachable) is forgotten, to be tried again by the next call.
      loading.catch(() => {
        if (engine === loading) engine = null
      })
      engine = loading
    }
    return engine
  }
  return {
    persistent: true,
    knownGroups: async () => (await load()).knownGroups(),
    attach: async (group) => (await load()).attach(group),
  }
}
