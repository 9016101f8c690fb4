// The open panel's messages: core's listMessages over the panel's recent history documents, plus
// each own message's delivery status. Re-read when the gate changes one of the panel's documents or
// when a delivery completes; listMessages returns cached results for unchanged documents.
import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import type { ChatMessage, GroupHandle } from '../client'

export const usePanelStore = defineStore('panel', () => {
  const panelId = shallowRef<string | null>(null)
  const messages = shallowRef<ChatMessage[]>([])
  let handle: GroupHandle | null = null
  let unsubscribe: (() => void) | null = null

  function reread(): void {
    messages.value = handle && panelId.value ? handle.messages(panelId.value) : []
  }

  function open(group: GroupHandle | null, panel: string | null): void {
    if (group === handle && panel === panelId.value) return
    unsubscribe?.()
    unsubscribe = null
    handle = group
    panelId.value = panel
    if (group && panel)
      unsubscribe = group.onChange((c) => {
        if (c.kind === 'delivery' || (c.kind === 'panel' && c.panelId === panel)) reread()
      })
    reread()
  }

  async function send(body: string): Promise<void> {
    if (!handle || !panelId.value) throw new Error('No panel is open.')
    await handle.send(panelId.value, body)
  }

  return { panelId, messages, open, send }
})
