// /signal across relay processes: a publish goes to this process's subscribers directly and, through
// Redis sharded pub/sub (SPUBLISH on tm:sig:<topic>), to the processes that have subscribers of the
// topic (they SSUBSCRIBE only while they do). Nothing is stored: signaling is as lossy as y-webrtc's
// own server, and y-webrtc announces again on its own. Each message carries the sending process's id
// so that it does not deliver its own publishes twice.
import { randomBytes } from 'node:crypto'
import type { Logger } from './logger'
import type { RedisLink } from './redis-link'
import type { SignalFanOut } from './signal-server'

const channelOf = (topic: string): string => `tm:sig:${topic}`

export class RedisSignalBus implements SignalFanOut {
  deliver: (topic: string, message: Buffer) => void = () => {}
  private readonly self = randomBytes(8).toString('hex')
  private readonly prefix = Buffer.from(`${this.self} `, 'latin1')
  private readonly handlers = new Map<string, (message: Buffer) => void>()

  constructor(
    private readonly link: RedisLink,
    private readonly log: Logger,
  ) {}

  join(topic: string): void {
    if (this.handlers.has(topic)) return
    const handler = (message: Buffer): void => {
      const space = message.indexOf(0x20)
      if (space < 0 || message.subarray(0, space).equals(this.prefix.subarray(0, -1))) return
      this.deliver(topic, message.subarray(space + 1))
    }
    this.handlers.set(topic, handler)
    // While Redis is down the link subscribes again once it is back.
    this.link.listen(channelOf(topic), handler).catch(() => {})
  }

  leave(topic: string): void {
    const handler = this.handlers.get(topic)
    if (handler === undefined) return
    this.handlers.delete(topic)
    this.link.stopListening(channelOf(topic), handler)
  }

  publish(topic: string, message: Buffer): void {
    this.link.cmd
      .spublish(channelOf(topic), Buffer.concat([this.prefix, message]))
      .catch((err: Error) => this.log.debug({ err: err.message }, 'signal: redis publish failed'))
  }
}
