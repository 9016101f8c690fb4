// Invite links: the format lives in core (core/src/group/invite-link.ts) so that headless peers
// (bots) accept exactly the links this app makes. Re-exported for the app's own imports.
export {
  InvalidInviteError,
  decodeInvitePayload,
  encodeInvitePayload,
  inviteLink,
  payloadOfLink,
  type InvitePayload,
} from '@tailmesh/core'
