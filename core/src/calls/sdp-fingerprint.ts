// The DTLS certificate fingerprint an SDP offer or answer names (`a=fingerprint:sha-256 AB:CD:…`,
// RFC 8122). A call statement states it under the member's signature; the receiver checks that the SDP
// it will apply names the same one, and after connecting that the certificate the connection really
// uses has it (call-mesh.browser.ts), so nobody holding only the SDP can sit in the middle.

/** `<algorithm> <HEX:HEX:…>`, the algorithm lower case and the hex upper case: one spelling per value. */
export type Fingerprint = string

const LINE = /^a=fingerprint:([A-Za-z0-9-]{1,16}) ((?:[0-9A-Fa-f]{2}:){15,63}[0-9A-Fa-f]{2})\s*$/

/** The canonical spelling of an algorithm and a hex value, or null when either is not one. */
export function normalizeFingerprint(algorithm: string, value: string): Fingerprint | null {
  if (!/^[A-Za-z0-9-]{1,16}$/.test(algorithm)) return null
  if (!/^(?:[0-9A-Fa-f]{2}:){15,63}[0-9A-Fa-f]{2}$/.test(value)) return null
  return `${algorithm.toLowerCase()} ${value.toUpperCase()}`
}

/**
 * Every distinct fingerprint the SDP names (session level and each media section). A well-formed
 * WebRTC description names exactly one certificate; the caller refuses anything else.
 */
export function sdpFingerprints(sdp: string): Fingerprint[] {
  const found = new Set<Fingerprint>()
  for (const line of sdp.split(/\r?\n/)) {
    const m = LINE.exec(line)
    if (!m) continue
    const fp = normalizeFingerprint(m[1]!, m[2]!)
    if (fp !== null) found.add(fp)
  }
  return [...found]
}

/** The one fingerprint of the SDP, or null when it names none or more than one. */
export function sdpFingerprint(sdp: string): Fingerprint | null {
  const all = sdpFingerprints(sdp)
  return all.length === 1 ? all[0]! : null
}
