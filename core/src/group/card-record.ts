// A card's record in the group document: who may act on it and whether it is still open. The card
// itself (its text and controls) is the message's `card` (message-card.ts); this record is authority,
// so every peer's gate judges a card action against the record as it stood at the action's time —
// an action dated after the author closed the card is refused everywhere, whatever order things
// arrive in, and a close that arrives late re-judges what came after it (gate.ts).
//
// `cards`: `${panelId}/${messageId}` -> CardRecord, written only by the card's author.
// Card actions live next to the message, in its week document: `actions`,
// `${messageId}|${actionId}|${userId}` -> ActionRecord, written only by the member acting (one per
// member and button: pressing again replaces it).

import type { UserId } from '../identity/user-id'
import { isUserId } from '../identity/user-id'
import { CARD_LIMITS, CONTROL_ID_RE } from './message-card'

export interface CardRecord {
  /** The card's author (the message's). */
  by: UserId
  /** HLC of the envelope that made the record. */
  at: number
  /** The ids of the buttons a member may press. */
  actions: string[]
  /** Who may act: absent is everyone who sees the panel; else members holding a listed role or listed. */
  who?: { roles?: string[]; members?: UserId[] }
  /** Closed by its author: no action dated after it counts. */
  closed?: { at: number }
}

export interface ActionRecord {
  /** The inputs' values when the button was pressed (control id -> value). */
  values: Record<string, string>
  /** HLC at which it was pressed. */
  at: number
}

export const CARD_RECORD_LIMITS = { whoEntries: 32, values: 10 } as const

/** The card record's key (the same shape as a pin's). */
export const cardKey = (panelId: string, messageId: string): string => `${panelId}/${messageId}`

export const actionKey = (messageId: string, actionId: string, userId: string): string =>
  `${messageId}|${actionId}|${userId}`

export function parseActionKey(key: string): { messageId: string; actionId: string; userId: string } | null {
  const parts = key.split('|')
  if (parts.length !== 3) return null
  const [messageId, actionId, userId] = parts as [string, string, string]
  if (!CONTROL_ID_RE.test(actionId) || !isUserId(userId) || messageId.length === 0) return null
  return { messageId, actionId, userId }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
const isStamp = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0

/** Why `v` is not a card record, or null. */
export function cardRecordProblem(v: unknown): string | null {
  if (!isObject(v)) return 'a card record must be an object'
  for (const k of Object.keys(v))
    if (!['by', 'at', 'actions', 'who', 'closed'].includes(k)) return `card record has unknown field "${k}"`
  if (!isUserId(v.by)) return 'card record by must be a user id'
  if (!isStamp(v.at)) return 'card record at must be a time'
  if (
    !Array.isArray(v.actions) ||
    v.actions.length > CARD_LIMITS.controls ||
    !v.actions.every((a) => typeof a === 'string' && CONTROL_ID_RE.test(a))
  )
    return `card record actions are at most ${CARD_LIMITS.controls} button ids`
  if (v.who !== undefined) {
    if (!isObject(v.who) || Object.keys(v.who).some((k) => k !== 'roles' && k !== 'members'))
      return 'card record who is { roles?, members? }'
    const { roles, members } = v.who
    const max = CARD_RECORD_LIMITS.whoEntries
    if (
      roles !== undefined &&
      (!Array.isArray(roles) ||
        roles.length > max ||
        !roles.every((r) => typeof r === 'string' && r.length <= 64))
    )
      return `card record who.roles lists at most ${max} role ids`
    if (
      members !== undefined &&
      (!Array.isArray(members) || members.length > max || !members.every(isUserId))
    )
      return `card record who.members lists at most ${max} user ids`
  }
  if (
    v.closed !== undefined &&
    !(isObject(v.closed) && Object.keys(v.closed).join() === 'at' && isStamp(v.closed.at))
  )
    return 'card record closed is { at }'
  return null
}

export function validCardRecord(v: unknown): CardRecord | null {
  return cardRecordProblem(v) === null ? (v as CardRecord) : null
}

/** Why `v` is not an action record, or null. */
export function actionRecordProblem(v: unknown): string | null {
  if (!isObject(v) || Object.keys(v).some((k) => k !== 'values' && k !== 'at'))
    return 'a card action is { values, at }'
  if (!isStamp(v.at)) return 'card action at must be a time'
  if (!isObject(v.values)) return 'card action values must be an object'
  const entries = Object.entries(v.values)
  if (entries.length > CARD_RECORD_LIMITS.values)
    return `a card action carries at most ${CARD_RECORD_LIMITS.values} values`
  for (const [k, x] of entries)
    if (!CONTROL_ID_RE.test(k) || typeof x !== 'string' || [...x].length > CARD_LIMITS.value)
      return `a card action value is text of at most ${CARD_LIMITS.value} characters`
  return null
}

/**
 * Why `userId` (holding `roles`) may not press `actionId` on `card`, or null: the one judgement the
 * gate (rules.ts) and the app (to disable a button, with the reason) share. Panel permissions
 * (seeing the panel) are checked by the caller.
 */
export function cardActionRefusal(
  card: CardRecord | undefined,
  userId: UserId,
  roles: readonly string[],
  actionId: string,
): string | null {
  if (!card) return 'unknown card at this time'
  if (card.closed) return 'the card is closed: its author closed it'
  if (!card.actions.includes(actionId)) return `the card has no action "${actionId}" at this time`
  const who = card.who
  if (!who) return null
  if (who.members?.includes(userId)) return null
  if (who.roles?.some((r) => roles.includes(r))) return null
  return 'permission denied: the card is for the roles and members it lists'
}
