// A plugin's panels across every group open on this device (`api.host.panels`, `onPanelsChange`,
// `panelState`): what a plugin needs to show its things outside a panel — a group's sidebar, a page
// of every group's events. A plugin reaches only panels whose meta names it, and their state only in
// its own documents (`x/<pluginId>/<panelId>`), which every peer's gate judges as usual.
import type { PluginPanelRef, PluginState } from '@tailmesh/plugin-sdk'
import type { TailmeshClient } from '../client'
import { panelPlugin } from './panel-plugin'

type Client = Pick<TailmeshClient, 'list' | 'group' | 'onGroupsChanged'>

export function pluginPanels(client: Client, pluginId: string): PluginPanelRef[] {
  const out: PluginPanelRef[] = []
  for (const h of client.list()) {
    if (!h.isMember()) continue
    const groupName = h.info()?.name ?? ''
    for (const p of h.panels()) {
      const which = panelPlugin(p)
      if (which?.pluginId !== pluginId || p.type !== 'plugin') continue
      out.push({
        groupId: h.groupId,
        groupName,
        panelId: p.id,
        panelName: p.name,
        panelType: which.panelType,
        meta: p.meta ?? {},
      })
    }
  }
  return out
}

export async function pluginPanelState(
  client: Client,
  pluginId: string,
  groupId: string,
  panelId: string,
): Promise<PluginState> {
  const handle = client.group(groupId)
  const panel = handle?.panels().find((p) => p.id === panelId)
  if (!handle || !panel || panelPlugin(panel)?.pluginId !== pluginId)
    throw new Error(`${pluginId} has no panel ${panelId} in group ${groupId}`)
  return handle.pluginState(pluginId, panelId)
}

/** Calls `fn` when the list of groups changes or any group's document does (panels live there). */
export function onPanelsChange(client: Client, fn: () => void): () => void {
  const watched = new Map<string, () => void>()
  const watchAll = () => {
    for (const h of client.list())
      if (!watched.has(h.groupId))
        watched.set(
          h.groupId,
          h.onChange((c) => c.kind === 'group' && fn()),
        )
  }
  const offGroups = client.onGroupsChanged(() => {
    watchAll()
    fn()
  })
  watchAll()
  return () => {
    offGroups()
    for (const off of watched.values()) off()
    watched.clear()
  }
}
