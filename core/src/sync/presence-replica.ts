// Presence for a group kept by a Replica: statements go out on the replica's live links
// (Replica.sendPresence) and come in from its `presence` event; membership is read from its gate.
import { Presence, type PresenceOptions } from './presence'
import type { PresenceSigner } from './presence-wire'
import type { Replica } from './replica'

export interface ReplicaPresence {
  presence: Presence
  /** States this client gone (best effort), stops listening. Call before closing the replica. */
  stop(): Promise<void>
}

export function startPresence(
  replica: Replica,
  identity: PresenceSigner,
  options: Partial<Omit<PresenceOptions, 'groupId' | 'identity' | 'authority' | 'send'>> = {},
): ReplicaPresence {
  const presence = new Presence({
    ...options,
    groupId: replica.groupId,
    identity,
    authority: () => replica.gate.authority(),
    send: (bytes) => replica.sendPresence(bytes),
  })
  const off = replica.on('presence', (bytes) => void presence.receive(bytes))
  presence.start()
  return {
    presence,
    stop: async () => {
      await presence.stop()
      off()
    },
  }
}
