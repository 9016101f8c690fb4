// Where a plugin keeps group-level state, and how its names say who may write there.
//
// Every peer judges plugin documents with the same generic rules whether or not it has the plugin
// (gate/plugin-rules.ts), so everything the rules need is in the names themselves:
// - the document `x/<pluginId>/<scope>`: scope is a panel id or `group`;
// - `own`: a Y.Map whose keys end with `@<userId>`, writable only by that user — "one vote per member"
//   and "only the author changes their entry" hold by construction, not by plugin code;
// - `shared`: a Y.Map anyone allowed may write;
// - `text:<name>`: a top-level Y.Text edited together (plain text only: no formats, no embeds);
// - a name ending in `#<point>` (`tally#close`, `text:body#edit`) is writable only by members holding
//   the plugin's point `plugin.<pluginId>.<point>`; plugins choose the names they read, so a write
//   under an unguarded name never stands in for a guarded one.

import { isUserId, type UserId } from '../identity/user-id'
import type { PluginPoint } from './points'

/** The scope of a plugin's group-wide state (any other scope is a panel id). */
export const GROUP_SCOPE = 'group'

export const PluginRoot = {
  /** `<name>@<userId>` -> JSON, written only by that user. */
  own: 'own',
  /** name -> JSON. */
  shared: 'shared',
} as const

/** Top-level Y.Text roots of a plugin document are named `text:<name>`. */
export const TEXT_ROOT_PREFIX = 'text:'

export const PLUGIN_LIMITS = {
  /** Characters of a value's JSON in `own` or `shared`. */
  valueJson: 2048,
  /** Characters of an entry or text name (before `@<userId>`). */
  name: 96,
  /** Characters a card's data may take as JSON. */
  cardJson: 4096,
} as const

// Reverse-domain ids (`com.example.name`). Bounded so `x/<id>/<scope>` fits an envelope's docId and
// `plugin.<id>.<point>` is a permission point (points.ts).
const PLUGIN_ID_RE = /^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$/
const SCOPE_RE = /^[A-Za-z0-9_-]{1,64}$/
const NAME_RE = /^[A-Za-z0-9_.:/-]+(#[A-Za-z0-9_-]{1,32})?$/

export function isPluginId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 60 && PLUGIN_ID_RE.test(value)
}

export function isPluginScope(value: unknown): value is string {
  return typeof value === 'string' && SCOPE_RE.test(value)
}

/** An entry or text name: letters, digits, `_ . : / -`, and an optional `#<point>` guard. */
export function isPluginName(value: unknown): value is string {
  return typeof value === 'string' && value.length <= PLUGIN_LIMITS.name && NAME_RE.test(value)
}

export function pluginDocId(pluginId: string, scope: string): string {
  return `x/${pluginId}/${scope}`
}

export function parsePluginDocId(docId: string): { pluginId: string; scope: string } | null {
  const parts = docId.split('/')
  if (parts.length !== 3 || parts[0] !== 'x') return null
  const [, pluginId, scope] = parts as [string, string, string]
  return isPluginId(pluginId) && isPluginScope(scope) ? { pluginId, scope } : null
}

export const ownKey = (name: string, userId: UserId): string => `${name}@${userId}`

export function parseOwnKey(key: string): { name: string; userId: UserId } | null {
  const at = key.lastIndexOf('@')
  if (at <= 0) return null
  const name = key.slice(0, at)
  const userId = key.slice(at + 1)
  return isPluginName(name) && isUserId(userId) ? { name, userId } : null
}

export const textRoot = (name: string): string => `${TEXT_ROOT_PREFIX}${name}`

/** The plugin point a guarded name requires, or null for an unguarded one. */
export function guardOf(pluginId: string, name: string): PluginPoint | null {
  const hash = name.lastIndexOf('#')
  return hash < 0 ? null : `plugin.${pluginId}.${name.slice(hash + 1)}`
}
