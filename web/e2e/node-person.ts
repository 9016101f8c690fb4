// A person on the Node side of a browser test: core as the relay, bots and core's own tests run it
// (the same shape as core/test/peers.ts `person`, built only on what web may import from core).
import { Identity, type Envelope } from '@tailmesh/core'
import { openGroup, type OpenGroup } from './core-internals/group'

export interface NodePerson extends OpenGroup {
  name: string
  identity: Identity
  /** Every envelope this person produced, in order. */
  outbox: Envelope[]
}

/** `identity` defaults to a new one; pass a restored identity to act as an existing user. */
export async function nodePerson(name: string, groupId: string, identity?: Identity): Promise<NodePerson> {
  const me = identity ?? (await Identity.create())
  const outbox: Envelope[] = []
  const opened = await openGroup(me, groupId, { send: (e) => outbox.push(e) })
  return { name, identity: me, outbox, ...opened }
}
