// Plugin items in the group's config (registerGroupConfigItem): stored in the group info's `config`
// under `<pluginId>.<key>`, written with core's updateConfig (groupConfig, judged by every peer's
// gate). Reading falls back to the item's default; a stored value of the wrong kind counts as unset.
import type { GroupConfigItemDefinition } from '@tailmesh/plugin-sdk'

export type ConfigValue = boolean | string | number

export const configKey = (pluginId: string, key: string): string => `${pluginId}.${key}`

export function configValue(
  config: Readonly<Record<string, unknown>> | undefined,
  pluginId: string,
  item: GroupConfigItemDefinition,
): ConfigValue {
  const v = config?.[configKey(pluginId, item.key)]
  const ok =
    (item.kind === 'boolean' && typeof v === 'boolean') ||
    (item.kind === 'text' && typeof v === 'string') ||
    (item.kind === 'number' && typeof v === 'number' && Number.isFinite(v))
  return ok ? (v as ConfigValue) : item.default
}

/** The whole new config: every other key kept as it is, this plugin's items set from `values`. */
export function withConfigValues(
  config: Readonly<Record<string, unknown>> | undefined,
  pluginId: string,
  items: readonly GroupConfigItemDefinition[],
  values: Readonly<Record<string, ConfigValue>>,
): Record<string, unknown> {
  const next: Record<string, unknown> = { ...config }
  for (const item of items) {
    if (!(item.key in values)) continue
    const raw = values[item.key]
    next[configKey(pluginId, item.key)] =
      item.kind === 'boolean' ? raw === true : item.kind === 'number' ? Number(raw) : String(raw)
  }
  return next
}
