// Ed25519 verification for the relay. node:crypto's synchronous verify is ~3× faster than awaiting
// WebCrypto one call at a time (STACK.md), and the relay checks a signature on every append.
import { createPublicKey, verify, type KeyObject } from 'node:crypto'

// SubjectPublicKeyInfo DER for Ed25519 is this fixed 12-byte prefix followed by the raw 32-byte key.
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

// A topic's key signs every append to it, so imported keys are worth keeping (a Map as a small LRU).
const CACHE_SIZE = 4096
const cache = new Map<string, KeyObject>()

function keyObject(raw: Uint8Array): KeyObject {
  const id = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64')
  let key = cache.get(id)
  if (key !== undefined) {
    cache.delete(id)
  } else {
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' })
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string)
  }
  cache.set(id, key)
  return key
}

/** Whether `signature` is `publicKey`'s signature of `data`; never throws (bad input is `false`). */
export function verifyEd25519(publicKey: Uint8Array, signature: Uint8Array, data: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false
  try {
    return verify(null, data, keyObject(publicKey), signature)
  } catch {
    return false
  }
}
