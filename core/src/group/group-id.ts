// A group's id is bound to its owner's key: id = H(owner public key ‖ nonce). Only the holder of that
// key can sign the genesis, so nobody who learns the group key can forge an earlier "creation" of
// the group that makes them its owner.

import { concatBytes, fromBase64Url, randomBytes, toBase64Url, utf8 } from '../bytes'
import { sha256 } from '../crypto/hash'
import { publicKeyOf, type UserId } from '../identity/user-id'

const DOMAIN = utf8('tailmesh/group/v1')

export async function groupIdFor(owner: UserId, nonce: string): Promise<string> {
  const digest = await sha256(concatBytes(DOMAIN, publicKeyOf(owner), fromBase64Url(nonce)))
  return toBase64Url(digest).slice(0, 22)
}

export function newGroupNonce(): string {
  return toBase64Url(randomBytes(16))
}
