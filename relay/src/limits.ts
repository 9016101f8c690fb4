// Every limit the relay enforces, in one place, with the defaults a small public relay can live with.
// Each one is a flag (see config.ts) so that tests and benchmarks can raise or lower it.
import { MAILBOX_MAX_FRAME_BYTES } from '@tailmesh/core'

export interface Limits {
  /** Largest WebSocket message on either endpoint; larger ones close the socket with 1009. */
  maxFrameBytes: number
  /** Open WebSockets across both endpoints; further upgrades get HTTP 503. */
  maxConnections: number
  /** New WebSocket connections per second from one IP address (burst: 5× this). */
  connectionsPerSecondPerIp: number
  /** Frames per second on one connection (burst: 2× this); more closes it with a reason. */
  framesPerSecond: number
  /** Bytes per second on one connection (burst: 2× this). */
  bytesPerSecond: number
  /** Malformed frames one connection may send before it is closed. */
  maxBadFrames: number
  /** Topics one connection may subscribe to (per endpoint). */
  maxSubscriptions: number
  /** Stored bytes per mailbox topic (entries + snapshot); appends beyond it get 507. */
  topicQuotaBytes: number
  /** Stored bytes across all mailbox topics. */
  storeQuotaBytes: number
  /** Outgoing bytes queued for one slow client before it is dropped. */
  maxBufferedBytes: number
}

export const defaultLimits: Limits = {
  maxFrameBytes: MAILBOX_MAX_FRAME_BYTES,
  maxConnections: 20_000,
  connectionsPerSecondPerIp: 20,
  framesPerSecond: 200,
  bytesPerSecond: 4 * 1024 * 1024,
  maxBadFrames: 16,
  maxSubscriptions: 1000,
  topicQuotaBytes: 64 * 1024 * 1024,
  storeQuotaBytes: 8 * 1024 * 1024 * 1024,
  maxBufferedBytes: 8 * 1024 * 1024,
}

/** A token bucket: `rate` tokens per second, holding at most `burst`. */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    now = performance.now(),
  ) {
    this.tokens = burst
    this.last = now
  }

  /** Takes `cost` tokens if there are enough; returns whether it did. */
  take(cost = 1, now = performance.now()): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate)
    this.last = now
    if (this.tokens < cost) return false
    this.tokens -= cost
    return true
  }

  /** Whether the bucket has refilled completely (so forgetting it changes nothing). */
  full(now = performance.now()): boolean {
    return this.tokens + ((now - this.last) / 1000) * this.rate >= this.burst
  }
}

/** A connection's frame and byte budget. */
export class ConnectionBudget {
  private readonly frames: TokenBucket
  private readonly bytes: TokenBucket
  badFrames = 0

  constructor(private readonly limits: Limits) {
    this.frames = new TokenBucket(limits.framesPerSecond, limits.framesPerSecond * 2)
    this.bytes = new TokenBucket(limits.bytesPerSecond, limits.bytesPerSecond * 2)
  }

  /** Charges one frame of `size` bytes; false means the connection is over its rate. */
  charge(size: number): boolean {
    const now = performance.now()
    return this.frames.take(1, now) && this.bytes.take(size, now)
  }

  /** Counts a malformed frame; true means the connection has now sent too many. */
  strike(): boolean {
    this.badFrames++
    return this.badFrames > this.limits.maxBadFrames
  }
}

/** Per-IP connection rate, forgetting addresses whose buckets are full again. */
export class ConnectionRate {
  private readonly buckets = new Map<string, TokenBucket>()
  private readonly sweep: NodeJS.Timeout

  constructor(private readonly perSecond: number) {
    this.sweep = setInterval(() => {
      for (const [ip, b] of this.buckets) if (b.full()) this.buckets.delete(ip)
    }, 30_000)
    this.sweep.unref()
  }

  allow(ip: string): boolean {
    let b = this.buckets.get(ip)
    if (b === undefined) {
      b = new TokenBucket(this.perSecond, this.perSecond * 5)
      this.buckets.set(ip, b)
    }
    return b.take()
  }

  close(): void {
    clearInterval(this.sweep)
  }
}
