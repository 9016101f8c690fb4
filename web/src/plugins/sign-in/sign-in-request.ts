// One "Sign in with Tailmesh" request from a web panel frame (sign-in-frame.ts checked it comes
// from that frame's window): its shape, the frame's token, one at a time per frame; then the flow
// (ask, remember, sign: sign-in-flow.ts), the answer on the request's own port.
import {
  ERROR_TYPE,
  NONCE_PATTERN,
  type SignInErrorCode,
  type SignInResponse,
} from '@tailmesh/auth-verify/protocol'
import { runSignIn } from './sign-in-flow'

/** One web panel frame that may ask (sign-in-frame.ts). */
export interface SignInFrame {
  /** The origin of the URL the app opened: the only audience the frame's page can get. */
  origin: string
  groupId: string
  token: string
}

const waiting = new WeakSet<SignInFrame>()

const refusal = (code: SignInErrorCode, message: string): SignInResponse => ({
  type: ERROR_TYPE,
  code,
  message,
})

export async function handleSignInRequest(event: MessageEvent, frame: SignInFrame): Promise<void> {
  const port = event.ports[0]
  if (!port) return
  const answer = (r: SignInResponse): void => {
    port.postMessage(r)
    port.close()
  }
  const data = event.data as { version?: unknown; nonce?: unknown; frame?: unknown }
  if (data.version !== 1 || typeof data.nonce !== 'string' || !NONCE_PATTERN.test(data.nonce))
    return answer(
      refusal('invalid', 'Malformed sign-in request (version 1, a nonce of 8 to 128 [A-Za-z0-9_-]).'),
    )
  if (data.frame !== frame.token)
    return answer(
      refusal(
        'invalid',
        'Only the page this panel opened may ask (its #tailmesh-frame token is missing or wrong).',
      ),
    )
  if (waiting.has(frame)) return answer(refusal('invalid', 'A sign-in is already waiting.'))
  waiting.add(frame)
  try {
    answer(await runSignIn({ origin: frame.origin, groupId: frame.groupId, nonce: data.nonce }))
  } catch (error) {
    answer(refusal('unavailable', error instanceof Error ? error.message : String(error)))
  } finally {
    waiting.delete(frame)
  }
}
