// Cards with actions (message-card.ts, card-record.ts), as operations and views: posting a card with
// buttons, pressing one (a card action), and the card's author updating or closing it. Each is one
// signed envelope judged by every peer's gate like any other (gate/rules.ts: cardRule, actionRule);
// the checks here only spare a client from signing what the gate would refuse.

import type { Envelope } from '../envelope/envelope'
import { hlcWallMs } from '../envelope/hlc'
import { InvalidOperationError, PermissionDeniedError, ValidationError } from '../errors'
import type { Gate } from '../gate/gate'
import { footprint } from '../gate/footprint'
import type { UserId } from '../identity/user-id'
import { isMuted, rolesOf, type AuthorityState } from './authority-state'
import {
  actionKey,
  actionRecordProblem,
  cardActionRefusal,
  cardKey,
  cardRecordProblem,
  parseActionKey,
  type ActionRecord,
  type CardRecord,
} from './card-record'
import { GROUP_DOC_ID, GroupRoot, PanelRoot, parseDocId } from './documents'
import { buttonIds, type MessageCard } from './message-card'
import type { GroupActions, SendOptions, SentMessage } from './operations'
import { resolvePermissions } from './permissions'
import { isTombstone, validateMessage, RecordError, type MessageRecord } from './records'

export interface PostCardOptions extends Omit<SendOptions, 'card'> {
  /** Who may press its buttons: default everyone who sees the panel. */
  who?: CardRecord['who']
  /** Action ids members may send besides its buttons' (a plugin that draws its own, e.g. a poll's vote). */
  actions?: string[]
}

export interface CardAction {
  panelId: string
  /** The card's message id. */
  cardId: string
  actionId: string
  userId: UserId
  values: Record<string, string>
  /** HLC at which it was pressed. */
  at: number
}

export interface CardPatch {
  /** A new message body (markdown), for members without the card's plugin. */
  body?: string
  data?: MessageCard['data']
  /** New controls; the card's record then lists the new buttons. */
  controls?: MessageCard['controls']
  status?: string
}

function message(
  actions: GroupActions,
  panelId: string,
  cardId: string,
): MessageRecord & { card: MessageCard } {
  const m = actions.message(panelId, cardId)
  if (!m || isTombstone(m) || !m.card) throw new InvalidOperationError('No such card.')
  return m as MessageRecord & { card: MessageCard }
}

function validated(record: unknown): MessageRecord {
  try {
    return validateMessage(record)
  } catch (e) {
    if (e instanceof RecordError) throw new ValidationError(e.message)
    throw e
  }
}

/** The card's record now (who may act, closed), or undefined. */
export function cardRecordOf(state: AuthorityState, panelId: string, cardId: string): CardRecord | undefined {
  return state.cards.get(cardKey(panelId, cardId))
}

/** Why `userId` may not press `actionId` on the card now, or null (the gate's judgement). */
export function cardActionProblem(
  state: AuthorityState,
  userId: UserId,
  panelId: string,
  cardId: string,
  actionId: string,
  nowMs = Date.now(),
): string | null {
  const perms = resolvePermissions(state, userId, panelId, nowMs)
  if (!perms.isMember) return 'not a member'
  if (!perms.has('viewPanel')) return 'permission denied: acting on a card needs "viewPanel"'
  if (isMuted(state, userId, nowMs)) return 'muted: a muted member does not act on cards'
  return cardActionRefusal(cardRecordOf(state, panelId, cardId), userId, rolesOf(state, userId), actionId)
}

/**
 * Posts a message with a card whose buttons members can press, then records who may press them.
 * Two envelopes: the message, then the record (actions wait, held by every gate, until it arrives).
 */
export async function postCard(
  actions: GroupActions,
  panelId: string,
  body: string,
  card: MessageCard,
  options: PostCardOptions = {},
): Promise<SentMessage> {
  const { who, actions: extra = [], ...send } = options
  const ids = [...new Set([...buttonIds(card), ...extra])]
  const problem = cardRecordProblem({ by: actions.me, at: 0, actions: ids, ...(who ? { who } : {}) })
  if (problem) throw new ValidationError(problem)
  const sent = await actions.send(panelId, body, { ...send, card })
  await actions.session.transact(GROUP_DOC_ID, (doc, hlc) => {
    const record: CardRecord = { by: actions.me, at: hlc, actions: ids, ...(who ? { who } : {}) }
    doc.getMap(GroupRoot.cards).set(cardKey(panelId, sent.id), record)
  })
  return sent
}

/** Presses a card's button with the inputs' values (pressing again replaces my earlier press). */
export async function actOnCard(
  actions: GroupActions,
  panelId: string,
  cardId: string,
  actionId: string,
  values: Record<string, string> = {},
): Promise<Envelope | null> {
  const problem = cardActionProblem(actions.session.authority(), actions.me, panelId, cardId, actionId)
  if (problem) throw new InvalidOperationError(`This card action is not allowed: ${problem}.`)
  const docId = actions.docOf(panelId, cardId)
  return actions.session.transact(docId, (doc, hlc) => {
    const record: ActionRecord = { values, at: hlc }
    const invalid = actionRecordProblem(record)
    if (invalid) throw new ValidationError(invalid)
    doc.getMap(PanelRoot.actions).set(actionKey(cardId, actionId, actions.me), record)
  })
}

