// Which plugin draws a panel: a plugin panel names it in its meta ({ pluginId, panelType }); a web
// panel from before plugins ('web', { url }) is drawn by the built-in web panel plugin.
import type { PanelTypeDefinition } from '@tailmesh/plugin-sdk'
import type { PanelView } from '../client'
import { WEB_PANEL_PLUGIN, WEB_PANEL_TYPE } from './builtin'

export interface PanelPlugin {
  pluginId: string
  panelType: string
  /** Where a member without the plugin can install it from (set when the panel was created). */
  manifestUrl?: string
  /** The plugin's name when the panel was created, to name it where the plugin is missing. */
  pluginName?: string
}

export function panelPlugin(panel: Pick<PanelView, 'type' | 'meta'>): PanelPlugin | null {
  if (panel.type === 'web') return { pluginId: WEB_PANEL_PLUGIN, panelType: WEB_PANEL_TYPE }
  if (panel.type !== 'plugin') return null
  const { pluginId, panelType, manifestUrl, pluginName } = panel.meta ?? {}
  if (typeof pluginId !== 'string' || typeof panelType !== 'string') return null
  return {
    pluginId,
    panelType,
    manifestUrl: typeof manifestUrl === 'string' ? manifestUrl : undefined,
    pluginName: typeof pluginName === 'string' ? pluginName : undefined,
  }
}

/** Meta keys the host sets on a plugin panel (the plugin's config fields may not use them). */
export const RESERVED_META = ['pluginId', 'panelType', 'manifestUrl', 'pluginName'] as const

/** The "add panel" form's value for a plugin panel type. */
export function pluginTypeKey(reg: { pluginId: string; def: { type: string } }): string {
  return `plugin:${reg.pluginId}/${reg.def.type}`
}

/**
 * A new plugin panel's meta: which plugin and type draw it, the plugin's name and (for a plugin
 * installed from a URL) its manifest URL so that members without it see who to install, and the
 * plugin's config fields (empty ones left out, numbers as numbers).
 */
export function pluginPanelMeta(
  reg: { pluginId: string; def: PanelTypeDefinition },
  values: Record<string, string | boolean>,
  entry: { manifest: { name: string }; builtin: boolean; manifestUrl?: string } | undefined,
): Record<string, string | number | boolean> {
  const meta: Record<string, string | number | boolean> = { pluginId: reg.pluginId, panelType: reg.def.type }
  if (entry) meta.pluginName = entry.manifest.name
  if (entry && !entry.builtin && entry.manifestUrl) meta.manifestUrl = entry.manifestUrl
  for (const f of reg.def.config ?? []) {
    const v = values[f.key]
    if (v === undefined || v === '') continue
    if ((RESERVED_META as readonly string[]).includes(f.key)) continue
    meta[f.key] = f.kind === 'number' ? Number(v) : f.kind === 'boolean' ? v === true : String(v)
  }
  return meta
}
