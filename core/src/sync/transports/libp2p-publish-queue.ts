// A link's broadcasts on their way to gossipsub: one at a time, in the order they were handed over,
// each held until it can reach someone. A frame is never dropped silently: it waits while nobody is
// there to take it, and its promise settles only once it was published (or failed, or the link closed).
import type { Logger } from '../../log/logger'
import { errorFields } from '../../log/logger'

/** When a frame may go, and where: the link's side of the queue. */
export interface PublishRoute {
  /** Whether a frame handed over at `since` may be published now. */
  ready(since: number): boolean
  /** When (ms from now) a frame handed over at `since` may be ready, if nothing changes before. */
  readyIn(since: number): number
  /** Direct frames handed over before, which go first (the replica answers, then sends). */
  sendingFirst(): Promise<void>[]
  /** Publishes; resolves with how many peers it went to. */
  publish(data: Uint8Array): Promise<number>
}

interface Queued {
  data: Promise<Uint8Array>
  since: number
  resolve(): void
  reject(e: Error): void
}

export class PublishQueue {
  private readonly queue: Queued[] = []
  private closed = false
  private pumping = false
  private pumpAgain = false
  private readonly timers = new Set<ReturnType<typeof setTimeout>>()

  constructor(
    private readonly route: PublishRoute,
    private readonly log: Logger,
  ) {}

  /** Queues a frame (`data` may still be being signed); settles once it was published. */
  push(data: Promise<Uint8Array>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ data, since: Date.now(), resolve, reject })
      this.pump()
    })
  }

  /** Something changed (a peer, the relay): look whether the first frame can go now. */
  pump(): void {
    if (this.pumping) {
      this.pumpAgain = true
      return
    }
    this.pumping = true
    void this.pumpLoop().finally(() => {
      this.pumping = false
      if (this.pumpAgain) {
        this.pumpAgain = false
        this.pump()
      }
    })
  }

  /** Stops, and fails every frame still waiting with `error`. */
  close(error: Error): void {
    this.closed = true
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    for (const item of this.queue.splice(0)) item.reject(error)
  }

  private async pumpLoop(): Promise<void> {
    while (!this.closed && this.queue.length > 0) {
      const item = this.queue[0]!
      if (!this.route.ready(item.since)) {
        this.later(Math.max(50, this.route.readyIn(item.since)), () => this.pump())
        return
      }
      const first = this.route.sendingFirst()
      if (first.length > 0) await Promise.all(first)
      let data: Uint8Array
      try {
        data = await item.data
      } catch (e) {
        this.queue.shift()
        item.reject(e instanceof Error ? e : new Error(String(e)))
        continue
      }
      if (this.closed) return
      let recipients: number
      try {
        recipients = await this.route.publish(data)
      } catch (e) {
        this.log.debug('publish failed', errorFields(e))
        if (this.closed) return
        this.queue.shift()
        item.reject(e instanceof Error ? e : new Error(String(e)))
        continue
      }
      if (recipients === 0) {
        // The peers went away in between: wait for the next one.
        this.later(250, () => this.pump())
        return
      }
      this.queue.shift()
      item.resolve()
    }
  }

  private later(ms: number, run: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t)
      run()
    }, ms)
    this.timers.add(t)
  }
}
