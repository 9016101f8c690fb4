// What crosses the network: the encoded envelope encrypted with the group key, so a relay or any
// non-member sees one version byte and ciphertext (no group id, no author, no clientIDs, no time).
//
//   version (1 byte) | iv (12) | AES-256-GCM ciphertext+tag
//
// The version byte is the GCM additional data, so it cannot be swapped without detection either.
import { MalformedError } from '../errors'
import { concatBytes } from '../bytes'
import type { GroupKey } from '../keys/group-key'

export const SEAL_VERSION = 1

export async function sealEnvelope(key: GroupKey, envelopeBytes: Uint8Array): Promise<Uint8Array> {
  const version = new Uint8Array([SEAL_VERSION])
  return concatBytes(version, await key.encrypt(envelopeBytes, version))
}

/**
 * Decrypt a sealed envelope back to envelope bytes (still to be decoded and verified). Empty, too short
 * or unknown version: MalformedError. Wrong key or modified bytes: IntegrityError.
 */
export async function openSealedEnvelope(key: GroupKey, sealed: Uint8Array): Promise<Uint8Array> {
  if (!(sealed instanceof Uint8Array) || sealed.length === 0)
    throw new MalformedError('Sealed envelope is empty.')
  const version = sealed[0]
  if (version !== SEAL_VERSION) throw new MalformedError(`Sealed envelope has unknown version ${version}.`)
  return key.decrypt(sealed.subarray(1), sealed.subarray(0, 1))
}
