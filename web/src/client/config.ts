// Where this app finds the network. One place, so a deployment (or a test) changes it here only.
import { relayEndpointsAt, savedRelays } from './relays'

/**
 * ICE servers for WebRTC (STUN / TURN), handed to every peer connection. Empty: peers connect only
 * over host candidates, i.e. on the same machine or network. Nothing here may reach a third party
 * by default (tests must never leave the machine); a deployment across NATs lists its STUN / TURN
 * servers here, e.g. `[{ urls: 'stun:stun.example.org:3478' }]`.
 */
export const ICE_SERVERS: RTCIceServer[] = []

/**
 * The relay that serves this app: ws(s)://<host>/mailbox and /signal, and its /healthz (whose
 * `libp2p.multiaddrs` are where groups in libp2p mode join the network).
 */
export function relayEndpoints(location: Pick<Location, 'protocol' | 'host'> = globalThis.location): {
  mailbox: string
  signal: string
  healthz: string
} {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:'
  return {
    mailbox: `${scheme}//${location.host}/mailbox`,
    signal: `${scheme}//${location.host}/signal`,
    healthz: `${location.protocol}//${location.host}/healthz`,
  }
}

/**
 * Every relay this device uses (relays.ts: chosen in Settings, by default the one that serves the
 * app), each with its endpoints. Read once per page: the transports are made from it at start.
 */
export function relaysInUse(): { url: string; mailbox: string; signal: string; healthz: string }[] {
  return savedRelays().map((url) => ({ url, ...relayEndpointsAt(url) }))
}
