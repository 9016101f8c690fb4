// Calls, from the client side: the mesh module (core's call-mesh.browser.ts) loads only when someone
// joins a call, in a chunk of its own; the ICE servers come from the relay that served the app
// (`GET /ice-servers`: its STUN / TURN list, TURN with time-limited credentials), fetched at join time.
import type { CallMesh, CallMeshOptions, RemotePeer } from '@tailmesh/core/calls/mesh'
import { ICE_SERVERS } from './config'

export type { CallMesh, RemotePeer }

/** The mesh's chunk; once loaded it starts making the page's call certificate (the joiner awaits it). */
export function loadCallMesh(): Promise<{ join(options: CallMeshOptions): Promise<CallMesh> }> {
  return import('@tailmesh/core/calls/mesh').then((m) => {
    m.callCertificate().catch(() => {}) // a failure shows when join asks for it again
    return { join: (o) => m.CallMesh.join(o) }
  })
}

/** How calls on this page reach peers; tests force TURN-only calls through the test hooks. */
export const callNetwork: { iceTransportPolicy: RTCIceTransportPolicy } = { iceTransportPolicy: 'all' }

/** The relay's STUN / TURN servers for calls, or this app's own list when the relay offers none. */
export async function callIceServers(origin = location.origin): Promise<RTCIceServer[]> {
  try {
    const res = await fetch(new URL('/ice-servers', origin), { cache: 'no-store' })
    if (!res.ok) return ICE_SERVERS
    const body = (await res.json()) as { iceServers?: unknown }
    return Array.isArray(body.iceServers) ? (body.iceServers as RTCIceServer[]) : ICE_SERVERS
  } catch {
    // An older relay, or none reachable: host candidates (and the app's own list) still work.
    return ICE_SERVERS
  }
}

let active: CallMesh | null = null

/** The call this page is in (one at a time), for the call bar and the test hooks. */
export function activeCall(): CallMesh | null {
  return active && !active.left ? active : null
}

export function setActiveCall(mesh: CallMesh | null): void {
  active = mesh
}

export interface CallPeerStats {
  user: string
  state: string
  audioBytes: number
  videoFrames: number
  videoBytes: number
  /** The candidate types of the selected pair (`relay` when through TURN), '' before one is chosen. */
  localCandidate: string
  remoteCandidate: string
}

/** Per peer: bytes of audio and frames of video received so far, and the path (tests, diagnostics). */
export async function callStats(): Promise<CallPeerStats[]> {
  const mesh = activeCall()
  if (!mesh) return []
  const states = new Map(mesh.peers().map((p) => [p.session, p.state]))
  return Promise.all(
    mesh.connections().map(async ({ session, user, pc }) => {
      let audioBytes = 0
      let videoFrames = 0
      let videoBytes = 0
      const all = new Map<string, Record<string, unknown>>()
      ;(await pc.getStats()).forEach((r: Record<string, unknown>) => {
        all.set(r.id as string, r)
        if (r.type !== 'inbound-rtp') return
        if (r.kind === 'audio') audioBytes += Number(r.bytesReceived ?? 0)
        if (r.kind === 'video') {
          videoFrames += Number(r.framesDecoded ?? 0)
          videoBytes += Number(r.bytesReceived ?? 0)
        }
      })
      const transport = [...all.values()].find((r) => r.type === 'transport')
      const pair = all.get(String(transport?.selectedCandidatePairId ?? ''))
      const type = (id: unknown) => String(all.get(String(id ?? ''))?.candidateType ?? '')
      return {
        user,
        state: states.get(session) ?? 'gone',
        audioBytes,
        videoFrames,
        videoBytes,
        localCandidate: type(pair?.localCandidateId),
        remoteCandidate: type(pair?.remoteCandidateId),
      }
    }),
  )
}
