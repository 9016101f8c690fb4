// What the bench's parent and its host processes say to each other (Node IPC), and the one clock
// they share: each process stamps times as milliseconds since the epoch with sub-millisecond
// precision, so a send in one host and an arrival in another compare directly.

/** Parent → host. */
export type ToHost =
  | { t: 'mark' } // start counting CPU, bytes and event-loop delay
  | { t: 'send'; index: number } // host 0: its first peer broadcasts message `index`
  | { t: 'report' }
  | { t: 'close' }

/** Host → parent. */
export type FromHost =
  | { t: 'ready'; linked: number } // how many of its peers have their links
  | { t: 'complete'; index: number } // every peer of this host (but the sender) has message `index`
  | { t: 'report'; report: HostReport }
  | { t: 'failed'; error: string }

export interface HostReport {
  /** Host 0 only: when each message was handed to the transport. */
  sent: [index: number, at: number][]
  /** Per peer of this host (the sender excluded): when each message arrived. */
  arrivals: [index: number, at: number][][]
  /** Per peer: open connections (libp2p: the relay included). */
  connections: number[]
  /** Per peer: bytes it wrote since `mark`. */
  bytes: number[]
  /** CPU milliseconds this process used since `mark`, and the wall time they were spread over. */
  cpuMs: number
  wallMs: number
  loopDelayP99Ms: number
}

/** Milliseconds since the epoch, sub-millisecond: the same clock in every process. */
export const now = (): number => performance.timeOrigin + performance.now()

/** The message index the warm-up uses (not counted). */
export const WARM_UP = 1_000_000
