// Binding Yjs clientIDs to authors. A clientID is not chosen: it is the first 4 bytes of the hash of
// the author's signature over (group, random nonce). Anyone can check that the author produced it, and
// another member cannot present it as theirs, because the proof does not verify under their key.
// (32 bits can be ground by brute force; the gate's rule that a clientID already bound to one author
// quarantines a later claim by another covers that.)
import * as encoding from 'lib0/encoding'
import { randomBytes, toBase64Url } from '../bytes'
import { ED25519_SIGNATURE_BYTES, verify } from '../crypto/ed25519'
import { sha256 } from '../crypto/hash'
import type { Identity } from '../identity/identity'
import { isUserId, publicKeyOf, type UserId } from '../identity/user-id'

export interface ClientClaim {
  /** Unsigned 32-bit Yjs clientID, derived from `proof`. */
  clientId: number
  /** 8 random bytes, so one author can hold several clientIDs (one per session / device). */
  nonce: Uint8Array
  /** Ed25519 signature by the author over "tailmesh/client/v1", the group id and the nonce. */
  proof: Uint8Array
}

export const CLIENT_NONCE_BYTES = 8
const CLIENT_DOMAIN = 'tailmesh/client/v1'

function claimedBytes(groupId: string, nonce: Uint8Array): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarString(e, CLIENT_DOMAIN)
  encoding.writeVarString(e, groupId)
  encoding.writeUint8Array(e, nonce)
  return encoding.toUint8Array(e)
}

async function clientIdOf(proof: Uint8Array): Promise<number> {
  const h = await sha256(proof)
  return new DataView(h.buffer, h.byteOffset, 4).getUint32(0, false)
}

/** A fresh clientID for `identity` in `groupId`: use it as the Y.Doc's clientID for this session. */
export async function makeClientClaim(identity: Identity, groupId: string): Promise<ClientClaim> {
  const nonce = randomBytes(CLIENT_NONCE_BYTES)
  const proof = await identity.sign(claimedBytes(groupId, nonce))
  return { clientId: await clientIdOf(proof), nonce, proof }
}

// The same claim rides in every envelope of a session: remember the ones that verified. Only positive
// results are cached, so a forged claim costs the forger a verification every time, not us a slot.
const VERIFIED_CACHE_SIZE = 4096
const verified = new Map<string, true>()

/**
 * Whether `claim` is a valid claim of `author` in `groupId`, made with `signer` (a device the author
 * linked; the author's own key by default). Never throws.
 */
export async function verifyClientClaim(
  author: UserId,
  groupId: string,
  claim: ClientClaim,
  signer?: Uint8Array,
): Promise<boolean> {
  if (!isUserId(author) || typeof groupId !== 'string' || typeof claim !== 'object' || claim === null)
    return false
  const { clientId, nonce, proof } = claim
  if (!Number.isInteger(clientId) || clientId < 0 || clientId > 0xffffffff) return false
  if (!(nonce instanceof Uint8Array) || nonce.length !== CLIENT_NONCE_BYTES) return false
  if (!(proof instanceof Uint8Array) || proof.length !== ED25519_SIGNATURE_BYTES) return false
  const key = signer ?? publicKeyOf(author)
  const cacheKey = `${author} ${toBase64Url(key)} ${clientId} ${toBase64Url(nonce)} ${toBase64Url(proof)} ${groupId}`
  if (verified.has(cacheKey)) return true
  if ((await clientIdOf(proof)) !== clientId) return false
  if (!(await verify(key, proof, claimedBytes(groupId, nonce)))) return false
  verified.set(cacheKey, true)
  if (verified.size > VERIFIED_CACHE_SIZE) {
    const oldest = verified.keys().next()
    if (oldest.done !== true) verified.delete(oldest.value)
  }
  return true
}
