// One WebRTC data channel to one remote peer, on a plain RTCPeerConnection (the browser's, or one a
// Node test hands in: @roamhq/wrtc). Issue 19 asks for plain RTCPeerConnection or the maintained
// wrapper; the wrapper (@thaunknown/simple-peer) brings node-datachannel, whose install downloads a
// native binary, so this is the plain one, in the few lines the mesh needs.
//
//   signals    what the other side must hear goes out through `onSignal`, in the message shapes
//              simple-peer uses (so a peer still running it understands them): `{ type: 'offer' |
//              'answer', sdp }` and `{ type: 'candidate', candidate: RTCIceCandidateInit }`, the
//              candidates trickled as they are found; theirs come in through `signal`, applied one
//              after another, candidates kept until the description they belong to is set
//   channel    the initiator makes one ordered, reliable channel; the other side takes the first it
//              is given. Messages are binary; text is ignored
//   pressure   `send` hands a chunk to the channel while its buffer holds less than HIGH_WATER and
//              queues it otherwise, until the buffer drains below LOW_WATER
//   closing    the channel closing, the connection failing, or `destroy` end it, once

// The part of the WebRTC API used here, typed here: core type-checks without the DOM library (the
// browser, or @roamhq/wrtc in Node, provides it at run time). Event handlers take `never`, so that
// every implementation's own handler types fit; the events are read through their standard shape.
export interface IceServer {
  urls: string | string[]
  username?: string
  credential?: string
}
export interface IceCandidateInit {
  candidate?: string
  sdpMid?: string | null
  sdpMLineIndex?: number | null
}
interface SessionDescriptionInit {
  type: 'offer' | 'answer' | 'pranswer' | 'rollback'
  sdp?: string
}
interface DataChannel {
  readonly readyState: string
  readonly bufferedAmount: number
  bufferedAmountLowThreshold: number
  binaryType: string
  send(data: Uint8Array<ArrayBuffer>): void
  close(): void
  onopen: Handler
  onmessage: Handler
  onbufferedamountlow: Handler
  onclose: Handler
  onerror: Handler
}
type Handler = ((e: never) => void) | null
interface PeerConnection {
  readonly localDescription: SessionDescriptionInit | null
  readonly remoteDescription: SessionDescriptionInit | null
  readonly signalingState: string
  readonly connectionState: string
  createDataChannel(label: string, init: { ordered: boolean }): DataChannel
  createOffer(): Promise<SessionDescriptionInit>
  createAnswer(): Promise<SessionDescriptionInit>
  setLocalDescription(d: SessionDescriptionInit): Promise<void>
  setRemoteDescription(d: SessionDescriptionInit): Promise<void>
  addIceCandidate(c: IceCandidateInit): Promise<void>
  close(): void
  onicecandidate: Handler
  onconnectionstatechange: Handler
  ondatachannel: Handler
}

/** The constructors a peer needs: the page's own, or an implementation for Node. */
export interface WebrtcImplementation {
  RTCPeerConnection: new (config: { iceServers: IceServer[] }) => PeerConnection
  RTCSessionDescription?: new (init: SessionDescriptionInit) => SessionDescriptionInit
  RTCIceCandidate?: new (init: IceCandidateInit) => IceCandidateInit
}

export type PeerSignal =
  { type: 'offer' | 'answer'; sdp: string } | { type: 'candidate'; candidate: IceCandidateInit }

export interface DataPeerOptions {
  initiator: boolean
  iceServers: IceServer[]
  /** Default: the global RTCPeerConnection (a browser). */
  webrtc?: WebrtcImplementation
  onSignal(signal: PeerSignal): void
  onOpen(): void
  onData(data: Uint8Array): void
  /** Once, after the peer has ended for any reason; `error` says why when it was not `destroy`. */
  onClose(error?: unknown): void
}

const HIGH_WATER = 1024 * 1024
const LOW_WATER = 256 * 1024

export class DataPeer {
  private readonly pc: PeerConnection
  private readonly webrtc: WebrtcImplementation
  private channel: DataChannel | null = null
  private readonly queue: Uint8Array<ArrayBuffer>[] = []
  private readonly pendingCandidates: IceCandidateInit[] = []
  /** Remote signals are applied in order (each step is async). */
  private applying: Promise<void> = Promise.resolve()
  private closed = false

  constructor(private readonly options: DataPeerOptions) {
    this.webrtc = options.webrtc ?? (globalThis as unknown as WebrtcImplementation)
    if (typeof this.webrtc.RTCPeerConnection !== 'function')
      throw new Error('No RTCPeerConnection here: pass a WebRTC implementation (Node: @roamhq/wrtc).')
    this.pc = new this.webrtc.RTCPeerConnection({ iceServers: options.iceServers })
    this.pc.onicecandidate = (e: { candidate: IceCandidateInit | null }) => {
      // A null candidate (or an empty one) marks the end of gathering: nothing to tell.
      if (!this.closed && e.candidate?.candidate)
        options.onSignal({ type: 'candidate', candidate: candidateInit(e.candidate) })
    }
    this.pc.onconnectionstatechange = () => {
      if (this.pc.connectionState === 'failed') this.end(new Error('The connection failed.'))
    }
    this.pc.ondatachannel = (e: { channel: DataChannel }) => {
      if (this.channel === null) this.useChannel(e.channel)
    }
    if (options.initiator) {
      this.useChannel(this.pc.createDataChannel('tailmesh', { ordered: true }))
      this.step(async () => {
        await this.pc.setLocalDescription(await this.pc.createOffer())
        this.describe()
      })
    }
  }

