// Calls for a group kept by a Replica: statements go out on the replica's live links
// (Replica.sendCall) and come in from its `call` event; membership and rights come from its gate.
import type { Replica } from '../sync/replica'
import { CallHub, type CallHubOptions } from './call-hub'
import type { CallSigner } from './call-wire'

export interface ReplicaCalls {
  hub: CallHub
  /** Leaves any call (best effort), stops listening. Call before closing the replica. */
  stop(): Promise<void>
}

export function startCalls(
  replica: Replica,
  identity: CallSigner,
  options: Partial<Omit<CallHubOptions, 'groupId' | 'identity' | 'authority' | 'send'>> = {},
): ReplicaCalls {
  const hub = new CallHub({
    ...options,
    groupId: replica.groupId,
    identity,
    authority: () => replica.gate.authority(),
    send: (bytes) => replica.sendCall(bytes),
  })
  const off = replica.on('call', (bytes) => void hub.receive(bytes))
  hub.start()
  return {
    hub,
    stop: async () => {
      await hub.stop()
      off()
    },
  }
}
