// Keeps the index in step with the groups on this device. Built lazily (the first time search is
// opened) and then kept: every group's text panels are read week by week, and each change a group
// reports (a message arrived, was edited, recalled or deleted; a panel came or went) re-reads the
// panel it names. A week whose message list is the same array as last time is skipped (core returns
// the same array while the week's document is unchanged), so a change costs about one week.
//
// Work runs through one queue, one panel at a time, yielding to the page between batches: a long
// history is indexed without freezing the app, and a change that arrives meanwhile is simply queued.
import type { GroupHandle, TailmeshClient } from '../client'
import { heldWeeks, type HistoryMessage } from '../client/search-source'
import type { MessageIndex } from './message-index'

type Client = Pick<TailmeshClient, 'list' | 'onGroupsChanged'>

interface WeekSeen {
  messages: readonly HistoryMessage[]
  /** Indexed message id → its version (edit time). */
  ids: Map<string, number>
}

/** Messages indexed between two yields to the page. */
const BATCH = 1500

const yieldToPage = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

export class SearchFeed {
  private readonly watched = new Map<string, () => void>()
  /** `${groupId}\n${panelId}` → what was indexed of each held week. */
  private readonly seen = new Map<string, Map<number, WeekSeen>>()
  private readonly queue = new Set<string>()
  private running: Promise<void> | null = null
  private readonly listeners = new Set<() => void>()
  private unwatchGroups: (() => void) | null = null

  constructor(
    private readonly client: Client,
    readonly index: MessageIndex,
  ) {}

  /** Starts watching every group; resolves once what the device holds now is indexed. */
  start(): Promise<void> {
    if (!this.unwatchGroups) {
      this.unwatchGroups = this.client.onGroupsChanged(() => this.watchAll())
      this.watchAll()
    }
    return this.idle()
  }

  /** Resolves when the queue is empty. */
  async idle(): Promise<void> {
    while (this.running) await this.running
  }

  /** Called after the index changed (a batch at a time). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  stop(): void {
    this.unwatchGroups?.()
    this.unwatchGroups = null
    for (const off of this.watched.values()) off()
    this.watched.clear()
  }

  private watchAll(): void {
    const present = new Set<string>()
    for (const h of this.client.list()) {
      present.add(h.groupId)
      if (this.watched.has(h.groupId)) continue
      this.watched.set(
        h.groupId,
        h.onChange((c) => {
          if (c.kind === 'panel') this.enqueue(h, c.panelId)
          else if (c.kind === 'group') this.enqueueGroup(h)
        }),
      )
      this.enqueueGroup(h)
    }
    // A group no longer on this device takes its messages with it.
    for (const [groupId, off] of this.watched)
      if (!present.has(groupId)) {
        off()
        this.watched.delete(groupId)
        this.index.removeGroup(groupId)
        for (const key of this.seen.keys()) if (key.startsWith(`${groupId}\n`)) this.seen.delete(key)
        this.changed()
      }
  }

  private enqueueGroup(h: GroupHandle): void {
    const textPanels = new Set(
      h
        .panels()
        .filter((p) => p.type === 'text')
        .map((p) => p.id),
    )
    for (const id of textPanels) this.enqueue(h, id)
    // A panel deleted from the group: its messages are no longer findable.
    for (const key of this.seen.keys()) {
      const [groupId, panelId] = key.split('\n') as [string, string]
      if (groupId === h.groupId && !textPanels.has(panelId)) this.enqueue(h, panelId)
    }
  }

  private readonly handles = new Map<string, GroupHandle>()

  private enqueue(h: GroupHandle, panelId: string): void {
    this.handles.set(h.groupId, h)
    this.queue.add(`${h.groupId}\n${panelId}`)
    this.running ??= this.drain().finally(() => (this.running = null))
  }

  private async drain(): Promise<void> {
    while (this.queue.size > 0) {
      const key = this.queue.values().next().value as string
      this.queue.delete(key)
      const [groupId, panelId] = key.split('\n') as [string, string]
      const h = this.handles.get(groupId)
      if (!h || !this.watched.has(groupId)) continue
      try {
        await this.reindex(h, panelId, key)
      } catch (e) {
        console.warn('search: could not index a panel', e)
      }
    }
    this.changed()
  }

  /** Messages looked at since the page last had the thread. */
  private sinceYield = 0

  private async pause(looked: number): Promise<void> {
    this.sinceYield += looked
    if (this.sinceYield < BATCH) return
    this.sinceYield = 0
    this.changed()
    await yieldToPage()
  }

  /** Brings one panel's entries up to date. */
  private async reindex(h: GroupHandle, panelId: string, key: string): Promise<void> {
    const isText = h.panels().some((p) => p.id === panelId && p.type === 'text')
    const weeks = isText ? heldWeeks(h, panelId) : []
    const before = this.seen.get(key) ?? new Map<number, WeekSeen>()
    const after = new Map<number, WeekSeen>()
    for (const week of weeks) {
      const old = before.get(week.bucket)
      if (old && old.messages === week.messages) {
        after.set(week.bucket, old)
        continue
      }
      const ids = new Map<string, number>()
      for (const m of week.messages) {
        if (m.state !== 'normal' || !m.body.trim()) continue
        const version = m.editedAt ?? 0
        ids.set(m.id, version)
        if (old?.ids.get(m.id) !== version)
          this.index.put({
            groupId: h.groupId,
            panelId,
            messageId: m.id,
            author: m.author,
            body: m.body,
            wallMs: m.wallMs,
          })
      }
      for (const id of old?.ids.keys() ?? []) if (!ids.has(id)) this.index.remove(h.groupId, id)
      after.set(week.bucket, { messages: week.messages, ids })
      await this.pause(week.messages.length)
    }
    for (const [bucket, old] of before)
      if (!after.has(bucket)) for (const id of old.ids.keys()) this.index.remove(h.groupId, id)
    if (after.size > 0) this.seen.set(key, after)
    else this.seen.delete(key)
  }

  private changed(): void {
    for (const l of this.listeners) l()
  }
}