  get open(): boolean {
    return !this.closed && this.channel?.readyState === 'open'
  }

  get destroyed(): boolean {
    return this.closed
  }

  /** A signal the other side emitted (its offer, answer or a candidate). */
  signal(signal: unknown): void {
    if (this.closed || typeof signal !== 'object' || signal === null) return
    const s = signal as { type?: unknown; sdp?: unknown; candidate?: unknown }
    if ((s.type === 'offer' || s.type === 'answer') && typeof s.sdp === 'string') {
      const description = { type: s.type, sdp: s.sdp } as const
      this.step(async () => {
        if (description.type === 'answer' && this.pc.signalingState !== 'have-local-offer') return
        await this.pc.setRemoteDescription(this.description(description))
        await this.addPendingCandidates()
        if (description.type === 'offer') {
          await this.pc.setLocalDescription(await this.pc.createAnswer())
          this.describe()
        }
      })
    } else if (s.type === 'candidate' && typeof s.candidate === 'object' && s.candidate !== null) {
      this.pendingCandidates.push(s.candidate as IceCandidateInit)
      this.step(() => (this.pc.remoteDescription ? this.addPendingCandidates() : Promise.resolve()))
    }
    // simple-peer's renegotiation and transceiver requests: this mesh never renegotiates.
  }

  /** Sends one message, or queues it while the channel's buffer is full. */
  send(chunk: Uint8Array<ArrayBuffer>): void {
    const ch = this.channel
    if (this.closed || ch === null || ch.readyState !== 'open') return
    if (this.queue.length > 0 || ch.bufferedAmount > HIGH_WATER) this.queue.push(chunk)
    else ch.send(chunk)
  }

  destroy(): void {
    this.end()
  }

  private useChannel(ch: DataChannel): void {
    this.channel = ch
    ch.binaryType = 'arraybuffer'
    ch.bufferedAmountLowThreshold = LOW_WATER
    ch.onopen = () => !this.closed && this.options.onOpen()
    ch.onmessage = (e: { data: unknown }) => {
      if (this.closed || typeof e.data === 'string') return
      const data = e.data as ArrayBuffer | ArrayBufferView
      this.options.onData(
        data instanceof ArrayBuffer
          ? new Uint8Array(data)
          : new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      )
    }
    ch.onbufferedamountlow = () => this.drain()
    ch.onclose = () => this.end()
    ch.onerror = (e: { error?: unknown }) => this.end(e.error ?? new Error('The data channel failed.'))
  }

  private drain(): void {
    const ch = this.channel
    while (!this.closed && ch && this.queue.length > 0 && ch.bufferedAmount <= HIGH_WATER)
      ch.send(this.queue.shift()!)
  }

  private describe(): void {
    const d = this.pc.localDescription
    if (!this.closed && d?.sdp !== undefined && (d.type === 'offer' || d.type === 'answer'))
      this.options.onSignal({ type: d.type, sdp: d.sdp })
  }

  private async addPendingCandidates(): Promise<void> {
    for (const c of this.pendingCandidates.splice(0)) await this.pc.addIceCandidate(this.candidate(c))
  }

  /** Runs one negotiation step after the previous ones; a failing step ends the peer. */
  private step(f: () => Promise<void>): void {
    this.applying = this.applying.then(async () => {
      if (this.closed) return
      try {
        await f()
      } catch (e) {
        this.end(e)
      }
    })
  }

  private description(init: SessionDescriptionInit): SessionDescriptionInit {
    const D = this.webrtc.RTCSessionDescription
    return D ? new D(init) : init
  }

  private candidate(init: IceCandidateInit): IceCandidateInit {
    const C = this.webrtc.RTCIceCandidate
    return C ? new C(init) : init
  }

  private end(error?: unknown): void {
    if (this.closed) return
    this.closed = true
    this.queue.length = 0
    const ch = this.channel
    if (ch) ch.onopen = ch.onmessage = ch.onclose = ch.onerror = ch.onbufferedamountlow = null
    this.pc.onicecandidate = this.pc.onconnectionstatechange = this.pc.ondatachannel = null
    try {
      ch?.close()
      this.pc.close()
    } catch {
      // Closing what is already closed: nothing left to free.
    }
    this.options.onClose(error)
  }
}

function candidateInit(c: IceCandidateInit): IceCandidateInit {
  return { candidate: c.candidate ?? '', sdpMid: c.sdpMid ?? null, sdpMLineIndex: c.sdpMLineIndex ?? null }
}
