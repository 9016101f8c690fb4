// A plugin panel's live presence (PanelPresence): what this member shows others in the panel — a
// whiteboard's cursor — rides on the group's signed presence statements under the key
// `<pluginId>/<panelId>`, so a plugin can neither read nor speak under another plugin's or panel's key.
// The group's Presence exists only once the group is attached: until then `set` is kept and stated
// when it appears, and `others` is empty.
import type { Dispose, PanelPresence } from '@tailmesh/plugin-sdk'
import type { GroupHandle } from '../client'

const MAX_DATA = 512

export const panelPresenceKey = (pluginId: string, panelId: string): string => `${pluginId}/${panelId}`

export function panelPresence(handle: GroupHandle, pluginId: string, panelId: string): PanelPresence {
  const key = panelPresenceKey(pluginId, panelId)
  let shown: string | null = null
  return {
    set(data) {
      const json = data === null || data === undefined ? null : JSON.stringify(data)
      if (json !== null && json.length > MAX_DATA)
        throw new Error(`A panel's presence is at most ${MAX_DATA} characters of JSON.`)
      shown = json
      handle.presence()?.plugin(key, json)
    },
    others() {
      const out = new Map<string, unknown>()
      for (const [userId, json] of handle.presence()?.pluginPeers(key) ?? []) {
        try {
          out.set(userId, JSON.parse(json))
        } catch {
          // Another client's garbage is not this plugin's problem: that member shows nothing.
        }
      }
      return out
    },
    onChange(listener): Dispose {
      let offPresence: () => void = () => {}
      const bind = () => {
        offPresence()
        const presence = handle.presence()
        offPresence = presence?.onPluginChange(listener) ?? (() => {})
        // A presence that appeared late states what was set before it existed.
        if (presence && shown !== null) presence.plugin(key, shown)
        listener()
      }
      const offHandle = handle.onChange((c) => c.kind === 'connection' && bind())
      bind()
      return () => {
        offHandle()
        offPresence()
      }
    },
  }
}

/** Stops showing anything under a panel's key (the panel closed). */
export function clearPanelPresence(handle: GroupHandle, pluginId: string, panelId: string): void {
  handle.presence()?.plugin(panelPresenceKey(pluginId, panelId), null)
}
