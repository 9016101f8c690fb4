// Every refusal is an AssertionError with a code a site can branch on and a message a person can read.

export type AssertionErrorCode =
  /** Not an assertion at all: wrong shape, bad encoding, missing or mistyped claims. */
  | 'malformed'
  /** The signature does not verify with the key the chain names. */
  | 'signature'
  /** The signing key does not lead back to the user id (no, or a foreign, device certificate). */
  | 'chain'
  /** For another site: `aud` is not this site's origin. */
  | 'audience'
  /** Not the nonce this site issued for this sign-in (or one already used: a replay). */
  | 'nonce'
  /** Past its `exp`, or older than `maxAgeMs`. */
  | 'expired'
  /** Issued in the future (beyond the allowed clock skew). */
  | 'not-yet-valid'

export class AssertionError extends Error {
  override readonly name = 'AssertionError'
  constructor(
    readonly code: AssertionErrorCode,
    message: string,
  ) {
    super(message)
  }
}
