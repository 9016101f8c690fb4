// The postMessage protocol between a page in a web panel and the Tailmesh app around it
// (README, "The postMessage API"). Plain data only, so both sides can check it by hand.

export const REQUEST_TYPE = 'tailmesh.sign-in.request'
export const ASSERTION_TYPE = 'tailmesh.sign-in.assertion'
export const ERROR_TYPE = 'tailmesh.sign-in.error'
/** The fragment parameter carrying the frame's one-time token (the app adds it to the panel's URL). */
export const FRAME_PARAM = 'tailmesh-frame'
/** A nonce: 8 to 128 characters of letters, digits, `-` and `_`. */
export const NONCE_PATTERN = /^[A-Za-z0-9_-]{8,128}$/

/** Page → app, posted to `window.parent` with a MessagePort transferred for the answer. */
export interface SignInRequest {
  type: typeof REQUEST_TYPE
  version: 1
  nonce: string
  /** The token from this page's URL fragment (`#tailmesh-frame=…`). */
  frame: string
}

export type SignInErrorCode =
  /** The member said no (or closed the prompt). */
  | 'denied'
  /** The request was malformed, or did not come from the page the panel opened. */
  | 'invalid'
  /** The app cannot sign now (no identity, not a member of the group). */
  | 'unavailable'

/** App → page, on the transferred port: exactly one of these. */
export type SignInResponse =
  | { type: typeof ASSERTION_TYPE; assertion: string }
  | { type: typeof ERROR_TYPE; code: SignInErrorCode; message: string }
