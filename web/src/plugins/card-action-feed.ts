// Presses on my cards, routed to the plugin whose card it is (`api.onCardAction`): a plugin that
// sent a card from this member's account answers presses in the background, whether or not the card
// is drawn anywhere. Each group's handle keeps the presses no plugin took yet (client/card-presses.ts:
// those that arrived while the app started, or while the plugin was not yet active), and offers them
// again whenever a plugin starts listening.

import type { CardActionEvent } from '@tailmesh/plugin-sdk'
import type { GroupHandle, TailmeshClient } from '../client'
import type { CardPress } from '../client/card-presses'
import { cardOf, closeOwnCard, updateOwnCard } from '../client/cards'
import { sender } from './sender'

type Listener = (event: CardActionEvent) => void

export class CardActionFeed {
  /** pluginId → its listeners. */
  private readonly listeners = new Map<string, Set<Listener>>()
  private readonly watched = new Set<string>()
  private started = false

  constructor(private readonly client: Pick<TailmeshClient, 'list' | 'onGroupsChanged'>) {}

  /** `pluginId` listens for presses on its cards. */
  on(pluginId: string, fn: Listener): () => void {
    let set = this.listeners.get(pluginId)
    if (!set) this.listeners.set(pluginId, (set = new Set()))
    set.add(fn)
    if (!this.started) this.start()
    else for (const h of this.client.list()) h.cardPresses.offerWaiting()
    return () => set.delete(fn)
  }

  private start(): void {
    this.started = true
    // Watching goes on for good once a plugin asked: it costs nothing while I post no cards.
    this.client.onGroupsChanged(() => this.watchAll())
    this.watchAll()
  }

  private watchAll(): void {
    for (const h of this.client.list()) {
      if (this.watched.has(h.groupId)) continue
      this.watched.add(h.groupId)
      h.cardPresses.on((press) => this.route(h, press))
    }
  }

  /** Hands a press to the listeners of the card's plugin; false leaves it waiting. */
  private route(h: GroupHandle, press: CardPress): boolean {
    const card = cardOf(h, press.panelId, press.cardId)
    const fns = card ? this.listeners.get(card.pluginId) : undefined
    if (!card || !fns?.size) return false
    const { panelId, cardId } = press
    const event: CardActionEvent = {
      groupId: h.groupId,
      groupName: h.info()?.name ?? '',
      panelId,
      cardId,
      card,
      actionId: press.actionId,
      userId: press.userId,
      userName: h.nickname(press.userId),
      values: press.values,
      at: press.at,
      reply: (text, extras = {}) => sender(h, card.pluginId, panelId)(text, { ...extras, replyTo: cardId }),
      update: (patch) => updateOwnCard(h, panelId, cardId, patch),
      close: () => closeOwnCard(h, panelId, cardId),
    }
    for (const fn of fns) fn(event)
    return true
  }
}
