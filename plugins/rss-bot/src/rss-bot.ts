// The RSS bot: polls a feed and posts each item it has not posted yet to one panel of a group,
// oldest first. What was posted is remembered in the bot's store before the next item goes, so a
// restart never repeats an item. On the very first read of a feed for a panel it posts only the
// `backfill` newest items and remembers the rest (a new subscription does not flood the chat).
import type { Bot } from '@tailmesh/bot-kit'
import { fetchFeed, readFeed, type FeedEntry } from './feed'
import { formatItem } from './format'
import { SeenItems } from './seen'

export interface RssBotOptions {
  feedUrl: string
  groupId: string
  /** A text panel's id or name (default: the group's first text panel). */
  panel?: string
  /** Between polls (default 5 minutes). */
  intervalMs?: number
  /** Items posted on the first read of the feed for this panel (default 3). */
  backfill?: number
  /** The longest summary, in characters (default 280). */
  summaryChars?: number
  /** Items posted per poll at most; the rest wait for the next poll (default 10). */
  maxPerPoll?: number
  /** Show the feed's title before each item (default true). */
  showSource?: boolean
  fetchTimeoutMs?: number
  maxFeedBytes?: number
  /** A poll that failed (network, HTTP status, not a feed, a refused post). Default: console.warn. */
  onError?: (error: unknown) => void
}

export interface PollResult {
  /** Message ids of what this poll posted, in order. */
  posted: string[]
  /** Items that the feed lists and were new, but are left for a later poll (maxPerPoll). */
  waiting: number
}

const VALUES_SCOPE = 'rss-bot'

export class RssBot {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<unknown> = Promise.resolve()
  private stopped = false
  private validators: { etag: string | null; lastModified: string | null } = {
    etag: null,
    lastModified: null,
  }

  constructor(
    private readonly bot: Bot,
    private readonly options: RssBotOptions,
  ) {
    new URL(options.feedUrl) // a bad URL fails here, not on the first poll
  }

  /** The panel posts go to. */
  panelId(): string {
    return this.bot.textPanel(this.options.groupId, this.options.panel)
  }

  /** Reads the feed once and posts what is new. Polls never overlap. */
  poll(): Promise<PollResult> {
    const next = this.running.then(() => this.pollNow())
    this.running = next.catch(() => undefined)
    return next
  }

  /** Polls now and then every `intervalMs` until `stop()`; failures go to `onError`. */
  start(): void {
    if (this.timer || this.stopped) return
    const tick = async () => {
      try {
        await this.poll()
      } catch (e) {
        ;(this.options.onError ?? defaultOnError)(e)
      }
      if (!this.stopped) this.timer = setTimeout(() => void tick(), this.options.intervalMs ?? 5 * 60_000)
    }
    this.timer = setTimeout(() => void tick(), 0)
  }

  /** Stops polling and waits for a poll under way (the bot itself stays up). */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    await this.running
  }

  private async pollNow(): Promise<PollResult> {
    const panelId = this.panelId()
    const fetched = await fetchFeed(this.options.feedUrl, {
      ...this.validators,
      ...(this.options.fetchTimeoutMs !== undefined ? { timeoutMs: this.options.fetchTimeoutMs } : {}),
      ...(this.options.maxFeedBytes !== undefined ? { maxBytes: this.options.maxFeedBytes } : {}),
    })
    if (!fetched.changed) return { posted: [], waiting: 0 }
    const feed = await readFeed(fetched.xml)
    const seen = await SeenItems.load(
      this.bot.values(VALUES_SCOPE),
      this.options.feedUrl,
      this.options.groupId,
      panelId,
    )
    const fresh = oldestFirst(feed.items).filter(
      (item, i, all) => !seen.has(item.key) && firstOfKey(all, item, i),
    )
    let todo = fresh
    if (!seen.started) {
      const backfill = Math.max(0, this.options.backfill ?? 3)
      const skipped = fresh.slice(0, Math.max(0, fresh.length - backfill))
      await seen.add(
        skipped.map((i) => i.key),
        feed.items.length,
      )
      todo = fresh.slice(skipped.length)
    }
    const limit = Math.max(1, this.options.maxPerPoll ?? 10)
    const posted: string[] = []
    for (const item of todo.slice(0, limit)) {
      if (this.stopped) break
      const text = formatItem(item, {
        ...(this.options.summaryChars !== undefined ? { summaryChars: this.options.summaryChars } : {}),
        source: this.options.showSource === false ? null : feed.title,
      })
      posted.push(await this.bot.send(this.options.groupId, panelId, text))
      await seen.add([item.key], feed.items.length)
    }
    // Remembered only once everything new was posted: an unchanged feed is then skipped cheaply.
    if (posted.length === todo.length)
      this.validators = { etag: fetched.etag, lastModified: fetched.lastModified }
    return { posted, waiting: todo.length - posted.length }
  }
}

/** Feeds list newest first by convention; dated items are ordered by date, the rest keep feed order. */
function oldestFirst(items: FeedEntry[]): FeedEntry[] {
  const reversed = [...items].reverse()
  if (reversed.every((i) => i.published))
    return reversed.sort((a, b) => a.published!.getTime() - b.published!.getTime())
  return reversed
}

const firstOfKey = (all: FeedEntry[], item: FeedEntry, index: number): boolean =>
  all.findIndex((x) => x.key === item.key) === index

function defaultOnError(e: unknown): void {
  console.warn(`tailmesh rss bot: poll failed: ${e instanceof Error ? e.message : String(e)}`)
}
