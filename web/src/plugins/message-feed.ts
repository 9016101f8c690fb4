// New messages across my groups as plugins see them (`api.host.onMessage`): each panel's newest
// message is remembered when the feed starts watching it, and later changes report only messages
// dated after it, from others. So history arriving from the mailbox at start-up is not "new", and
// nothing is reported twice.

import type { MessageEvent } from '@tailmesh/plugin-sdk'
import type { GroupHandle, TailmeshClient } from '../client'

type Listener = (event: MessageEvent) => void

export class MessageFeed {
  private readonly listeners = new Set<Listener>()
  private readonly watched = new Map<string, () => void>()
  /** `${groupId}/${panelId}` → the newest (hlc, id) already seen. */
  private readonly seen = new Map<string, { hlc: number; id: string }>()
  private unwatchGroups: (() => void) | null = null

  constructor(private readonly client: Pick<TailmeshClient, 'list' | 'onGroupsChanged' | 'me'>) {}

  on(fn: Listener): () => void {
    this.listeners.add(fn)
    if (this.listeners.size === 1) this.start()
    return () => {
      this.listeners.delete(fn)
      if (this.listeners.size === 0) this.stop()
    }
  }

  private start(): void {
    this.unwatchGroups = this.client.onGroupsChanged(() => this.watchAll())
    this.watchAll()
  }

  private stop(): void {
    this.unwatchGroups?.()
    for (const off of this.watched.values()) off()
    this.watched.clear()
    this.seen.clear()
  }

  private watchAll(): void {
    for (const h of this.client.list()) {
      if (this.watched.has(h.groupId)) continue
      for (const p of h.panels()) if (p.type === 'text') this.baseline(h, p.id)
      this.watched.set(
        h.groupId,
        h.onChange((c) => {
          if (c.kind === 'panel') this.check(h, c.panelId)
        }),
      )
    }
  }

  private baseline(h: GroupHandle, panelId: string): void {
    const last = h.messages(panelId).at(-1)
    this.seen.set(`${h.groupId}/${panelId}`, last ? { hlc: last.hlc, id: last.id } : { hlc: 0, id: '' })
  }

  private check(h: GroupHandle, panelId: string): void {
    const key = `${h.groupId}/${panelId}`
    const since = this.seen.get(key)
    if (!since) {
      // A panel first seen now (created after the feed started): everything in it is new to me.
      this.seen.set(key, { hlc: 0, id: '' })
      return this.check(h, panelId)
    }
    const messages = h.messages(panelId)
    const fresh = messages.filter((m) => m.hlc > since.hlc || (m.hlc === since.hlc && m.id > since.id))
    const last = messages.at(-1)
    if (last && (last.hlc > since.hlc || (last.hlc === since.hlc && last.id > since.id)))
      this.seen.set(key, { hlc: last.hlc, id: last.id })
    const me = this.client.me?.userId
    const info = h.info()
    const panelName = h.panels().find((p) => p.id === panelId)?.name ?? ''
    for (const m of fresh) {
      if (m.author === me || m.state !== 'normal') continue
      const event: MessageEvent = {
        groupId: h.groupId,
        groupName: info?.name ?? '',
        panelId,
        panelName,
        messageId: m.id,
        author: m.author,
        authorName: h.nickname(m.author),
        body: m.body,
        wallMs: m.wallMs,
        mentionsMe: !!me && (m.mentions?.users ?? []).includes(me),
        direct: info?.dm === true,
      }
      for (const fn of this.listeners) fn(event)
    }
  }
}
