// A plugin's small per-device key-value store: JSON in localStorage under `tailmesh.plugin.<id>.`.
import type { PluginApi } from '@tailmesh/plugin-sdk'
import type { KeyValue } from './installed'

const MAX_VALUE = 64 * 1024

export function pluginStorage(
  pluginId: string,
  store: (KeyValue & Pick<Storage, 'removeItem'>) | null,
): PluginApi['storage'] {
  const prefix = `tailmesh.plugin.${pluginId}.`
  return {
    get<T>(key: string): T | undefined {
      try {
        const raw = store?.getItem(prefix + key)
        return raw === null || raw === undefined ? undefined : (JSON.parse(raw) as T)
      } catch {
        return undefined
      }
    },
    set(key, value) {
      const raw = JSON.stringify(value)
      if (raw.length > MAX_VALUE)
        throw new Error(`plugin storage values are limited to ${MAX_VALUE} characters`)
      store?.setItem(prefix + key, raw)
    },
    remove(key) {
      store?.removeItem(prefix + key)
    },
  }
}