/** Takes my press of a button back (while the card is open). */
export async function withdrawCardAction(
  actions: GroupActions,
  panelId: string,
  cardId: string,
  actionId: string,
): Promise<void> {
  await actions.session.transact(actions.docOf(panelId, cardId), (doc) =>
    doc.getMap(PanelRoot.actions).delete(actionKey(cardId, actionId, actions.me)),
  )
}

function requireAuthor(actions: GroupActions, m: MessageRecord, action: string): void {
  if (m.author !== actions.me) throw new PermissionDeniedError('author', action)
}

/**
 * The card's author changes it: its text, data, controls or status line ("Approved by Alice · 10:02").
 * New buttons are written to its record too.
 */
export async function updateCard(
  actions: GroupActions,
  panelId: string,
  cardId: string,
  patch: CardPatch,
): Promise<void> {
  const current = message(actions, panelId, cardId)
  requireAuthor(actions, current, 'updating a card')
  const card: MessageCard = { ...current.card }
  if (patch.data !== undefined) card.data = patch.data
  if (patch.controls !== undefined) card.controls = patch.controls
  if (patch.status !== undefined) card.status = patch.status
  const record = validated({ ...current, body: patch.body ?? current.body, card })
  await actions.session.transact(actions.docOf(panelId, cardId), (doc) =>
    doc.getMap(PanelRoot.messages).set(cardId, record),
  )
  const before = cardRecordOf(actions.session.authority(), panelId, cardId)
  if (!before || before.closed || patch.controls === undefined) return
  // The ids a plugin's own drawing sends (not buttons before) stay; the buttons are the new ones.
  const oldButtons = new Set(buttonIds(current.card))
  const ids = [...new Set([...before.actions.filter((a) => !oldButtons.has(a)), ...buttonIds(card)])]
  if (ids.join() !== before.actions.join())
    await actions.session.transact(GROUP_DOC_ID, (doc) =>
      doc.getMap(GroupRoot.cards).set(cardKey(panelId, cardId), { ...before, actions: ids }),
    )
}

/** The card's author closes it: every gate refuses actions dated after this. */
export async function closeCard(actions: GroupActions, panelId: string, cardId: string): Promise<void> {
  const before = cardRecordOf(actions.session.authority(), panelId, cardId)
  if (!before) throw new InvalidOperationError('This card has no actions to close.')
  if (before.by !== actions.me) throw new PermissionDeniedError('author', 'closing a card')
  if (before.closed) return
  await actions.session.transact(GROUP_DOC_ID, (doc, hlc) =>
    doc.getMap(GroupRoot.cards).set(cardKey(panelId, cardId), { ...before, closed: { at: hlc } }),
  )
}

/** The actions pressed on a card, as this peer holds them (oldest first). */
export function cardActionsOf(gate: Gate, panelId: string, cardId: string, docId: string): CardAction[] {
  const out: CardAction[] = []
  if (!gate.hasDoc(docId)) return out
  gate
    .doc(docId)
    .getMap(PanelRoot.actions)
    .forEach((value, key) => {
      const k = parseActionKey(key)
      if (!k || k.messageId !== cardId || actionRecordProblem(value) !== null) return
      const v = value as ActionRecord
      out.push({ panelId, cardId, actionId: k.actionId, userId: k.userId, values: v.values, at: v.at })
    })
  return out.sort((a, b) => a.at - b.at || (a.userId < b.userId ? -1 : 1))
}

/** The card actions an accepted envelope wrote (what a card's author answers). */
export function cardActionsWrittenBy(gate: Gate, envelope: Envelope): CardAction[] {
  const ref = parseDocId(envelope.docId)
  if (ref?.kind !== 'panel') return []
  const fp = footprint(gate.doc(envelope.docId), envelope.payload, true)
  if (!fp.ok) return []
  const out: CardAction[] = []
  for (const t of fp.touches) {
    if (t.root !== PanelRoot.actions) continue
    const k = parseActionKey(t.key)
    const v = t.written[t.written.length - 1]
    if (!k || k.userId !== envelope.author || v === undefined || actionRecordProblem(v) !== null) continue
    const record = v as ActionRecord
    out.push({
      panelId: ref.panelId,
      cardId: k.messageId,
      actionId: k.actionId,
      userId: k.userId,
      values: record.values,
      at: record.at,
    })
  }
  return out
}

/**
 * The card actions an accepted envelope wrote on cards `author` made: what that author (a bot, a
 * plugin on its member's device) answers. A panel envelope is decoded only when `author` has a card
 * in its panel, so a peer that posts no cards pays nothing for the check.
 */
export function cardActionsOnCardsBy(gate: Gate, envelope: Envelope, author: UserId): CardAction[] {
  const ref = parseDocId(envelope.docId)
  if (ref?.kind !== 'panel') return []
  const state = gate.authority()
  const prefix = cardKey(ref.panelId, '')
  let any = false
  for (const [key, card] of state.cards)
    if (card.by === author && key.startsWith(prefix)) {
      any = true
      break
    }
  if (!any) return []
  return cardActionsWrittenBy(gate, envelope).filter(
    (a) => cardRecordOf(state, a.panelId, a.cardId)?.by === author,
  )
}

/** When a card was closed (wall-clock ms), or null. */
export const closedAtMs = (card: CardRecord | undefined): number | null =>
  card?.closed ? hlcWallMs(card.closed.at) : null
