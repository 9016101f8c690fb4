// The app's end of the "Sign in with Tailmesh" postMessage API for one web panel frame: the part
// that must exist from the frame's first byte (the token in its URL, a listener), kept tiny because
// the plugin runtime is in the app shell. What a request then goes through is in sign-in-request.ts,
// loaded on the first request.
//
// The frame is sandboxed without allow-same-origin, so a request arrives from origin "null": the
// app cannot see which site is in the frame now. It binds the assertion to the origin of the URL it
// opened, and makes sure the request comes from that very document:
// - a one-time token goes in the frame URL's fragment (`#tailmesh-frame=…`). Only the document
//   loaded from that URL sees it (a fragment is never sent to a server, and a page the frame
//   navigates to later has its own URL), so a site reached by a link inside the frame cannot ask
//   in the first site's name;
// - the request must come from this frame's window (not a frame nested in it) and transfer a
//   MessagePort, and the answer goes only on that port: if the document has gone, so has its port.
import { FRAME_PARAM, REQUEST_TYPE } from '@tailmesh/auth-verify/protocol'
import type { SignInFrame } from './sign-in-request'

function frameToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18))
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
}

/** The URL with the frame token added to its fragment (after what is there, `&`-separated). */
export function withFrameToken(url: string, token: string): string {
  const u = new URL(url)
  const hash = u.hash.replace(/^#/, '')
  u.hash = `${hash}${hash ? '&' : ''}${FRAME_PARAM}=${token}`
  return u.href
}

/**
 * The sign-in API for a frame about to show `url`: load the returned `url` (it carries the token),
 * then `attach` the frame once it exists.
 */
export function offerSignIn(
  url: string,
  groupId: string,
): { url: string; attach(frame: HTMLIFrameElement): void } {
  const signIn: SignInFrame = { origin: new URL(url).origin, groupId, token: frameToken() }
  return {
    url: withFrameToken(url, signIn.token),
    attach(frame) {
      const view = frame.ownerDocument.defaultView
      const onMessage = (event: MessageEvent): void => {
        if (!frame.isConnected) return view?.removeEventListener('message', onMessage)
        if (event.source !== frame.contentWindow || (event.data as { type?: unknown })?.type !== REQUEST_TYPE)
          return
        void import('./sign-in-request').then((m) => m.handleSignInRequest(event, signIn))
      }
      view?.addEventListener('message', onMessage)
    },
  }
}
