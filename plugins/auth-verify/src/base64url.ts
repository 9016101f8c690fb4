// base64url without padding (RFC 4648 §5), the only encoding an assertion uses. Written out here so
// the package needs neither Buffer (browsers) nor a dependency.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const INDEX = new Map([...ALPHABET].map((c, i) => [c, i]))

export function toBase64Url(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0)
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2
    for (let k = 0; k < chars; k++) out += ALPHABET[(n >> (18 - 6 * k)) & 63]
  }
  return out
}

/** Throws on anything that is not canonical unpadded base64url. */
export function fromBase64Url(text: string): Uint8Array {
  if (text.length % 4 === 1) throw new Error('not base64url')
  const out = new Uint8Array(Math.floor((text.length * 3) / 4))
  let o = 0
  for (let i = 0; i < text.length; i += 4) {
    let n = 0
    const chunk = text.slice(i, i + 4)
    for (let k = 0; k < 4; k++) {
      const v = k < chunk.length ? INDEX.get(chunk[k]!) : 0
      if (v === undefined) throw new Error('not base64url')
      n = (n << 6) | v
    }
    out[o++] = (n >> 16) & 255
    if (chunk.length > 2) out[o++] = (n >> 8) & 255
    if (chunk.length > 3) out[o++] = n & 255
  }
  // A non-canonical encoding (stray low bits) would let two strings stand for one signature.
  if (toBase64Url(out) !== text) throw new Error('not canonical base64url')
  return out
}
