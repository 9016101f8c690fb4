// One relay process's connections to the Redis a cluster of relays shares (--redis URL): one for
// commands and one for sharded pub/sub (a subscribed connection takes no other commands). Both
// reconnect by themselves with back-off; while the command connection is down every command fails at
// once (no offline queue), so nothing waits on a Redis that is gone and nothing is acknowledged that
// Redis did not answer. Channels are SSUBSCRIBEd only while this process has local listeners.
//
// Redis pub/sub drops what is published while a subscriber is disconnected (the reason Hocuspocus'
// Redis extension re-syncs): `onReconnect` listeners run after the subscriber connection is back, so
// the mailbox can fill the gap from the streams.
import { Redis } from 'ioredis'
import type { Logger } from './logger'

export type ChannelHandler = (message: Buffer) => void

export class RedisLink {
  readonly cmd: Redis
  private readonly sub: Redis
  private readonly channels = new Map<string, Set<ChannelHandler>>()
  private readonly reconnectListeners: (() => void)[] = []
  private subWasReady = false
  private closed = false

  private constructor(
    readonly url: string,
    private readonly log: Logger,
  ) {
    const options = {
      lazyConnect: true,
      enableOfflineQueue: false,
      // A command in flight when the connection drops fails: the client retries (appends dedupe).
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (times: number) => Math.min(50 * times, 1000),
      connectTimeout: 2000,
    }
    this.cmd = new Redis(url, { ...options, connectionName: 'tailmesh-relay' })
    this.sub = new Redis(url, {
      ...options,
      // Subscriptions are sent again by the link itself (below), also those asked while it was down.
      autoResubscribe: false,
      connectionName: 'tailmesh-relay-sub',
    })
    for (const [name, conn] of [
      ['command', this.cmd],
      ['pub/sub', this.sub],
    ] as const) {
      conn.on('error', (err: Error) => log.debug({ err: err.message, conn: name }, 'redis: connection error'))
      conn.on('close', () => {
        if (!this.closed) log.warn({ conn: name }, 'redis: connection lost, reconnecting')
      })
    }
    this.sub.on('smessageBuffer', (channel: Buffer, message: Buffer) => {
      const handlers = this.channels.get(channel.toString('utf8'))
      if (handlers === undefined) return
      for (const h of handlers) {
        try {
          h(message)
        } catch (err) {
          log.error({ err }, 'redis: channel handler failed')
        }
      }
    })
    this.sub.on('ready', () => {
      const again = this.subWasReady
      this.subWasReady = true
      const names = [...this.channels.keys()]
      if (names.length > 0) void this.ssubscribe(names).catch(() => {})
      if (again) {
        log.info('redis: reconnected')
        for (const l of this.reconnectListeners) l()
      }
    })
  }

  /** Connects both connections; rejects with a clear error if Redis does not answer. */
  static async connect(url: string, log: Logger): Promise<RedisLink> {
    const link = new RedisLink(url, log)
    try {
      await Promise.all([link.cmd.connect(), link.sub.connect()])
      await link.cmd.ping()
    } catch (err) {
      await link.close()
      throw new Error(`cannot reach Redis at ${redactUrl(url)}: ${(err as Error).message}`, { cause: err })
    }
    return link
  }

  /** Whether both connections are up (a command may still fail if Redis dies right now). */
  get reachable(): boolean {
    return this.cmd.status === 'ready' && this.sub.status === 'ready'
  }

  private async ssubscribe(names: string[]): Promise<void> {
    // One SSUBSCRIBE per channel: in a Redis Cluster channels of one call must share a slot.
    await Promise.all(names.map((n) => this.sub.ssubscribe(n)))
  }

  /** Listens to `channel`; resolves once Redis confirmed the subscription (rejects while Redis is down). */
  async listen(channel: string, handler: ChannelHandler): Promise<void> {
    let handlers = this.channels.get(channel)
    const first = handlers === undefined
    if (handlers === undefined) this.channels.set(channel, (handlers = new Set()))
    handlers.add(handler)
    if (first || this.sub.status === 'ready') await this.ssubscribe([channel])
  }

  stopListening(channel: string, handler: ChannelHandler): void {
    const handlers = this.channels.get(channel)
    if (handlers === undefined) return
    handlers.delete(handler)
    if (handlers.size > 0) return
    this.channels.delete(channel)
    if (this.sub.status === 'ready') void this.sub.sunsubscribe(channel).catch(() => {})
  }

  onReconnect(listener: () => void): void {
    this.reconnectListeners.push(listener)
  }

  async close(): Promise<void> {
    this.closed = true
    await Promise.allSettled([this.cmd.quit(), this.sub.quit()])
    this.cmd.disconnect()
    this.sub.disconnect()
  }
}

/** The URL without its password, for logs and errors. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password !== '') u.password = '***'
    return u.toString()
  } catch {
    return 'redis://(unparsable URL)'
  }
}
