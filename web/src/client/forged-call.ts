// A modified client's call, for the browser tests only (test-hooks.ts): it states itself in a room and
// sends a real, signed offer with its real DTLS fingerprint to everyone there, skipping its own
// permission checks. Honest peers' judges refuse it (banned, kicked, no callJoin), so the offer is
// never answered and this connection never receives anything: what the tests read from `forgedCall`.
import { fromBase64Url, type CallHub } from '@tailmesh/core'

let forged: RTCPeerConnection | null = null

export async function forgeOffer(hub: CallHub, panelId: string, sessions?: string[]): Promise<number> {
  const room = { panelId, callId: '' }
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true })
  const pc = new RTCPeerConnection({ iceServers: [] })
  forged = pc
  for (const track of stream.getTracks()) pc.addTransceiver(track, { direction: 'sendrecv' })
  await pc.setLocalDescription(await pc.createOffer())
  await new Promise<void>((resolve) => {
    if (pc.iceGatheringState === 'complete') resolve()
    pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve())
    setTimeout(resolve, 1_500)
  })
  const sdp = pc.localDescription!.sdp
  const line = /a=fingerprint:(\S+) (\S+)/.exec(sdp)
  const fingerprint = line ? `${line[1]!.toLowerCase()} ${line[2]!.toUpperCase()}` : ''
  const media = { audio: true, video: true, screen: false }
  await hub.sendUnchecked('here', room, { to: null, body: '', fingerprint, media })
  const targets = sessions?.map(fromBase64Url) ?? hub.participants(room).map((p) => p.sessionBytes)
  for (const to of targets) await hub.sendUnchecked('offer', room, { to, body: sdp, fingerprint, media })
  return targets.length
}

/** The forged connection: its state and what it received. */
export async function forgedCall(): Promise<{ state: string; bytesReceived: number } | null> {
  if (!forged) return null
  let bytesReceived = 0
  ;(await forged.getStats()).forEach((r: Record<string, unknown>) => {
    if (r.type === 'inbound-rtp') bytesReceived += Number(r.bytesReceived ?? 0)
  })
  return { state: forged.connectionState, bytesReceived }
}
