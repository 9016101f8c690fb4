// Many members at once, for tests of large groups: each joiner is a real identity that signs a real
// join by an invite, but takes the group's first envelopes in from storage (gate.restore) rather
// than verifying them, which is what made building thousands of members slow.

import { openGroup } from '../src/group/create'
import { Identity } from '../src/identity/identity'
import type { Envelope } from '../src/envelope/envelope'
import type { Person } from './peers'

export interface Crowd {
  /** The joiners, in the order their joins were made. */
  identities: Identity[]
  /** Their join envelopes, one each. */
  joins: Envelope[]
}

/** `n` people join `owner`'s group by the invite `secret`, `parallel` at a time. */
export async function crowd(owner: Person, secret: Uint8Array, n: number, parallel = 64): Promise<Crowd> {
  const history = [...owner.gate.accepted()].map((envelope) => ({ envelope, accepted: true }))
  const identities: Identity[] = []
  const joins: Envelope[] = []
  for (let start = 0; start < n; start += parallel) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(parallel, n - start) }, async () => {
        const identity = await Identity.create()
        const sent: Envelope[] = []
        const joiner = await openGroup(identity, owner.groupId, { send: (e) => sent.push(e) })
        await joiner.gate.restore(history)
        await joiner.actions.join(secret)
        return { identity, join: sent[sent.length - 1]! }
      }),
    )
    for (const { identity, join } of batch) {
      identities.push(identity)
      joins.push(join)
    }
  }
  return { identities, joins }
}
