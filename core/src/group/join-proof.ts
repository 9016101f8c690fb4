// A join proves the joiner holds the invite link's secret: a signature by the invite key (whose public
// half is the invite id stored in the group) over the group and the joining user.

import { fromBase64Url, toBase64Url, utf8 } from '../bytes'
import { sign, verify, type SigningKeyPair } from '../crypto/ed25519'
import type { UserId } from '../identity/user-id'

const proofInput = (groupId: string, userId: UserId): Uint8Array =>
  utf8(`tailmesh/join/v1\n${groupId}\n${userId}`)

export async function makeJoinProof(
  invite: SigningKeyPair,
  groupId: string,
  userId: UserId,
): Promise<string> {
  return toBase64Url(await sign(invite.privateKey, proofInput(groupId, userId)))
}

export async function verifyJoinProof(
  inviteId: string,
  proof: string,
  groupId: string,
  userId: UserId,
): Promise<boolean> {
  try {
    return await verify(fromBase64Url(inviteId), fromBase64Url(proof), proofInput(groupId, userId))
  } catch {
    // A malformed invite key or proof is simply not valid: the answer, not a failure to log.
    return false
  }
}
