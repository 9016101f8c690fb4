// Which items of one feed were posted to one panel, kept in the bot's store so that a restart
// posts nothing twice. Keys are item hashes (feed.ts), newest last; the list is capped, but never
// below what the feed itself lists, so an item still in the feed is never forgotten.
import type { BotValues } from '@tailmesh/bot-kit'
import { sha256, toBase64Url, utf8 } from '@tailmesh/core'

const MIN_KEPT = 2000

export class SeenItems {
  private constructor(
    private readonly values: BotValues,
    private readonly key: string,
    private readonly keys: string[],
    /** False until the feed was read once for this panel. */
    public started: boolean,
  ) {}

  static async load(
    values: BotValues,
    feedUrl: string,
    groupId: string,
    panelId: string,
  ): Promise<SeenItems> {
    const feed = toBase64Url((await sha256(utf8(feedUrl))).subarray(0, 12))
    const key = `seen/${groupId}/${panelId}/${feed}`
    const stored = await values.getJson<{ keys?: unknown }>(key)
    const keys = Array.isArray(stored?.keys)
      ? stored.keys.filter((k): k is string => typeof k === 'string')
      : []
    return new SeenItems(values, key, keys, stored !== undefined)
  }

  has(itemKey: string): boolean {
    return this.keys.includes(itemKey)
  }

  /** Remembers items (durably, once this resolves); `feedLength` keeps at least that many. */
  async add(itemKeys: string[], feedLength: number): Promise<void> {
    for (const k of itemKeys) if (!this.has(k)) this.keys.push(k)
    const keep = Math.max(MIN_KEPT, feedLength * 2)
    if (this.keys.length > keep) this.keys.splice(0, this.keys.length - keep)
    this.started = true
    await this.values.setJson(this.key, { keys: this.keys })
  }
}
