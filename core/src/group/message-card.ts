// A message may carry a plugin's card (a poll, a link preview, a bot's form): which plugin draws it,
// the card type, and plain JSON data. Every peer validates it the same way and caps its size, whether
// or not it has the plugin: a peer without it shows the message body, which should say what the card is.
//
// A card may also carry controls (buttons, a select, a short text) that the app draws for any card,
// and a status line its author sets when it updates the card ("Approved by Alice · 10:02"). Pressing a
// button is a card action (card-record.ts): who may act, and whether the card is still open, is
// the card's record in the group document, judged by every peer's gate.

import { PLUGIN_LIMITS, isPluginId } from './plugin-docs'

export type CardControl =
  | { kind: 'button'; id: string; label: string; style?: 'primary' | 'danger' }
  | { kind: 'select'; id: string; label: string; options: { value: string; label: string }[] }
  | { kind: 'text'; id: string; label: string; placeholder?: string }

export interface MessageCard {
  pluginId: string
  /** The card type the plugin registered (letters, digits, `_ . -`). */
  type: string
  data: Record<string, unknown>
  /** Buttons and inputs the app draws under the card; a button sends the inputs' values. */
  controls?: CardControl[]
  /** A line its author sets when updating the card (shown under it). */
  status?: string
}

export const CARD_LIMITS = {
  controls: 10,
  label: 80,
  options: 20,
  status: 200,
  /** Characters of one input's value in a card action. */
  value: 500,
} as const

const CARD_TYPE_RE = /^[A-Za-z0-9_.-]{1,64}$/
/** A control (and action) id: short, so it fits in an action's key. */
export const CONTROL_ID_RE = /^[A-Za-z0-9_.-]{1,32}$/

const chars = (s: unknown, max: number, min = 1): boolean =>
  typeof s === 'string' && [...s].length >= min && [...s].length <= max

function controlProblem(c: unknown, ids: Set<string>): string | null {
  if (typeof c !== 'object' || c === null || Array.isArray(c)) return 'a card control must be an object'
  const o = c as Record<string, unknown>
  const allowed: Record<string, string[]> = {
    button: ['kind', 'id', 'label', 'style'],
    select: ['kind', 'id', 'label', 'options'],
    text: ['kind', 'id', 'label', 'placeholder'],
  }
  const fields = typeof o.kind === 'string' ? allowed[o.kind] : undefined
  if (!fields) return 'a card control is a button, a select or a text'
  for (const k of Object.keys(o)) if (!fields.includes(k)) return `card control has unknown field "${k}"`
  if (typeof o.id !== 'string' || !CONTROL_ID_RE.test(o.id)) return 'card control id is not a name'
  if (ids.has(o.id)) return `two card controls are named "${o.id}"`
  ids.add(o.id)
  if (!chars(o.label, CARD_LIMITS.label)) return `card control label has 1–${CARD_LIMITS.label} characters`
  if (o.style !== undefined && o.style !== 'primary' && o.style !== 'danger')
    return 'card button style is primary or danger'
  if (o.placeholder !== undefined && !chars(o.placeholder, CARD_LIMITS.label, 0))
    return 'card text placeholder is too long'
  if (o.kind === 'select') {
    if (!Array.isArray(o.options) || o.options.length < 1 || o.options.length > CARD_LIMITS.options)
      return `card select has 1–${CARD_LIMITS.options} options`
    for (const opt of o.options as unknown[]) {
      const x = opt as Record<string, unknown> | null
      if (typeof x !== 'object' || x === null || Object.keys(x).some((k) => k !== 'value' && k !== 'label'))
        return 'card select option is { value, label }'
      if (!chars(x.value, CARD_LIMITS.value) || !chars(x.label, CARD_LIMITS.label))
        return 'card select option is too long'
    }
  }
  return null
}

/** Why `v` is not a valid card, or null (records.ts turns the reason into a RecordError). */
export function cardProblem(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'card must be an object'
  for (const k of Object.keys(v))
    if (k !== 'pluginId' && k !== 'type' && k !== 'data' && k !== 'controls' && k !== 'status')
      return `card has unknown field "${k}"`
  const o = v as Record<string, unknown>
  if (!isPluginId(o.pluginId)) return 'card pluginId is not a plugin id'
  if (typeof o.type !== 'string' || !CARD_TYPE_RE.test(o.type)) return 'card type is not a name'
  if (typeof o.data !== 'object' || o.data === null || Array.isArray(o.data))
    return 'card data must be an object'
  const json = JSON.stringify(o.data)
  if (json === undefined || json.length > PLUGIN_LIMITS.cardJson)
    return `card data must be at most ${PLUGIN_LIMITS.cardJson} characters of JSON`
  if (o.controls !== undefined) {
    if (!Array.isArray(o.controls) || o.controls.length > CARD_LIMITS.controls)
      return `a card has at most ${CARD_LIMITS.controls} controls`
    const ids = new Set<string>()
    for (const c of o.controls as unknown[]) {
      const problem = controlProblem(c, ids)
      if (problem) return problem
    }
  }
  if (o.status !== undefined && !chars(o.status, CARD_LIMITS.status, 0))
    return `card status has at most ${CARD_LIMITS.status} characters`
  return null
}

/** The ids of a card's buttons: the actions a member may send on it. */
export const buttonIds = (card: Pick<MessageCard, 'controls'>): string[] =>
  (card.controls ?? []).filter((c) => c.kind === 'button').map((c) => c.id)
