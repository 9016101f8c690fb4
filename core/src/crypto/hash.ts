// SHA-256 and HKDF-SHA256: the only hash and key-derivation primitives core uses, both from WebCrypto.
import { ValidationError } from '../errors'
import { bufferSource, subtle } from './webcrypto'

export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().digest('SHA-256', bufferSource(data)))
}

/** Longest HKDF-SHA256 output (RFC 5869: 255 blocks of the hash length). */
const HKDF_MAX_BYTES = 255 * 32

/**
 * HKDF-SHA256 (RFC 5869). `info` is a domain-separation label such as "tailmesh/topic/v1", so every
 * derived value in the protocol comes from a distinct label and none can stand in for another.
 */
export async function hkdf(
  ikm: Uint8Array,
  salt: Uint8Array,
  info: string,
  length: number,
): Promise<Uint8Array> {
  if (!Number.isInteger(length) || length < 1 || length > HKDF_MAX_BYTES)
    throw new ValidationError(
      `HKDF length must be an integer from 1 to ${HKDF_MAX_BYTES} bytes, got ${length}.`,
    )
  const key = await subtle().importKey('raw', bufferSource(ikm), 'HKDF', false, ['deriveBits'])
  const bits = await subtle().deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: bufferSource(salt), info: new TextEncoder().encode(info) },
    key,
    length * 8,
  )
  return new Uint8Array(bits)
}
