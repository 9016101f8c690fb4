// Types for the part of simple-peer (the peer library y-webrtc uses, loaded from its self-contained
// browser bundle exactly as y-webrtc loads it) that the WebRTC transport calls. simple-peer ships no
// types of its own.
declare module 'simple-peer/simplepeer.min.js' {
  export interface SimplePeerOptions {
    initiator?: boolean
    trickle?: boolean
    config?: { iceServers?: unknown[] }
    /** Node: an object with RTCPeerConnection, RTCSessionDescription, RTCIceCandidate (@roamhq/wrtc). */
    wrtc?: unknown
  }

  export interface SimplePeer {
    readonly connected: boolean
    readonly destroyed: boolean
    /** Feeds a signal (offer, answer, candidate) that the remote peer emitted. */
    signal(data: unknown): void
    /** Stream write: queues while the data channel's buffer is full instead of overflowing it. */
    write(chunk: Uint8Array): boolean
    destroy(err?: Error): void
    on(event: 'signal', listener: (data: unknown) => void): this
    on(event: 'connect' | 'close', listener: () => void): this
    on(event: 'data', listener: (data: Uint8Array | string) => void): this
    on(event: 'error', listener: (err: Error) => void): this
    removeAllListeners(): this
  }

  const Peer: new (opts?: SimplePeerOptions) => SimplePeer
  export default Peer
}
