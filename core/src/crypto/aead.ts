// AES-256-GCM with a fresh random 96-bit IV per message, laid out as iv ‖ ciphertext+tag. Random IVs
// are safe here: a group key encrypts far fewer than the ~2^32 messages at which IV collisions matter,
// and removing a member rotates the key anyway.
import { IntegrityError, MalformedError, ValidationError } from '../errors'
import { concatBytes, randomBytes } from '../bytes'
import { bufferSource, subtle, type CryptoKey } from './webcrypto'

export const AES_GCM_IV_BYTES = 12
export const AES_GCM_TAG_BYTES = 16
export const AES_KEY_BYTES = 32

/** Import 32 raw bytes as an AES-GCM-256 key usable for encrypt and decrypt. */
export async function importAesGcmKey(raw: Uint8Array): Promise<CryptoKey> {
  if (raw.length !== AES_KEY_BYTES)
    throw new ValidationError(`An AES-256 key is 32 bytes, got ${raw.length}.`)
  return subtle().importKey('raw', bufferSource(raw), { name: 'AES-GCM' }, false, ['encrypt', 'decrypt'])
}

function params(iv: Uint8Array, aad: Uint8Array | undefined): AesGcmParams {
  return aad === undefined
    ? { name: 'AES-GCM', iv: bufferSource(iv) }
    : { name: 'AES-GCM', iv: bufferSource(iv), additionalData: bufferSource(aad) }
}

type AesGcmParams = Parameters<typeof globalThis.crypto.subtle.encrypt>[0] & object

/** Encrypt `plaintext`; `aad` is authenticated but not encrypted. Returns iv(12) ‖ ciphertext ‖ tag(16). */
export async function aesGcmEncrypt(
  key: CryptoKey,
  plaintext: Uint8Array,
  aad?: Uint8Array,
): Promise<Uint8Array> {
  const iv = randomBytes(AES_GCM_IV_BYTES)
  const ct = await subtle().encrypt(params(iv, aad), key, bufferSource(plaintext))
  return concatBytes(iv, new Uint8Array(ct))
}

/**
 * Decrypt iv ‖ ciphertext ‖ tag. Too short to hold an IV and a tag: MalformedError. Authentication
 * fails (wrong key, wrong aad, any flipped bit): IntegrityError.
 */
export async function aesGcmDecrypt(key: CryptoKey, data: Uint8Array, aad?: Uint8Array): Promise<Uint8Array> {
  if (data.length < AES_GCM_IV_BYTES + AES_GCM_TAG_BYTES)
    throw new MalformedError(
      `Ciphertext is ${data.length} bytes, shorter than the ${AES_GCM_IV_BYTES + AES_GCM_TAG_BYTES}-byte minimum.`,
    )
  const iv = data.subarray(0, AES_GCM_IV_BYTES)
  const ct = data.subarray(AES_GCM_IV_BYTES)
  try {
    return new Uint8Array(await subtle().decrypt(params(iv, aad), key, bufferSource(ct)))
  } catch (cause) {
    throw new IntegrityError('Decryption failed: wrong key or the data was modified.', { cause })
  }
}
