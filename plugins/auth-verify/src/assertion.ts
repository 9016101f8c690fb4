// The assertion's wire form and the signing side. An assertion is one ASCII string a page can post
// to its server: `tma1.<payload>.<signature>`, both base64url, the payload the claims' UTF-8 JSON.
// The signature covers a domain label and the payload bytes exactly as carried, so the verifier
// never re-serialises JSON.
import { fromBase64Url, toBase64Url } from './base64url'
import { checkClaims, type SignInClaims } from './claims'
import { AssertionError } from './errors'
import { assertionSigningBytes } from './wire'

export const ASSERTION_PREFIX = 'tma1'
/** Longer strings are refused before any parsing (the claims are small; an avatar is at most 2 KB). */
export const MAX_ASSERTION_CHARS = 16_384
/** How long an assertion is valid by default. */
export const DEFAULT_LIFETIME_MS = 5 * 60_000

export interface DecodedAssertion {
  claims: SignInClaims
  payload: Uint8Array
  signature: Uint8Array
}

export function decodeAssertion(assertion: unknown): DecodedAssertion {
  if (typeof assertion !== 'string' || assertion.length > MAX_ASSERTION_CHARS)
    throw new AssertionError('malformed', 'An assertion is a string of at most 16384 characters.')
  const parts = assertion.split('.')
  if (parts.length !== 3 || parts[0] !== ASSERTION_PREFIX)
    throw new AssertionError(
      'malformed',
      'Not a Tailmesh sign-in assertion (expected tma1.<payload>.<signature>).',
    )
  let payload: Uint8Array
  let signature: Uint8Array
  let json: unknown
  try {
    payload = fromBase64Url(parts[1]!)
    signature = fromBase64Url(parts[2]!)
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload))
  } catch {
    throw new AssertionError('malformed', 'The assertion is not valid base64url JSON.')
  }
  if (signature.length !== 64) throw new AssertionError('malformed', 'The signature is not 64 bytes.')
  return { claims: checkClaims(json), payload, signature }
}

/** Signs claims with `sign` (the member's device or identity key, Ed25519 over the given bytes). */
export async function encodeAssertion(
  claims: SignInClaims,
  sign: (bytes: Uint8Array) => Promise<Uint8Array>,
): Promise<string> {
  checkClaims(claims)
  const payload = new TextEncoder().encode(JSON.stringify(claims))
  const signature = await sign(assertionSigningBytes(payload))
  return `${ASSERTION_PREFIX}.${toBase64Url(payload)}.${toBase64Url(signature)}`
}
