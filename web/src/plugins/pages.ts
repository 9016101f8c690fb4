// Plugin pages in the app's places (registerPage): 'personal' and 'settings' pages open at
// #/plugins/<pluginId>/<pageId> (listed in the plugin manager), 'group-detail' pages in the group
// settings' Plugins tab.
import type { PageDefinition } from '@tailmesh/plugin-sdk'
import type { PluginRegistry, Registration } from './registry'

export type Place = PageDefinition['place']

export function pagesAt(registry: PluginRegistry, place: Place): Registration<'page'>[] {
  return registry.list('page').filter((r) => r.def.place === place)
}

export function pageOf(
  registry: PluginRegistry,
  pluginId: string,
  pageId: string,
): Registration<'page'> | undefined {
  return registry.get('page', `${pluginId}/${pageId}`)
}
