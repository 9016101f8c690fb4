// What the message list and the composer of the open panel share: the message being replied to, and
// requests between them (focus the composer; follow to the bottom after sending).
import { defineStore } from 'pinia'
import { panelScope } from './panel-scope'
import { shallowRef } from 'vue'
import type { ChatMessage } from '../client'

function setupChat() {
  const replyTo = shallowRef<ChatMessage | null>(null)
  /** Moves when the composer should take focus (reply chosen). */
  const focusComposer = shallowRef(0)
  /** Moves after each send from this device: the list follows to the bottom. */
  const sent = shallowRef(0)

  function reply(m: ChatMessage | null): void {
    replyTo.value = m
    if (m) focusComposer.value++
  }

  /** The message the composer asked to edit (↑ in an empty composer); its row starts editing it. */
  const editRequest = shallowRef<string | null>(null)

  return { replyTo, focusComposer, sent, reply, editRequest }
}

const useMain = defineStore('chat', setupChat)
const usePinned = defineStore('chat-pinned', setupChat)
/** The chat store of the view the calling component is in (stores/panel-scope.ts). */
export const useChatStore = () => (panelScope() === 'pinned' ? usePinned() : useMain())
