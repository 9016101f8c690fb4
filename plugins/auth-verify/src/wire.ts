// The byte layouts that are signed, written the way @tailmesh/core writes them (lib0's encoding:
// a varUint is 7 bits a byte, low first, high bit "more"; a varString is its UTF-8 length as a
// varUint, then the bytes). Kept here rather than imported so that a site's server needs no
// Yjs or libp2p; test/wire-compat.test.ts checks every layout against core's own.
const utf8 = new TextEncoder()

export class ByteWriter {
  private readonly parts: number[] = []

  varUint(n: number): this {
    if (!Number.isSafeInteger(n) || n < 0) throw new Error('varUint takes a safe non-negative integer')
    while (n > 127) {
      this.parts.push(0x80 | (n % 128))
      n = Math.floor(n / 128)
    }
    this.parts.push(n)
    return this
  }

  varString(s: string): this {
    const b = utf8.encode(s)
    this.varUint(b.length)
    return this.raw(b)
  }

  raw(bytes: Uint8Array): this {
    for (const b of bytes) this.parts.push(b)
    return this
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.parts)
  }
}

/** Domain label of a sign-in assertion: no other Tailmesh signature starts with it. */
export const ASSERTION_DOMAIN = 'tailmesh/sign-in/v1'
/** Core's label for a device certificate (core/src/identity/device-cert.ts). */
export const DEVICE_CERT_DOMAIN = 'tailmesh/device/v1'

/** What the member's key signs: the label, then the claims' JSON exactly as carried. */
export const assertionSigningBytes = (payloadJson: Uint8Array): Uint8Array =>
  new ByteWriter().varString(ASSERTION_DOMAIN).raw(payloadJson).bytes()

/** What the user's identity key signed to link a device (core's certBytes). */
export const deviceCertSigningBytes = (c: {
  user: string
  device: Uint8Array
  box: Uint8Array
  issuedAt: number
}): Uint8Array =>
  new ByteWriter()
    .varString(DEVICE_CERT_DOMAIN)
    .varString(c.user)
    .raw(c.device)
    .raw(c.box)
    .varUint(c.issuedAt)
    .bytes()
