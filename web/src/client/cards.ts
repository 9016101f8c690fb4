// Cards with buttons (core's group/cards.ts): whether I may press a card's button now, and why not
// (the gate's own judgement, so a disabled button says what every peer would say), which buttons I
// pressed, and pressing one.
import {
  actOnCard,
  cardActionProblem,
  cardActionsOf,
  cardRecordOf,
  closeCard,
  postCard,
  updateCard,
  withdrawCardAction,
  type CardAction,
  type CardPatch,
  type CardRecord,
  type MessageCard,
  type PostCardOptions,
} from '@tailmesh/core'
import type { GroupHandle } from './group-handle'

/** Why a button cannot be pressed, as the UI says it. */
export type CardRefusal = 'closed' | 'notListed' | 'pending' | 'noAccess' | 'forwarded'

export interface CardView {
  record: CardRecord | undefined
  closed: boolean
  /** Why I may not press `actionId` now, or null. */
  refusal(actionId: string): CardRefusal | null
  /** The buttons I pressed (my latest press of each). */
  pressed: ReadonlySet<string>
}

function refusalOf(problem: string | null): CardRefusal | null {
  if (problem === null) return null
  if (problem.startsWith('the card is closed')) return 'closed'
  if (problem.startsWith('unknown card')) return 'pending'
  if (problem.includes('the card is for')) return 'notListed'
  return 'noAccess'
}

/**
 * What the app draws a card's controls from. A forwarded copy (`forwarded`) has no record of its own:
 * its actions belong to the original, so every button says so.
 */
export function cardView(handle: GroupHandle, panelId: string, cardId: string, forwarded = false): CardView {
  const state = handle.group.gate.authority()
  const record = cardRecordOf(state, panelId, cardId)
  const me = handle.me
  const docId = handle.group.actions.docOf(panelId, cardId)
  const pressed = new Set(
    cardActionsOf(handle.group.gate, panelId, cardId, docId)
      .filter((a) => a.userId === me)
      .map((a) => a.actionId),
  )
  return {
    record,
    closed: record?.closed !== undefined,
    refusal: (actionId) =>
      forwarded ? 'forwarded' : refusalOf(cardActionProblem(state, me, panelId, cardId, actionId)),
    pressed,
  }
}

export async function pressCardButton(
  handle: GroupHandle,
  panelId: string,
  cardId: string,
  actionId: string,
  values: Record<string, string>,
): Promise<void> {
  await actOnCard(handle.group.actions, panelId, cardId, actionId, values)
}

/** Sends a message with a card that takes actions, and its record (who may act). */
export async function sendCard(
  handle: GroupHandle,
  panelId: string,
  body: string,
  card: MessageCard,
  options: PostCardOptions,
): Promise<string> {
  return (await postCard(handle.group.actions, panelId, body, card, options)).id
}

/** Every member's actions on a card, as this device holds them. */
export function cardActions(handle: GroupHandle, panelId: string, cardId: string): CardAction[] {
  return cardActionsOf(handle.group.gate, panelId, cardId, handle.group.actions.docOf(panelId, cardId))
}

/** Why I may not send `actionId` on the card now (the gate's reason), or null. */
export function cardProblem(handle: GroupHandle, panelId: string, cardId: string, actionId: string) {
  return cardActionProblem(handle.group.gate.authority(), handle.me, panelId, cardId, actionId)
}

/** The card a message carries now (undefined for a recalled or deleted one, or one not here). */
export function cardOf(handle: GroupHandle, panelId: string, cardId: string): MessageCard | undefined {
  const m = handle.group.actions.message(panelId, cardId)
  return m && m.recalled === undefined && m.deleted === undefined ? m.card : undefined
}

export const cardRecord = (handle: GroupHandle, panelId: string, cardId: string): CardRecord | undefined =>
  cardRecordOf(handle.group.gate.authority(), panelId, cardId)

export const withdrawCard = (handle: GroupHandle, panelId: string, cardId: string, actionId: string) =>
  withdrawCardAction(handle.group.actions, panelId, cardId, actionId)

export const updateOwnCard = (handle: GroupHandle, panelId: string, cardId: string, patch: CardPatch) =>
  updateCard(handle.group.actions, panelId, cardId, patch)

export const closeOwnCard = (handle: GroupHandle, panelId: string, cardId: string) =>
  closeCard(handle.group.actions, panelId, cardId)

export type { CardControl, MessageCard as CoreMessageCard } from '@tailmesh/core'
