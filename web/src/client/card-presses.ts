// Presses on the cards I posted (mine included), as this device's gate accepts them: what a plugin
// that sent a card answers in the background (`api.onCardAction`), whether or not the card is on
// screen. The handle makes this before its group opens, so a press that arrives while the app starts —
// before the plugin host is up — waits here until a listener takes it. Only arrivals count: history
// restored from storage is never "pressed now", and an envelope accepted again after a re-judgement
// (gate.ts `recompute`) is not offered twice.
import { cardActionsOnCardsBy, type CardAction, type Envelope, type Gate, type UserId } from '@tailmesh/core'

export interface CardPress extends CardAction {
  groupId: string
}

/** Takes a press (true) or leaves it for another listener. */
export type CardPressListener = (press: CardPress) => boolean

/** Presses nobody took yet, and presses already offered, that are remembered. */
export const CARD_PRESS_LIMITS = { waiting: 200, seen: 2_000 } as const

const keyOf = (p: CardPress): string => `${p.panelId}|${p.cardId}|${p.actionId}|${p.userId}|${p.at}`

export class CardPresses {
  private readonly listeners = new Set<CardPressListener>()
  private waiting: CardPress[] = []
  private readonly seen = new Set<string>()

  constructor(
    private readonly gate: Gate,
    private readonly me: UserId,
  ) {
    gate.on('accepted', (e) => this.accepted(e))
  }

  /** Listens; presses that waited for a listener are offered to it at once. */
  on(listener: CardPressListener): () => void {
    this.listeners.add(listener)
    this.offerWaiting()
    return () => this.listeners.delete(listener)
  }

  /** Offers the waiting presses again (a listener now takes presses it did not before). */
  offerWaiting(): void {
    this.waiting = this.waiting.filter((p) => !this.offer(p))
  }

  private accepted(envelope: Envelope): void {
    for (const action of cardActionsOnCardsBy(this.gate, envelope, this.me)) {
      const press: CardPress = { groupId: this.gate.groupId, ...action }
      const key = keyOf(press)
      if (this.seen.has(key)) continue
      this.seen.add(key)
      // A Set iterates in insertion order: the oldest goes first.
      if (this.seen.size > CARD_PRESS_LIMITS.seen) this.seen.delete(this.seen.values().next().value!)
      if (this.offer(press)) continue
      this.waiting.push(press)
      if (this.waiting.length > CARD_PRESS_LIMITS.waiting) this.waiting.shift()
    }
  }

  private offer(press: CardPress): boolean {
    for (const l of this.listeners) if (l(press)) return true
    return false
  }
}
