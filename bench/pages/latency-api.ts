// What the latency bench page (latency-page.ts) offers the Node side through `window.latencyBench`.
// Both stacks live in the same page: stock y-webrtc (a WebrtcProvider over a Y.Doc) and Tailmesh (a
// group, its gate and a Replica over the WebRTC transport with in-memory storage). Bytes cross the
// boundary as base64 text (page.evaluate takes and returns JSON-like values).

/** Times are "wall" milliseconds: performance.timeOrigin + performance.now(), comparable across pages. */
export interface PingSample {
  /** The ping's number (unique across runs and stacks). */
  seq: number
  /** Alice: round trip, send to the echo's arrival (her clock only). */
  rtt: number
  /** Alice: when she sent (wall). */
  sentAt: number
  /** Alice: the echo arrived (wall). */
  echoAt: number
  /**
   * How long the synchronous send call took: stock, the Y.Map set (y-webrtc encodes and writes to the
   * data channel inside it); Tailmesh, the link's broadcast (chunking and the data channel write).
   */
  sendCallMs: number
  /** Tailmesh only, Alice: her ping's sealed frame was handed to the data channel (wall). */
  broadcastAt?: number
  /** Alice: Bob's echo came out of the data channel (wall; stock: before y-webrtc decodes it). */
  echoFrameAt?: number
}

/** Bob's side of one ping, by index. */
export interface EchoSample {
  /** The ping became visible in Bob's document (wall). */
  arrivedAt: number
  /** The ping came out of Bob's data channel (wall; stock: before y-webrtc decodes it). */
  frameAt?: number
  /** Tailmesh only: Bob's echo frame was handed to the data channel (wall). */
  echoBroadcastAt?: number
}

export interface PingRun {
  /** Warm-up pings are not included. */
  samples: PingSample[]
}

export interface InviteForBob {
  groupId: string
  /** The group key's raw bytes, base64 (what an invite link carries). */
  key: string
  inviteId: string
  /** The invite secret, base64. */
  secret: string
  /** The panel both send to. */
  panel: string
}

/** Medians of operations timed one at a time inside the page (µs). */
export type MicroTimings = Record<string, number>

export interface PageInfo {
  crossOriginIsolated: boolean
  userAgent: string
  /** Smallest non-zero step seen between performance.now() readings (ms). */
  clockStepMs: number
}

export interface LatencyPageApi {
  info(): PageInfo
  // --- stock y-webrtc ---
  stockStart(signalUrl: string, room: string): void
  /** A WebRTC connection to the other page is up and synced. */
  stockReady(): boolean
  /** Bob: echo every ping from now on. */
  stockEcho(): void
  /** Alice: `warmup + count` pings one at a time, each awaiting its echo. */
  stockRun(count: number, warmup: number): Promise<PingRun>
  // --- tailmesh ---
  /** Alice: a new group, its replica on WebRTC, and an invite for Bob. */
  tmCreate(signalUrl: string): Promise<InviteForBob>
  /** Bob: his replica catches up with Alice's over WebRTC, then he joins with the invite. */
  tmJoin(signalUrl: string, invite: InviteForBob): Promise<void>
  /** Members of the group as this page's gate sees them. */
  tmMembers(): number
  tmEcho(): void
  tmRun(count: number, warmup: number): Promise<PingRun>
  /** Bob: what he saw of each ping so far, by ping index (and forget it). */
  takeEchoes(): Record<number, EchoSample>
  /** Sign, seal, open, verify and apply timed one at a time in this page. */
  micro(n: number): Promise<MicroTimings>
  /** Each stack's connection: the selected ICE candidate pair, e.g. "stock: udp fd00::2 → udp fd00::2". */
  candidatePairs(): Promise<string[]>
  close(): Promise<void>
}

declare global {
  interface Window {
    latencyBench?: LatencyPageApi
  }
}
