// What the everyday layer (EverydayLayer.vue) shows over the app: the quick switcher, the shortcut
// list and the forward dialog. Module state, not a store: message rows and the header set it, the
// layer (loaded lazily) draws it.
import { shallowRef } from 'vue'
import type { ChatMessage, GroupHandle } from '../client'

export interface ForwardRequest {
  handle: GroupHandle
  panelId: string
  message: ChatMessage
}

export const switcherOpen = shallowRef(false)
export const shortcutsOpen = shallowRef(false)
export const forwarding = shallowRef<ForwardRequest | null>(null)
/** The last thing the layer announces politely ("Forwarded to #general."). */
export const notice = shallowRef('')
