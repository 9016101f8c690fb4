// The open panel's messages: core's listMessages over the panel's history documents (the recent
// weeks, or back to the oldest week paged in), plus each own message's delivery status. Re-read when
// the gate changes one of the panel's documents or when a delivery completes; the handle returns the
// same array while nothing changed. Message operations go through the handle (core's GroupActions).
import { defineStore } from 'pinia'
import { panelScope, type PanelScope } from './panel-scope'
import { shallowRef } from 'vue'
import { bucketOfMessage, type ChatMessage, type GroupHandle, type HistoryWeek } from '../client'

export interface SendExtras {
  replyTo?: string
  mentions?: { users?: string[]; panels?: string[] }
}

function setupPanel() {
  const panelId = shallowRef<string | null>(null)
  const messages = shallowRef<ChatMessage[]>([])
  /** The same messages by week, oldest first: an unchanged week keeps its array across re-reads. */
  const weeks = shallowRef<HistoryWeek[]>([])
  /** The next older week this device holds, or null when the window reaches the panel's start. */
  const olderBucket = shallowRef<number | null>(null)
  const oldestBucket = shallowRef<number | null>(null)
  let fromBucket: number | undefined
  let handle: GroupHandle | null = null
  let unsubscribe: (() => void) | null = null

  function reread(): void {
    if (!handle || !panelId.value) {
      messages.value = []
      weeks.value = []
      olderBucket.value = null
      return
    }
    const view = handle.history(panelId.value, fromBucket)
    messages.value = view.messages
    weeks.value = view.weeks
    olderBucket.value = view.olderBucket
    oldestBucket.value = view.oldestBucket
  }

  function open(group: GroupHandle | null, panel: string | null): void {
    if (group === handle && panel === panelId.value) return
    unsubscribe?.()
    unsubscribe = null
    handle = group
    panelId.value = panel
    fromBucket = undefined
    if (group && panel)
      unsubscribe = group.onChange((c) => {
        if (c.kind === 'delivery' || (c.kind === 'panel' && c.panelId === panel)) reread()
      })
    reread()
  }

  /** Pages back one held week. Returns whether there was one. */
  function loadOlder(): boolean {
    if (olderBucket.value === null) return false
    fromBucket = olderBucket.value
    reread()
    return true
  }

  /** Widens the window to hold this message's week (to jump to it). */
  function ensureLoaded(messageId: string): void {
    const bucket = bucketOfMessage(messageId)
    if (bucket === null || oldestBucket.value === null || bucket >= oldestBucket.value) return
    fromBucket = bucket
    reread()
  }

  function current(): { handle: GroupHandle; panelId: string } {
    if (!handle || !panelId.value) throw new Error('No panel is open.')
    return { handle, panelId: panelId.value }
  }

  async function send(body: string, extras: SendExtras = {}): Promise<void> {
    const { handle: h, panelId: p } = current()
    await h.send(p, body, extras)
  }

  const edit = (id: string, body: string) => current().handle.edit(current().panelId, id, body)
  const recall = (id: string) => current().handle.recall(current().panelId, id)
  const remove = (id: string) => current().handle.deleteMessage(current().panelId, id)
  const react = (id: string, emoji: string) => current().handle.react(current().panelId, id, emoji)
  const unreact = (id: string, emoji: string) => current().handle.unreact(current().panelId, id, emoji)

  return {
    panelId,
    messages,
    weeks,
    olderBucket,
    open,
    loadOlder,
    ensureLoaded,
    send,
    edit,
    recall,
    remove,
    react,
    unreact,
  }
}

const useMain = defineStore('panel', setupPanel)
const usePinned = defineStore('panel-pinned', setupPanel)
/** The panel store of one view (the component that provides the scope cannot inject it itself). */
export const panelStoreOf = (scope: PanelScope) => (scope === 'pinned' ? usePinned() : useMain())
/** The panel store of the view the calling component is in (stores/panel-scope.ts). */
export const usePanelStore = () => panelStoreOf(panelScope())
