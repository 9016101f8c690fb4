// Lines plugins add to a member's profile (registerProfileField): each field's value for that member
// in this group, or nothing when it says null, throws (reported against the plugin) or gives no text.
import type { GroupContext, LocaleStrings } from '@tailmesh/plugin-sdk'
import type { Guard } from './message-parts'
import type { PluginRegistry } from './registry'

export interface ProfileLine {
  key: string
  pluginId: string
  label: LocaleStrings
  value: string
}

/** At most this many characters of a value are shown: a field is a line, not a page. */
export const PROFILE_VALUE_MAX = 200

export async function profileLinesFor(
  registry: PluginRegistry,
  guard: Guard,
  userId: string,
  ctx: GroupContext,
): Promise<ProfileLine[]> {
  const lines = await Promise.all(
    registry.list('profileField').map(async (r) => {
      const value = await guard<Promise<string | null> | string | null>(
        r.pluginId,
        'runtime',
        () => r.def.value(userId, ctx),
        null,
      )
      if (typeof value !== 'string' || !value.trim()) return null
      return {
        key: r.key,
        pluginId: r.pluginId,
        label: r.def.label,
        value: value.slice(0, PROFILE_VALUE_MAX),
      }
    }),
  )
  return lines.filter((l): l is ProfileLine => l !== null)
}
