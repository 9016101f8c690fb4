// Group commit: every write the mailbox makes goes through here, and all writes that queue up while
// one fsync'd batch is on disk go together in the next one. An append is acknowledged only from
// `onCommit`, after LevelDB reported the synced batch written, so a crash at any moment loses nothing
// that was acknowledged — and concurrent appenders share one fsync instead of paying one each.
import type { ClassicLevel } from 'classic-level'

export type WriteOp = { type: 'put'; key: Uint8Array; value: Uint8Array } | { type: 'del'; key: Uint8Array }

interface Pending {
  ops: WriteOp[]
  onCommit: () => void
  onFail: (error: unknown) => void
}

export class BatchWriter {
  private queue: Pending[] = []
  private writing: Promise<void> | null = null

  constructor(private readonly db: ClassicLevel<Uint8Array, Uint8Array>) {}

  /**
   * Queues `ops` as one atomic unit. `onCommit` (or `onFail`) runs synchronously once the batch holding
   * it is durable (or failed); units commit — and their callbacks run — in the order they were queued.
   */
  write(ops: WriteOp[], onCommit: () => void, onFail: (error: unknown) => void): void {
    this.queue.push({ ops, onCommit, onFail })
    if (this.writing === null) this.writing = this.flush()
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const units = this.queue
      this.queue = []
      const ops = units.flatMap((u) => u.ops)
      let failure: unknown = null
      try {
        await this.db.batch(ops, { sync: true })
      } catch (e) {
        failure = e ?? new Error('batch failed')
      }
      for (const u of units) {
        try {
          if (failure === null) u.onCommit()
          else u.onFail(failure)
        } catch {
          // A callback's own failure must not stop the others; callbacks log their errors themselves.
        }
      }
    }
    this.writing = null
  }

  /** Resolves once everything queued so far is on disk (or failed). */
  async drain(): Promise<void> {
    while (this.writing !== null) await this.writing
  }
}
