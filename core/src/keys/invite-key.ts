// Invites without a secret in the group document: the link carries a random 16-byte secret, the group
// document stores only the public key derived from it (the invite id). A joiner proves they hold the
// link by signing their join with the derived private key; reading the document does not let anyone
// forge that proof.
import { ValidationError } from '../errors'
import { randomBytes, toBase64Url } from '../bytes'
import { ED25519_PUBLIC_KEY_BYTES, signingKeyPairFromSeed, type SigningKeyPair } from '../crypto/ed25519'
import { hkdf } from '../crypto/hash'

export const INVITE_SECRET_BYTES = 16

export function createInviteSecret(): Uint8Array {
  return randomBytes(INVITE_SECRET_BYTES)
}

export async function inviteKeyPair(secret: Uint8Array): Promise<SigningKeyPair> {
  if (!(secret instanceof Uint8Array) || secret.length !== INVITE_SECRET_BYTES)
    throw new ValidationError(`An invite secret is ${INVITE_SECRET_BYTES} bytes.`)
  const seed = await hkdf(secret, new Uint8Array(0), 'tailmesh/invite/v1', 32)
  const pair = await signingKeyPairFromSeed(seed)
  seed.fill(0)
  return pair
}

/** The invite id stored in the group document: base64url of the invite public key. */
export function inviteIdOf(publicKey: Uint8Array): string {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== ED25519_PUBLIC_KEY_BYTES)
    throw new ValidationError(`An invite public key is ${ED25519_PUBLIC_KEY_BYTES} bytes.`)
  return toBase64Url(publicKey)
}
