// Inbox entries plugins put there (`api.inbox.push`), kept on this device in localStorage. The inbox
// shows the entries of types a plugin registered while that plugin is active.
import type { PluginApi, PluginInboxItem } from '@tailmesh/plugin-sdk'
import type { KeyValue } from './installed'

export interface StoredInboxItem extends PluginInboxItem {
  pluginId: string
}

const KEY = 'tailmesh.plugin-inbox'
const MAX_ITEMS = 200

export class PluginInbox {
  private items: StoredInboxItem[]
  private readonly listeners = new Set<() => void>()

  constructor(private readonly store: KeyValue | null) {
    try {
      const parsed: unknown = JSON.parse(store?.getItem(KEY) ?? '[]')
      this.items = Array.isArray(parsed) ? (parsed as StoredInboxItem[]) : []
    } catch {
      this.items = []
    }
  }

  list(): readonly StoredInboxItem[] {
    return this.items
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  scoped(pluginId: string): PluginApi['inbox'] {
    return {
      push: (item) => {
        const entry: StoredInboxItem = { ...item, at: item.at ?? Date.now(), pluginId }
        const rest = this.items.filter((i) => !(i.pluginId === pluginId && i.id === item.id))
        this.save([entry, ...rest].slice(0, MAX_ITEMS))
      },
      remove: (id) => this.save(this.items.filter((i) => !(i.pluginId === pluginId && i.id === id))),
    }
  }

  private save(items: StoredInboxItem[]): void {
    this.items = items
    try {
      this.store?.setItem(KEY, JSON.stringify(items))
    } catch {
      // kept for this session only
    }
    for (const fn of this.listeners) fn()
  }
}
