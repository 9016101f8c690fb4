// How a plugin sends as me, from any of its contexts or in answer to a card action.

import type { SendExtras } from '@tailmesh/plugin-sdk'
import type { GroupHandle } from '../client'
import { sendCard } from '../client/cards'

/**
 * `send` for a plugin: its cards carry its own id, whatever it passes. A card with controls or
 * actions is sent with its record (who may act), so every gate judges actions on it.
 */
export function sender(handle: GroupHandle, pluginId: string, panelId: string) {
  return async (text: string, extras: SendExtras = {}): Promise<void> => {
    const c = extras.card
    if (c && (c.controls?.length || c.actions?.length)) {
      const card = { pluginId, type: c.type, data: c.data, ...(c.controls ? { controls: c.controls } : {}) }
      await sendCard(handle, panelId, text, card, {
        ...(extras.replyTo ? { replyTo: extras.replyTo } : {}),
        ...(c.actions ? { actions: c.actions } : {}),
        ...(c.who ? { who: c.who } : {}),
      })
      return
    }
    await handle.send(panelId, text, {
      replyTo: extras.replyTo,
      card: c ? { pluginId, type: c.type, data: c.data } : undefined,
    })
  }
}
