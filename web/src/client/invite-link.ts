// Invite links: the format lives in core (core/src/group/invite-link.ts) so that headless peers
// (bots) accept exactly the links this app makes. Re-exported for the app's own imports, with one
// addition: a link made on this device names the relays it uses (relays.ts), unless told otherwise.
import { encodeInvitePayload as encodeCore, type InvitePayload } from '@tailmesh/core'
import { inviteRelays } from './relays'

export {
  InvalidInviteError,
  decodeInvitePayload,
  inviteLink,
  payloadOfLink,
  type InvitePayload,
} from '@tailmesh/core'

/** Core's payload, naming this device's relays when `invite.relays` is not given. */
export function encodeInvitePayload(invite: InvitePayload): string {
  return encodeCore({ ...invite, relays: invite.relays ?? inviteRelays() })
}
