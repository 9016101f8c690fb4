// One call room's media on this page: an RTCPeerConnection per other session (a mesh), negotiated
// only through the hub's signed, sealed statements (call-hub.ts), never plain relay signaling.
//
//   who dials      the smaller session id offers, so two peers never offer at once
//   trickle ICE    an offer or answer goes out as soon as it is made, its ICE candidates after it in
//                  `candidate` statements as the browser finds them; candidates that arrive before
//                  the description they belong to wait for it
//   one shape      every connection has one audio and one video transceiver from the start; mute,
//                  camera off and device changes are `replaceTrack`, so nothing is renegotiated
//   who is heard   a peer without `callSpeak` (or muted in the group) gets a connection that only
//                  receives from us: our answer or offer declines their media
//   certificates   this page uses one DTLS certificate for all its connections (made once, while
//                  the camera opens: `callCertificate`) and states its fingerprint in every
//                  statement; the judge checks the SDP names it, and once a connection is up its
//                  real remote certificate (DTLS transport, else getStats) must have the fingerprint
//                  the peer signed, or the connection is closed as refused
//   going away     `leave`, a peer's `leave`, its expiry in the hub, `remove`, or the connection
//                  failing close the pair; a peer still present is dialled again. Packets still
//                  arriving on a pair count as hearing that peer (`heardDirectly`): a loaded machine
//                  that sends its heartbeats late keeps its connections, while a peer whose network
//                  is gone stops sending packets too and expires as before
import { toBase64Url } from '../bytes'
import type { UserId } from '../identity/user-id'
import { errorFields, noLogger, type ComponentLogger, type Logger } from '../log/logger'
import { roomKey, type CallHub, type CallParticipant, type CallRoomRef } from './call-hub'
import type { JudgedCall } from './call-judge'
import type { CallMedia } from './call-wire'
import { normalizeFingerprint } from './sdp-fingerprint'

export interface CallMeshOptions {
  hub: CallHub
  room: CallRoomRef
  /** The local microphone and camera (either may be missing); the mesh never stops them. */
  stream: MediaStream
  media: CallMedia
  iceServers?: RTCIceServer[]
  iceTransportPolicy?: RTCIceTransportPolicy
  /** An offer unanswered, or a connection not up, after this long is tried again (ICE under way: twice). */
  connectTimeoutMs?: number
  /** How often audio levels are read (speaking indicators). */
  levelEveryMs?: number
  logger?: ComponentLogger
}

export type PeerState = 'connecting' | 'connected' | 'refused' | 'failed'

export interface RemotePeer {
  session: string
  user: UserId
  state: PeerState
  /** Their audio and video tracks (present from the start; silent or blank while they send none). */
  stream: MediaStream
  /** What they say they send, and whether a moderator muted them. */
  media: CallMedia
  mutedBy: UserId | null
  /** 0..1 from the received audio. */
  level: number
}

interface Conn {
  participant: CallParticipant
  pc: RTCPeerConnection
  offerer: boolean
  state: PeerState
  stream: MediaStream
  level: number
  timer: ReturnType<typeof setTimeout> | null
  /** Our offer or answer is with the hub: our candidates may follow it. */
  described: boolean
  /** Our candidates not sent yet (before `described`, or gathered in the same burst). */
  outgoing: RTCIceCandidateInit[]
  /** Their candidates that came before their description was applied. */
  incoming: RTCIceCandidateInit[]
  /** Bytes received on the connection's transport when last read (speaking levels' round). */
  received: number
  /** The connect timeout was extended once already (see `retry`). */
  extended: boolean
}

const SPEAKING_LEVEL = 0.02

let pageCertificate: Promise<{ certificate: RTCCertificate; fingerprint: string }> | null = null

/**
 * This page's DTLS certificate for calls and its fingerprint, made on first use and kept: making one
 * takes tens of milliseconds, so the app starts it while the camera opens rather than after.
 */
export function callCertificate(): Promise<{ certificate: RTCCertificate; fingerprint: string }> {
  if (!pageCertificate) {
    const making = makeCertificate()
    making.catch(() => {
      if (pageCertificate === making) pageCertificate = null // tried again by the next call
    })
    pageCertificate = making
  }
  return pageCertificate
}

