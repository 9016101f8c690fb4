// For the page inside a web panel (browser only): asks the Tailmesh app around it for an assertion.
// Import it from `@tailmesh/auth-verify/client`, or copy the dozen lines of protocol it speaks
// (example/public/page.js does, without a bundler).
import {
  ASSERTION_TYPE,
  ERROR_TYPE,
  FRAME_PARAM,
  NONCE_PATTERN,
  REQUEST_TYPE,
  type SignInErrorCode,
  type SignInRequest,
  type SignInResponse,
} from './protocol'

export class SignInRefused extends Error {
  override readonly name = 'SignInRefused'
  constructor(
    readonly code: SignInErrorCode | 'not-in-tailmesh' | 'timeout',
    message: string,
  ) {
    super(message)
  }
}

/** The frame token the app put in this page's URL, or null outside a Tailmesh web panel. */
export function frameToken(hash = location.hash): string | null {
  return new URLSearchParams(hash.replace(/^#/, '')).get(FRAME_PARAM)
}

/**
 * Resolves with an assertion for this page's origin and `nonce` (issued by your server), to post to
 * your server for verifyAssertion. The member may be asked first; `timeoutMs` (default 5 minutes)
 * bounds the wait.
 */
export function requestAssertion(nonce: string, options: { timeoutMs?: number } = {}): Promise<string> {
  const frame = frameToken()
  if (window.parent === window || !frame)
    return Promise.reject(
      new SignInRefused('not-in-tailmesh', 'This page is not open in a Tailmesh web panel.'),
    )
  if (!NONCE_PATTERN.test(nonce))
    return Promise.reject(new SignInRefused('invalid', 'A nonce is 8 to 128 letters, digits, - or _.'))
  return new Promise((resolve, reject) => {
    const channel = new MessageChannel()
    const timer = setTimeout(
      () => {
        channel.port1.close()
        reject(new SignInRefused('timeout', 'Tailmesh did not answer.'))
      },
      options.timeoutMs ?? 5 * 60_000,
    )
    channel.port1.onmessage = (event: MessageEvent<SignInResponse>) => {
      clearTimeout(timer)
      channel.port1.close()
      const r = event.data
      if (r?.type === ASSERTION_TYPE && typeof r.assertion === 'string') resolve(r.assertion)
      else if (r?.type === ERROR_TYPE) reject(new SignInRefused(r.code, r.message))
      else reject(new SignInRefused('invalid', 'Tailmesh answered with something unexpected.'))
    }
    const request: SignInRequest = { type: REQUEST_TYPE, version: 1, nonce, frame }
    // The app's origin is not known to the page (and the page's is opaque to it): '*' is safe because
    // the request carries nothing secret, and the answer comes back on the private port only.
    window.parent.postMessage(request, '*', [channel.port2])
  })
}
