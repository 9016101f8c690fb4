// The browser end-to-end harness: people in real Chromium, test pages and how to serve them.
export { chromiumPath } from './chromium'
export { CHROMIUM_FLAGS, LOOPBACK_ONLY_FLAGS } from './flags'
export { grantPermissions, WEBRTC_LOOPBACK_PERMISSIONS } from './permissions'
export { launchPerson, closeEveryone, type Person, type PersonOptions } from './person'
export { serveStatic, type StaticServer, type StaticFiles } from './static-server'
export { bundleEntry, type BundleOptions } from './bundle'
export { htmlPage, serveTestPage } from './page'
export { repoRoot } from './paths'
