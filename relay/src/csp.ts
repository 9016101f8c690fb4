// The Content-Security-Policy the relay sends with the app (and with every other static response).
// The app is the device's keys: a sanitiser slip must not become script, and no other site may frame
// it (clickjacking). The same policy, without frame-ancestors (a <meta> cannot carry it), is in
// web/index.html for hosts that serve web/dist without these headers; csp.test.ts keeps the two equal.
//
// Why each directive:
//   default-src 'self'           anything not named below: only the app's own origin.
//   script-src 'self' blob:      the build's module files, and installed plugins' modules, which the app
//                                fetches from their hosts and imports from a blob: URL it made
//                                (web/src/plugins/loader.ts): those hosts are a device's choice, which
//                                the relay cannot name. Only the app's own script can make a blob: URL.
//                                No inline script, no eval, no data:, no other host.
//   style-src 'self'             the build's CSS files only. Vue's :style bindings go through the CSSOM,
//                                which CSP does not govern; plugins' stylesheets are constructed
//                                (plugin-sdk addStyleOnce), not <style> elements.
//   img-src 'self' data: blob: https: http:
//                                attachments and backups are blob: URLs, avatars may be data: or http(s)
//                                URLs, and a markdown image loads from its own host once the reader asks
//                                for it ("Load image"): the app, not CSP, holds remote images back (CSP
//                                cannot tell a click-approved image from any other).
//   connect-src 'self' blob: https: wss: http: ws:
//                                the person's relays: the list lives on the device and changes at run time
//                                (Settings adds a relay and the app connects at once, no reload), so the
//                                server cannot name them, and a policy written by the page cannot be
//                                loosened after it applies. On an https page the browser's mixed-content
//                                rules already refuse http: and ws: (but for loopback relays). blob:
//                                reads the app's own object URLs (an attachment's bytes): it goes nowhere.
//   frame-src https: http:       web panels show a page the group chose, in a sandboxed iframe (opaque
//                                origin). Plugin frames from HTML are srcdoc: they are not fetched and
//                                inherit this policy.
//   worker-src 'self'            the service worker (sw.js, workbox-*.js) and nothing else.
//   manifest-src 'self'          the web app manifest.
//   font-src 'self'              no third-party fonts.
//   media-src 'self' blob:       attachments played in the page.
//   object-src 'none'            no plugins (<object>/<embed>).
//   base-uri 'none'              a <base> cannot redirect the app's relative URLs.
//   form-action 'none'           the app never submits a form to a URL.
//   frame-ancestors 'none'       no other site can frame the app (header only; X-Frame-Options: DENY too,
//                                for browsers without CSP level 2).
import type { ServerResponse } from 'node:http'

/** The directives shared by the header and the <meta> in web/index.html, in order. */
export const CSP_DIRECTIVES: readonly (readonly [string, string])[] = [
  ['default-src', "'self'"],
  ['script-src', "'self' blob:"],
  ['style-src', "'self'"],
  ['img-src', "'self' data: blob: https: http:"],
  ['connect-src', "'self' blob: https: wss: http: ws:"],
  ['frame-src', 'https: http:'],
  ['worker-src', "'self'"],
  ['manifest-src', "'self'"],
  ['font-src', "'self'"],
  ['media-src', "'self' blob:"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
]

/** The policy a <meta http-equiv> can carry (no frame-ancestors: browsers ignore it there). */
export const META_CSP = CSP_DIRECTIVES.map(([name, value]) => `${name} ${value}`).join('; ')

/** The policy the relay sends as a header. */
export const CSP = `${META_CSP}; frame-ancestors 'none'`

/** Sets the Content-Security-Policy and X-Frame-Options headers on a response. */
export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CSP)
  res.setHeader('X-Frame-Options', 'DENY')
}
