// Which plugin inbox entries the inbox shows: those whose type is registered by a plugin that is
// active here now (a switched-off plugin's entries stay kept, not shown), newest first.
import type { StoredInboxItem } from './inbox'
import type { PluginRegistry, Registration } from './registry'

export interface ShownInboxItem {
  item: StoredInboxItem
  type: Registration<'inboxItemType'>
}

export function shownInboxItems(
  items: readonly StoredInboxItem[],
  registry: PluginRegistry,
): ShownInboxItem[] {
  const out: ShownInboxItem[] = []
  for (const item of items) {
    const reg = registry.get('inboxItemType', `${item.pluginId}/${item.type}`)
    if (reg) out.push({ item, type: reg })
  }
  return out.sort((a, b) => b.item.at - a.item.at)
}