async function makeCertificate(): Promise<{ certificate: RTCCertificate; fingerprint: string }> {
  const certificate = await RTCPeerConnection.generateCertificate({
    name: 'ECDSA',
    namedCurve: 'P-256',
  } as EcKeyGenParams)
  const fp =
    certificate.getFingerprints().find((f) => f.algorithm === 'sha-256') ?? certificate.getFingerprints()[0]
  const fingerprint = fp && normalizeFingerprint(fp.algorithm ?? '', fp.value ?? '')
  if (!fingerprint) throw new Error('The browser gave the call certificate no usable fingerprint.')
  return { certificate, fingerprint }
}

export class CallMesh {
  private readonly conns = new Map<string, Conn>()
  private readonly listeners = new Set<() => void>()
  private readonly log: Logger
  private readonly offs: (() => void)[] = []
  private levelTimer: ReturnType<typeof setInterval> | null = null
  private closed = false
  private media: CallMedia
  private stream: MediaStream
  private localLevel = 0

  private constructor(
    private readonly options: CallMeshOptions,
    private readonly certificate: RTCCertificate,
    readonly fingerprint: string,
  ) {
    this.log = (options.logger ?? noLogger).forComponent('calls:mesh')
    this.media = options.media
    this.stream = options.stream
  }

  /** Joins the room through the hub (which may refuse, or drop media past the caps) and starts dialling. */
  static async join(options: CallMeshOptions): Promise<CallMesh> {
    const { certificate, fingerprint } = await callCertificate()
    const mesh = new CallMesh(options, certificate, fingerprint)
    mesh.media = await options.hub.join(options.room, options.media, fingerprint)
    mesh.applyLocalMedia()
    mesh.offs.push(options.hub.onSignal((j) => void mesh.onSignal(j).catch((e) => mesh.fail('signal', e))))
    mesh.offs.push(options.hub.onChange(() => mesh.reconcile()))
    mesh.levelTimer = setInterval(() => void mesh.readLevels(), options.levelEveryMs ?? 250)
    mesh.reconcile()
    return mesh
  }

  get room(): CallRoomRef {
    return this.options.room
  }

  /** What I send now (after caps, rights and any moderator's mute). */
  localMedia(): CallMedia {
    return { ...this.media }
  }

  /** 0..1: my microphone's level as sent. */
  level(): number {
    return this.localLevel
  }

  speaking(level: number): boolean {
    return level > SPEAKING_LEVEL
  }

  peers(): RemotePeer[] {
    return [...this.conns.values()].map((c) => ({
      session: c.participant.session,
      user: c.participant.user,
      state: c.state,
      stream: c.stream,
      media: c.participant.media,
      mutedBy: c.participant.mutedBy,
      level: c.level,
    }))
  }

  /** Microphone, camera or screen on or off: stated to everyone, tracks swapped (no renegotiation). */
  async setMedia(media: CallMedia): Promise<CallMedia> {
    this.media = await this.options.hub.setMedia(media)
    this.applyLocalMedia()
    this.emit()
    return this.localMedia()
  }

  /** Another microphone, camera or a screen: the stream whose tracks are sent from now on. */
  async setStream(stream: MediaStream): Promise<void> {
    this.stream = stream
    this.applyLocalMedia()
  }

