// The Chromium command-line flags every simulated person runs with (see CONTRIBUTING.md, "Browser
// tests"). Keep this list and that section in step.
export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  // QUIC would let Chromium try UDP to the outside world; nothing in a test may leave this machine.
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Without this, WebRTC hides host candidates behind mDNS names that two profiles cannot resolve.
  '--disable-features=WebRtcHideLocalIpsWithMdns',
]

/** For a loopback-only network namespace (`unshare -n`): see CONTRIBUTING.md. Needs camera/microphone granted. */
export const LOOPBACK_ONLY_FLAGS: readonly string[] = ['--allow-loopback-in-peer-connection']
