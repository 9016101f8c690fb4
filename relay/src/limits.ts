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
  /**
   * Stored bytes per mailbox topic before its snapshot counts (entries, dedupe records, snapshot);
   * appends beyond it get 507. A compacted topic may hold this plus twice its snapshot.
   */
  topicQuotaBytes: number
  /** The most a topic's quota grows to with its snapshot (mailbox-store.ts topicQuota). */
  maxTopicQuotaBytes: number
  /** Stored bytes across all mailbox topics. */
  storeQuotaBytes: number
  /** Outgoing bytes queued for one slow client before it is dropped. */
  maxBufferedBytes: number
  /** Open WebSockets from one IP address (both endpoints); further upgrades get HTTP 429. */
  maxConnectionsPerIp: number
  /** Milliseconds a new TCP connection has to send a complete request (headers) before it is closed. */
  requestTimeoutMs: number
  /** Milliseconds between WebSocket pings; a connection that missed the previous pong is closed. */
  pingIntervalMs: number
  /** Percent of the store quota past which no new topic is registered (the rest is for existing ones). */
  newTopicFillPercent: number
  /** New topics one connection may register. */
  newTopicsPerConnection: number
  /** New topics one IP address may register per hour. */
  newTopicsPerIpHour: number
  /** Stored bytes one connection may add to topics it registered itself. */
  newTopicBytesPerConnection: number
  /** Stored bytes one IP address may add per hour to topics it registered within that hour. */
  newTopicBytesPerIpHour: number
  /** Seconds without a write after which a topic and everything in it is deleted. */
  topicTtlSeconds: number
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
  maxTopicQuotaBytes: 1024 * 1024 * 1024,
  storeQuotaBytes: 8 * 1024 * 1024 * 1024,
  maxBufferedBytes: 8 * 1024 * 1024,
  maxConnectionsPerIp: 64,
  requestTimeoutMs: 5_000,
  pingIntervalMs: 30_000,
  newTopicFillPercent: 80,
  newTopicsPerConnection: 16,
  newTopicsPerIpHour: 64,
  newTopicBytesPerConnection: 64 * 1024 * 1024,
  newTopicBytesPerIpHour: 256 * 1024 * 1024,
  topicTtlSeconds: 90 * 24 * 3600,
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

/** Open connections per IP address: a cap, not a rate. */
export class ConnectionCount {
  private readonly open = new Map<string, number>()

  constructor(private readonly max: number) {}

  /** Takes a slot for `ip` if it has one left; the caller must `release` it when the connection ends. */
  take(ip: string): boolean {
    const n = this.open.get(ip) ?? 0
    if (n >= this.max) return false
    this.open.set(ip, n + 1)
    return true
  }

  release(ip: string): void {
    const n = (this.open.get(ip) ?? 1) - 1
    if (n <= 0) this.open.delete(ip)
    else this.open.set(ip, n)
  }
}

/**
 * What one IP address registered in the current hour: new topics, and bytes stored into them. The
 * window restarts every hour (a stranger gets a bounded share per hour, never the whole store).
 */
export class NewTopicBudget {
  private readonly perIp = new Map<string, { topics: number; bytes: number; created: Set<string> }>()
  private readonly reset: NodeJS.Timeout

  constructor(private readonly limits: Limits) {
    this.reset = setInterval(() => this.perIp.clear(), 3600_000)
    this.reset.unref()
  }

  of(ip: string): { topics: number; bytes: number; created: Set<string> } {
    let b = this.perIp.get(ip)
    if (b === undefined) this.perIp.set(ip, (b = { topics: 0, bytes: 0, created: new Set() }))
    return b
  }

  close(): void {
    clearInterval(this.reset)
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
