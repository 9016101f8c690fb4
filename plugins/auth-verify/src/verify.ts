// verifyAssertion: everything a site's server (or a browser) checks, offline, before it believes a
// sign-in. The order matters only for which error is reported; every check must pass.
//
// The chain of trust: the user id IS the member's Ed25519 identity public key. Either that key
// signed the assertion, or a linked device's key did and the assertion carries the device's
// certificate, signed by the identity key. A device revoked since cannot be seen offline; the short
// lifetime bounds that window (README, "Trust").
import { fromBase64Url } from './base64url'
import type { SignInClaims } from './claims'
import { decodeAssertion } from './assertion'
import { AssertionError } from './errors'
import { assertionSigningBytes, deviceCertSigningBytes } from './wire'

export interface VerifyOptions {
  /** This site's origin (`https://example.com`): the assertion must name exactly it. */
  audience: string
  /**
   * The nonce this site issued for this sign-in, or a function that says whether a nonce is one the
   * site issued and has not used yet, consuming it (NonceBook.consume). Reusing a nonce is refused.
   */
  nonce: string | ((nonce: string) => boolean)
  /** The time to judge by, ms (default Date.now()). */
  now?: number
  /** Refuse assertions issued longer ago than this, ms (default and ceiling: their own exp). */
  maxAgeMs?: number
  /** Allowed clock difference with the member's device, ms (default 60 s). */
  clockSkewMs?: number
}

const ED25519 = { name: 'Ed25519' } as const

async function ed25519Verify(
  publicKey: Uint8Array,
  signature: Uint8Array,
  data: Uint8Array,
): Promise<boolean> {
  if (publicKey.length !== 32) return false
  try {
    // Copies typed as ArrayBuffer-backed, which WebCrypto's types ask for.
    const key = await crypto.subtle.importKey('raw', new Uint8Array(publicKey), ED25519, false, ['verify'])
    return await crypto.subtle.verify(ED25519, key, new Uint8Array(signature), new Uint8Array(data))
  } catch {
    // A key WebCrypto refuses (e.g. a small-order point) verifies nothing: the answer, not a fault.
    return false
  }
}

function keyOf(text: string, what: string): Uint8Array {
  try {
    const key = fromBase64Url(text)
    if (key.length === 32) return key
  } catch {
    // reported below
  }
  throw new AssertionError('chain', `The ${what} is not an Ed25519 public key.`)
}

/** The key that must have signed the assertion, after checking the device certificate if any. */
async function signingKey(claims: SignInClaims): Promise<Uint8Array> {
  const identity = keyOf(claims.sub, 'user id')
  const cert = claims.cert
  if (!cert) return identity
  if (cert.user !== claims.sub)
    throw new AssertionError('chain', "The device certificate is for another user than the assertion's.")
  const device = keyOf(cert.device, 'device key')
  let box: Uint8Array
  let proof: Uint8Array
  try {
    box = fromBase64Url(cert.box)
    proof = fromBase64Url(cert.proof)
  } catch {
    throw new AssertionError('chain', 'The device certificate is malformed.')
  }
  if (box.length !== 32 || proof.length !== 64)
    throw new AssertionError('chain', 'The device certificate is malformed.')
  const signed = deviceCertSigningBytes({ user: cert.user, device, box, issuedAt: cert.issuedAt })
  if (!(await ed25519Verify(identity, proof, signed)))
    throw new AssertionError('chain', "The device certificate was not signed by the user's identity key.")
  return device
}

/** Resolves with the claims, or rejects with an AssertionError saying what is wrong. */
export async function verifyAssertion(assertion: unknown, options: VerifyOptions): Promise<SignInClaims> {
  const { claims, payload, signature } = decodeAssertion(assertion)
  const key = await signingKey(claims)
  if (!(await ed25519Verify(key, signature, assertionSigningBytes(payload))))
    throw new AssertionError('signature', 'The assertion was altered or not signed by this member.')

  if (claims.aud !== options.audience)
    throw new AssertionError('audience', `The assertion is for ${claims.aud}, not ${options.audience}.`)

  const now = options.now ?? Date.now()
  const skew = options.clockSkewMs ?? 60_000
  if (claims.iat > now + skew)
    throw new AssertionError('not-yet-valid', 'The assertion was issued in the future.')
  if (now > claims.exp) throw new AssertionError('expired', 'The assertion has expired.')
  if (options.maxAgeMs !== undefined && now - claims.iat > options.maxAgeMs)
    throw new AssertionError('expired', `The assertion is older than ${options.maxAgeMs} ms.`)

  // Last, so a bad assertion never consumes the site's nonce.
  const fresh =
    typeof options.nonce === 'string' ? claims.nonce === options.nonce : options.nonce(claims.nonce) === true
  if (!fresh)
    throw new AssertionError('nonce', 'The nonce is not the one this site issued, or it was already used.')
  return claims
}
