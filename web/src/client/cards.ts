// Cards with buttons (core's group/cards.ts): whether I may press a card's button now, and why not
// (the gate's own judgement, so a disabled button says what every peer would say), which buttons I
// pressed, and pressing one.
import { actOnCard, cardActionProblem, cardActionsOf, cardRecordOf, type CardRecord } from '@tailmesh/core'
import type { GroupHandle } from './group-handle'

/** Why a button cannot be pressed, as the UI says it. */
export type CardRefusal = 'closed' | 'notListed' | 'pending' | 'noAccess'

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

export function cardView(handle: GroupHandle, panelId: string, cardId: string): CardView {
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
    refusal: (actionId) => refusalOf(cardActionProblem(state, me, panelId, cardId, actionId)),
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

export type { CardControl, MessageCard as CoreMessageCard } from '@tailmesh/core'
