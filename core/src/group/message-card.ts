// A message may carry a plugin's card (a poll, a link preview, a bot's form): which plugin draws it,
// the card type, and plain JSON data. Every peer validates it the same way and caps its size, whether
// or not it has the plugin: a peer without it shows the message body, which should say what the card is.

import { PLUGIN_LIMITS, isPluginId } from './plugin-docs'

export interface MessageCard {
  pluginId: string
  /** The card type the plugin registered (letters, digits, `_ . -`). */
  type: string
  data: Record<string, unknown>
}

const CARD_TYPE_RE = /^[A-Za-z0-9_.-]{1,64}$/

/** Why `v` is not a valid card, or null (records.ts turns the reason into a RecordError). */
export function cardProblem(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'card must be an object'
  for (const k of Object.keys(v))
    if (k !== 'pluginId' && k !== 'type' && k !== 'data') return `card has unknown field "${k}"`
  const o = v as Record<string, unknown>
  if (!isPluginId(o.pluginId)) return 'card pluginId is not a plugin id'
  if (typeof o.type !== 'string' || !CARD_TYPE_RE.test(o.type)) return 'card type is not a name'
  if (typeof o.data !== 'object' || o.data === null || Array.isArray(o.data))
    return 'card data must be an object'
  const json = JSON.stringify(o.data)
  if (json === undefined || json.length > PLUGIN_LIMITS.cardJson)
    return `card data must be at most ${PLUGIN_LIMITS.cardJson} characters of JSON`
  return null
}
