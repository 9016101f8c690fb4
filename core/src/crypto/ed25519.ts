// Ed25519 signing keys through WebCrypto. Public keys travel as raw 32 bytes (they are user ids,
// invite ids and topic keys); private keys stay CryptoKeys and are only exported as the 32-byte seed,
// for the passphrase-encrypted backup.
import { ValidationError } from '../errors'
import { concatBytes, fromBase64Url, toBase64Url } from '../bytes'
import { bufferSource, subtle, type CryptoKey } from './webcrypto'

export type { CryptoKey } from './webcrypto'

export const ED25519_PUBLIC_KEY_BYTES = 32
export const ED25519_SEED_BYTES = 32
export const ED25519_SIGNATURE_BYTES = 64

export interface SigningKeyPair {
  /** Raw 32-byte Ed25519 public key. */
  publicKey: Uint8Array
  /** Extractable, so that the seed can go into a backup. */
  privateKey: CryptoKey
}

// PKCS#8 wrapping of a bare Ed25519 seed (RFC 8410): WebCrypto imports private keys only as PKCS#8 or
// JWK, and this fixed 16-byte prefix plus the seed is the whole PKCS#8 document.
const PKCS8_PREFIX = new Uint8Array([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
])

async function publicKeyFromPrivate(privateKey: CryptoKey): Promise<Uint8Array> {
  const jwk = await subtle().exportKey('jwk', privateKey)
  if (typeof jwk.x !== 'string') throw new ValidationError('Ed25519 private key has no public part.')
  return fromBase64Url(jwk.x)
}

export async function generateSigningKeyPair(): Promise<SigningKeyPair> {
  const pair = (await subtle().generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as {
    publicKey: CryptoKey
    privateKey: CryptoKey
  }
  const publicKey = new Uint8Array(await subtle().exportKey('raw', pair.publicKey))
  return { publicKey, privateKey: pair.privateKey }
}

/** Rebuild a key pair from its 32-byte seed (backup restore, HKDF-derived topic and invite keys). */
export async function signingKeyPairFromSeed(seed: Uint8Array): Promise<SigningKeyPair> {
  if (seed.length !== ED25519_SEED_BYTES)
    throw new ValidationError(`An Ed25519 seed is ${ED25519_SEED_BYTES} bytes, got ${seed.length}.`)
  const pkcs8 = concatBytes(PKCS8_PREFIX, seed)
  const privateKey = await subtle().importKey('pkcs8', bufferSource(pkcs8), { name: 'Ed25519' }, true, [
    'sign',
  ])
  pkcs8.fill(0)
  return { publicKey: await publicKeyFromPrivate(privateKey), privateKey }
}

/** The 32-byte seed of an extractable Ed25519 private key. */
export async function exportSeed(privateKey: CryptoKey): Promise<Uint8Array> {
  const pkcs8 = new Uint8Array(await subtle().exportKey('pkcs8', privateKey))
  if (pkcs8.length !== PKCS8_PREFIX.length + ED25519_SEED_BYTES)
    throw new ValidationError(`Unexpected Ed25519 PKCS#8 length ${pkcs8.length}.`)
  return pkcs8.slice(PKCS8_PREFIX.length)
}

export async function sign(privateKey: CryptoKey, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().sign({ name: 'Ed25519' }, privateKey, bufferSource(data)))
}

// Importing a raw public key costs more than verifying with it, and the same few authors sign almost
// every envelope a peer sees, so imported keys are kept in a small LRU (a Map keeps insertion order:
// re-inserting on hit makes the first key the least recently used).
const PUBLIC_KEY_CACHE_SIZE = 1024
const publicKeyCache = new Map<string, CryptoKey>()

async function importPublicKey(publicKey: Uint8Array): Promise<CryptoKey> {
  const id = toBase64Url(publicKey)
  const cached = publicKeyCache.get(id)
  if (cached !== undefined) {
    publicKeyCache.delete(id)
    publicKeyCache.set(id, cached)
    return cached
  }
  const key = await subtle().importKey('raw', bufferSource(publicKey), { name: 'Ed25519' }, false, ['verify'])
  publicKeyCache.set(id, key)
  if (publicKeyCache.size > PUBLIC_KEY_CACHE_SIZE) {
    const oldest = publicKeyCache.keys().next()
    if (oldest.done !== true) publicKeyCache.delete(oldest.value)
  }
  return key
}

/**
 * Whether `signature` is `publicKey`'s signature of `data`. Never throws: a key or signature of the
 * wrong length, a key that is not a curve point, or anything else WebCrypto refuses is simply `false`,
 * because callers judge bytes that came from the network.
 */
export async function verify(
  publicKey: Uint8Array,
  signature: Uint8Array,
  data: Uint8Array,
): Promise<boolean> {
  if (
    !(publicKey instanceof Uint8Array) ||
    !(signature instanceof Uint8Array) ||
    !(data instanceof Uint8Array)
  )
    return false
  if (publicKey.length !== ED25519_PUBLIC_KEY_BYTES || signature.length !== ED25519_SIGNATURE_BYTES)
    return false
  try {
    const key = await importPublicKey(publicKey)
    return await subtle().verify({ name: 'Ed25519' }, key, bufferSource(signature), bufferSource(data))
  } catch {
    // WebCrypto refusing the key or signature means it does not verify: the answer, not a failure.
    return false
  }
}
