// X25519 key agreement through WebCrypto: how a new group key is wrapped for each remaining member
// when someone is removed. Each member publishes a public "box" key in their member record; the
// rotator wraps the new key under a secret only it and that member can compute.
import { ValidationError } from '../errors'
import { concatBytes, fromBase64Url, utf8 } from '../bytes'
import { aesGcmDecrypt, aesGcmEncrypt, importAesGcmKey } from './aead'
import { hkdf } from './hash'
import { bufferSource, subtle, type CryptoKey } from './webcrypto'

export const X25519_KEY_BYTES = 32

export interface BoxKeyPair {
  /** Raw 32-byte X25519 public key. */
  publicKey: Uint8Array
  privateKey: CryptoKey
}

// PKCS#8 wrapping of a bare X25519 private key (RFC 8410), as for Ed25519 with the X25519 OID.
const PKCS8_PREFIX = new Uint8Array([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
])

/** The X25519 pair for a 32-byte secret (derived from an identity's seed: one per user). */
export async function boxKeyPairFromSecret(secret: Uint8Array): Promise<BoxKeyPair> {
  if (secret.length !== X25519_KEY_BYTES)
    throw new ValidationError(`An X25519 private key is ${X25519_KEY_BYTES} bytes.`)
  const pkcs8 = concatBytes(PKCS8_PREFIX, secret)
  const privateKey = await subtle().importKey('pkcs8', bufferSource(pkcs8), { name: 'X25519' }, true, [
    'deriveBits',
  ])
  pkcs8.fill(0)
  const jwk = await subtle().exportKey('jwk', privateKey)
  if (typeof jwk.x !== 'string') throw new ValidationError('X25519 private key has no public part.')
  return { publicKey: fromBase64Url(jwk.x), privateKey }
}

async function sharedKey(mine: CryptoKey, theirs: Uint8Array, context: string): Promise<CryptoKey> {
  if (theirs.length !== X25519_KEY_BYTES) throw new ValidationError('Not an X25519 public key.')
  const publicKey = await subtle().importKey('raw', bufferSource(theirs), { name: 'X25519' }, false, [])
  const secret = new Uint8Array(await subtle().deriveBits({ name: 'X25519', public: publicKey }, mine, 256))
  const key = await hkdf(secret, utf8(context), 'tailmesh/box-wrap/v1', 32)
  secret.fill(0)
  try {
    return await importAesGcmKey(key)
  } finally {
    key.fill(0)
  }
}

/**
 * 32 bytes only the holders of these two box keys can compute (X25519, then HKDF with `context`): a
 * pairwise channel between two members, e.g. the owner reaching one member with what they lack.
 */
export async function boxSharedSecret(
  box: BoxKeyPair,
  theirs: Uint8Array,
  context: string,
): Promise<Uint8Array> {
  if (theirs.length !== X25519_KEY_BYTES) throw new ValidationError('Not an X25519 public key.')
  const publicKey = await subtle().importKey('raw', bufferSource(theirs), { name: 'X25519' }, false, [])
  const secret = new Uint8Array(
    await subtle().deriveBits({ name: 'X25519', public: publicKey }, box.privateKey, 256),
  )
  try {
    return await hkdf(secret, utf8(context), 'tailmesh/box-channel/v1', 32)
  } finally {
    secret.fill(0)
  }
}

/** Encrypts `secret` so that only the holder of `recipient`'s private key (and the sender) can open it. */
export async function boxSeal(
  sender: BoxKeyPair,
  recipient: Uint8Array,
  secret: Uint8Array,
  context: string,
): Promise<Uint8Array> {
  return aesGcmEncrypt(await sharedKey(sender.privateKey, recipient, context), secret)
}

/** Opens what `boxSeal` made for us; throws IntegrityError when it was not made for this key and context. */
export async function boxOpen(
  recipient: BoxKeyPair,
  sender: Uint8Array,
  sealed: Uint8Array,
  context: string,
): Promise<Uint8Array> {
  return aesGcmDecrypt(await sharedKey(recipient.privateKey, sender, context), sealed)
}