  /** The RTCPeerConnections, for statistics (tests, the bench). */
  connections(): { session: string; user: UserId; pc: RTCPeerConnection }[] {
    return [...this.conns.values()].map((c) => ({
      session: c.participant.session,
      user: c.participant.user,
      pc: c.pc,
    }))
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  async leave(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.offs.forEach((off) => off())
    if (this.levelTimer !== null) clearInterval(this.levelTimer)
    for (const session of [...this.conns.keys()]) this.drop(session)
    await this.options.hub.leave()
    this.emit()
  }

  get left(): boolean {
    return this.closed
  }

  // --- negotiation -------------------------------------------------------------------------------

  private mine(j: JudgedCall): boolean {
    return roomKey(j.statement) === roomKey(this.options.room)
  }

  private async onSignal(j: JudgedCall): Promise<void> {
    if (this.closed) return
    const s = j.statement
    if (s.kind === 'remove' && s.body === this.options.hub.userId && this.mine(j)) {
      await this.leave()
      return
    }
    if (s.kind === 'leave' && this.mine(j)) this.drop(j.session)
    if (s.kind === 'offer' && this.mine(j)) await this.answer(j)
    if (s.kind === 'answer' && this.mine(j)) await this.accept(j)
    if (s.kind === 'candidate' && this.mine(j)) await this.addCandidates(j)
    if (s.kind === 'mute' && s.body === this.options.hub.userId && this.mine(j)) {
      this.media = { ...this.media, audio: false }
      this.applyLocalMedia()
    }
    this.reconcile()
  }

  /** Opens pairs to newcomers (when it is ours to offer), closes pairs to those gone. */
  private reconcile(): void {
    if (this.closed) return
    if (!this.options.hub.joined()) {
      // The hub left the room (a moderator removed me, or the page left): so does the mesh.
      void this.leave()
      return
    }
    const present = new Map(this.options.hub.participants(this.options.room).map((p) => [p.session, p]))
    for (const session of [...this.conns.keys()]) if (!present.has(session)) this.drop(session)
    const me = this.mySession()
    for (const [session, p] of present) {
      const c = this.conns.get(session)
      if (c) c.participant = p
      else if (me < session) void this.offer(p).catch((e) => this.fail('offer', e))
    }
    this.emit()
  }

  private mySession(): string {
    return toBase64Url(this.options.hub.session)
  }

  private newConn(p: CallParticipant, offerer: boolean): Conn {
    const pc = new RTCPeerConnection({
      iceServers: this.options.iceServers ?? [],
      ...(this.options.iceTransportPolicy ? { iceTransportPolicy: this.options.iceTransportPolicy } : {}),
      certificates: [this.certificate],
    })
    const c: Conn = {
      participant: p,
      pc,
      offerer,
      state: 'connecting',
      stream: new MediaStream(),
      level: 0,
      timer: null,
      described: false,
      outgoing: [],
      incoming: [],
      received: 0,
      extended: false,
    }
    this.conns.set(p.session, c)
    pc.onicecandidate = (e) => {
      if (!e.candidate?.candidate) return // the end of gathering: nothing to say
      c.outgoing.push(e.candidate.toJSON())
      if (c.described && c.outgoing.length === 1) setTimeout(() => this.sendCandidates(c), 0)
    }
    pc.ontrack = (e) => {
      if (!c.stream.getTracks().includes(e.track)) c.stream.addTrack(e.track)
      this.emit()
    }
    pc.onconnectionstatechange = () => void this.stateChanged(c).catch((e) => this.fail('state', e))
    c.timer = setTimeout(() => this.retry(c), this.options.connectTimeoutMs ?? 10_000)
    return c
  }

  private direction(p: CallParticipant): RTCRtpTransceiverDirection {
    const send = this.options.hub.rights(this.options.room.panelId).speak
    const receive = p.rights.speak
    return send && receive ? 'sendrecv' : send ? 'sendonly' : receive ? 'recvonly' : 'inactive'
  }

  private async offer(p: CallParticipant): Promise<void> {
    const c = this.newConn(p, true)
    const direction = this.direction(p)
    for (const kind of ['audio', 'video'] as const) c.pc.addTransceiver(kind, { direction })
    this.applyTracks(c)
    await c.pc.setLocalDescription(await c.pc.createOffer())
    await this.describe(c, 'offer')
  }

  private async answer(j: JudgedCall): Promise<void> {
    const p = this.options.hub.participants(this.options.room).find((x) => x.session === j.session)
    // The offer placed its sender in the room (call-hub.ts); absent only if they may not be in it.
    if (!p) return
    const old = this.conns.get(j.session)
    if (old) this.drop(j.session)
    const c = this.newConn(p, false)
    await c.pc.setRemoteDescription({ type: 'offer', sdp: j.statement.body })
    const direction = this.direction(p)
    for (const t of c.pc.getTransceivers()) t.direction = direction
    this.applyTracks(c)
    await this.addIncoming(c)
    await c.pc.setLocalDescription(await c.pc.createAnswer())
    await this.describe(c, 'answer')
  }

  private async accept(j: JudgedCall): Promise<void> {
    const c = this.conns.get(j.session)
    if (!c || !c.offerer || c.pc.signalingState !== 'have-local-offer') return
    await c.pc.setRemoteDescription({ type: 'answer', sdp: j.statement.body })
    await this.addIncoming(c)
  }

  /** Hands our offer or answer to the hub, then the candidates found so far; later ones follow. */
  private async describe(c: Conn, kind: 'offer' | 'answer'): Promise<void> {
    if (this.conns.get(c.participant.session) !== c) return
    const sent = this.options.hub.signal(kind, c.participant.sessionBytes, c.pc.localDescription!.sdp)
    c.described = true
    this.sendCandidates(c)
    await sent
  }

  private sendCandidates(c: Conn): void {
    if (c.outgoing.length === 0 || this.conns.get(c.participant.session) !== c) return
    const body = JSON.stringify(c.outgoing.splice(0))
    void this.options.hub
      .signal('candidate', c.participant.sessionBytes, body)
      .catch((e) => this.fail('candidate', e))
  }

  /** Their candidates: applied once their description is, kept until then. */
  private async addCandidates(j: JudgedCall): Promise<void> {
    const c = this.conns.get(j.session)
    if (!c) return
    c.incoming.push(...parseCandidates(j.statement.body))
    if (c.pc.remoteDescription) await this.addIncoming(c)
  }

  private async addIncoming(c: Conn): Promise<void> {
    for (const candidate of c.incoming.splice(0))
      // A candidate of an attempt since replaced (another ufrag) is refused by the browser: no harm.
      await c.pc.addIceCandidate(candidate).catch((e) => this.fail('addIceCandidate', e))
  }

  private async stateChanged(c: Conn): Promise<void> {
    if (this.conns.get(c.participant.session) !== c) return
    const s = c.pc.connectionState
    if (s === 'connected' && c.state === 'connecting') {
      const real = await this.remoteCertificate(c)
      if (this.conns.get(c.participant.session) !== c || c.state !== 'connecting') return
      if (real !== c.participant.fingerprint) {
        // Someone between us answered with a certificate the member did not sign for.
        this.log.debug('remote certificate differs from the signed one', { session: c.participant.session })
        c.state = 'refused'
        c.pc.close()
      } else {
        c.state = 'connected'
        if (c.timer !== null) clearTimeout(c.timer)
        c.timer = null
      }
      this.emit()
    } else if (s === 'failed' || s === 'closed') {
      if (c.state === 'refused') return
      this.drop(c.participant.session)
      this.reconcile()
    }
  }

  /**
   * The fingerprint of the certificate the remote side presented, in the algorithm it signed for.
   * From the DTLS transport itself (`getRemoteCertificates`), else from the statistics: Chromium's
   * statistics at times never name the remote certificate of a connection that is up (seen through
   * TURN), so they alone would refuse honest peers. Asked again for up to a second before its
   * absence counts as a refusal.
   */
  private async remoteCertificate(c: Conn): Promise<string | null> {
    const algorithm = c.participant.fingerprint.split(' ')[0] ?? ''
    for (let i = 0; ; i++) {
      const real =
        (await dtlsRemoteFingerprint(c.pc, algorithm).catch(() => null)) ??
        (await remoteCertificateFingerprint(c.pc).catch(() => null))
      if (real !== null || i >= 10 || c.pc.connectionState !== 'connected') return real
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  private retry(c: Conn): void {
    if (this.closed || this.conns.get(c.participant.session) !== c || c.state !== 'connecting') return
    if (c.pc.signalingState === 'stable' && c.pc.connectionState === 'connecting' && !c.extended) {
      // Offer and answer went through and ICE or DTLS is under way (slow on a loaded machine): a new
      // attempt would start from nothing. Once more the wait; a connection that fails says so.
      c.extended = true
      c.timer = setTimeout(() => this.retry(c), this.options.connectTimeoutMs ?? 10_000)
      return
    }
    this.log.debug('call connection not up in time, trying again', { session: c.participant.session })
    this.drop(c.participant.session)
    this.reconcile()
  }

  private drop(session: string): void {
    const c = this.conns.get(session)
    if (!c) return
    this.conns.delete(session)
    if (c.timer !== null) clearTimeout(c.timer)
    c.pc.ontrack = c.pc.onconnectionstatechange = c.pc.onicecandidate = null
    c.pc.close()
    this.emit()
  }

  // --- media -------------------------------------------------------------------------------------

  /** The tracks to send now: none for media turned off (no bytes flow, unlike a disabled track). */
  private localTrack(kind: 'audio' | 'video'): MediaStreamTrack | null {
    const on = kind === 'audio' ? this.media.audio : this.media.video || this.media.screen
    if (!on) return null
    return (kind === 'audio' ? this.stream.getAudioTracks() : this.stream.getVideoTracks())[0] ?? null
  }

  private applyTracks(c: Conn): void {
    for (const t of c.pc.getTransceivers()) {
      const kind = t.receiver.track.kind as 'audio' | 'video'
      if (t.direction === 'sendrecv' || t.direction === 'sendonly')
        void t.sender.replaceTrack(this.localTrack(kind)).catch((e) => this.fail('replaceTrack', e))
    }
  }

  private applyLocalMedia(): void {
    for (const c of this.conns.values()) this.applyTracks(c)
  }

  private async readLevels(): Promise<void> {
    let changed = false
    let local = 0
    for (const c of this.conns.values()) {
      if (c.state !== 'connected') continue
      let level = 0
      let received = 0
      const stats = await c.pc.getStats().catch(() => null)
      stats?.forEach((r: { type: string; kind?: string; audioLevel?: number; bytesReceived?: number }) => {
        if (r.type === 'inbound-rtp' && r.kind === 'audio') level = r.audioLevel ?? 0
        if (r.type === 'media-source' && r.kind === 'audio') local = Math.max(local, r.audioLevel ?? 0)
        if (r.type === 'transport') received += r.bytesReceived ?? 0
      })
      if (received > c.received) {
        // Packets from them (media, RTCP or ICE keep-alives) still arrive: they are here.
        c.received = received
        this.options.hub.heardDirectly(this.options.room, c.participant.session)
      }
      if (!c.participant.media.audio || c.participant.mutedBy !== null) level = 0
      if (this.speaking(level) !== this.speaking(c.level)) changed = true
      c.level = level
    }
    if (!this.media.audio) local = 0
    if (this.speaking(local) !== this.speaking(this.localLevel)) changed = true
    this.localLevel = local
    if (changed) this.emit()
  }

  private emit(): void {
    for (const l of this.listeners) {
      try {
        l()
      } catch (e) {
        this.log.debug('a listener threw', errorFields(e))
      }
    }
  }

  private fail(what: string, e: unknown): void {
    this.log.debug(`call ${what} failed`, errorFields(e))
  }
}

/** A `candidate` statement's body: a JSON list of candidates; anything else counts as none. */
function parseCandidates(body: string): RTCIceCandidateInit[] {
  let list: unknown
  try {
    list = JSON.parse(body)
  } catch {
    return []
  }
  if (!Array.isArray(list)) return []
  const out: RTCIceCandidateInit[] = []
  for (const x of list as { candidate?: unknown; sdpMid?: unknown; sdpMLineIndex?: unknown }[]) {
    if (typeof x !== 'object' || x === null || typeof x.candidate !== 'string') continue
    out.push({
      candidate: x.candidate,
      sdpMid: typeof x.sdpMid === 'string' ? x.sdpMid : null,
      sdpMLineIndex: typeof x.sdpMLineIndex === 'number' ? x.sdpMLineIndex : null,
    })
  }
  return out
}

const DIGESTS: Record<string, string> = {
  'sha-1': 'SHA-1',
  'sha-256': 'SHA-256',
  'sha-384': 'SHA-384',
  'sha-512': 'SHA-512',
}

/** The remote certificate from the connection's DTLS transport (null where the browser has no such call). */
async function dtlsRemoteFingerprint(pc: RTCPeerConnection, algorithm: string): Promise<string | null> {
  const digest = DIGESTS[algorithm]
  if (!digest) return null
  for (const t of pc.getTransceivers()) {
    // Chromium's RTCDtlsTransport.getRemoteCertificates(): the peer's chain, DER, its own first.
    const transport = (t.sender.transport ?? t.receiver.transport) as
      (RTCDtlsTransport & { getRemoteCertificates?: () => ArrayBuffer[] }) | null
    const der = transport?.getRemoteCertificates?.()[0]
    if (!der) continue
    const hash = new Uint8Array(await crypto.subtle.digest(digest, der))
    return normalizeFingerprint(algorithm, [...hash].map((b) => b.toString(16).padStart(2, '0')).join(':'))
  }
  return null
}

/** The fingerprint of the certificate the remote side really presented on this connection. */
async function remoteCertificateFingerprint(pc: RTCPeerConnection): Promise<string | null> {
  const stats = await pc.getStats()
  const all = new Map<string, Record<string, unknown>>()
  stats.forEach((r: Record<string, unknown>) => all.set(r.id as string, r))
  for (const r of all.values()) {
    if (r.type !== 'transport' || typeof r.remoteCertificateId !== 'string') continue
    const cert = all.get(r.remoteCertificateId)
    if (typeof cert?.fingerprint === 'string' && typeof cert.fingerprintAlgorithm === 'string')
      return normalizeFingerprint(cert.fingerprintAlgorithm, cert.fingerprint)
  }
  return null
}
