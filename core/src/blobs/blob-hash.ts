// A blob's address: the SHA-256 of its bytes in lowercase hex. The same bytes have the same address
// on every device, so a blob is fetched once and anyone can check what they received.
import { toHex } from '../bytes'
import { sha256 } from '../crypto/hash'

const HASH_RE = /^[0-9a-f]{64}$/

export function isBlobHash(v: unknown): v is string {
  return typeof v === 'string' && HASH_RE.test(v)
}

export async function blobHash(bytes: Uint8Array): Promise<string> {
  return toHex(await sha256(bytes))
}

export function blobHashBytes(hash: string): Uint8Array {
  const out = new Uint8Array(32)
  for (let i = 0; i < 32; i++) out[i] = parseInt(hash.slice(i * 2, i * 2 + 2), 16)
  return out
}
