// A join that only adds to the group's authority. Accepted anywhere in history, it cannot change the
// verdict of an envelope accepted after it: no rule refuses more because someone else is a member,
// except an invite's usage limit and a direct message's size, which are left out here. Envelopes
// it lets through (the joiner's own, a role given to them) were held aside and are retried anyway.
// The gate takes the shortcut only while the joiner signed no other group envelope: a second join by
// the same person, accepted while this one was missing, would now rewrite it.
// So a join that arrives late costs no walk over the whole history (issue 18: a newcomer taking in
// a large group's joins out of order walked once per join).

import type { AuthorityState } from '../group/authority-state'
import { GroupRoot } from '../group/documents'
import { validateMember } from '../group/records'
import type { Entry } from './timeline'

export function isFreshJoin(entry: Entry, before: AuthorityState): boolean {
  const author = entry.envelope.author
  const touch = entry.touches?.length === 1 ? entry.touches[0]! : undefined
  if (entry.reducer !== undefined || touch === undefined) return false
  if (touch.root !== GroupRoot.members || touch.key !== author || touch.removedClients.size > 0) return false
  if (before.members.has(author) || before.info === null || before.info.owner === author || before.info.dm)
    return false
  let inviteId: string | undefined
  try {
    inviteId = validateMember(touch.written[touch.written.length - 1]).invite?.id
  } catch {
    return false
  }
  return inviteId !== undefined && before.invites.get(inviteId)?.maxUses === null
}
