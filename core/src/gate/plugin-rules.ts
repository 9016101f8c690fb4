// Who may write where in a plugin's document (`x/<pluginId>/<scope>`, see group/plugin-docs.ts).
//
// Generic and data-driven: every peer applies these rules the same way whether or not it has the
// plugin installed, so the gate never depends on plugin code. What a write needs is read from where it
// lands — the scope, the root, the `@<userId>` of an own entry, a `#<point>` guard in a name — and
// from the group's authority at the envelope's time, like every other rule.

import { isMember, isMuted } from '../group/authority-state'
import {
  GROUP_SCOPE,
  PLUGIN_LIMITS,
  PluginRoot,
  TEXT_ROOT_PREFIX,
  guardOf,
  isPluginName,
  parseOwnKey,
} from '../group/plugin-docs'
import { resolvePermissions } from '../group/permissions'
import type { Point } from '../group/points'
import type { Touch } from './footprint'
import type { RuleContext } from './rule-context'

/** Why the scope cannot hold this plugin's state at this time, or null. */
function scopeProblem(ctx: RuleContext, pluginId: string, scope: string): string | null {
  if (scope === GROUP_SCOPE) return null
  const panel = ctx.state.panels.get(scope)
  if (!panel) return 'unknown panel at this time'
  if (panel.type === 'category' || panel.type === 'web' || panel.type === 'voice')
    return 'this panel holds no plugin state'
  // A plugin panel's state belongs to the plugin that draws it; a text panel's cards may be anyone's.
  if (panel.type === 'plugin' && panel.meta?.pluginId !== pluginId)
    return `this panel belongs to another plugin (${String(panel.meta?.pluginId ?? 'none')})`
  return null
}

function valueProblem(t: Touch, what: string): string | null {
  if (t.nonJson) return `invalid structure: ${what} must hold plain values`
  for (const v of t.written) {
    if (v === undefined) continue
    const json = JSON.stringify(v)
    if (json === undefined) return `invalid record: ${what} is not JSON`
    if (json.length > PLUGIN_LIMITS.valueJson)
      return `invalid record: ${what} is larger than ${PLUGIN_LIMITS.valueJson} characters of JSON`
  }
  return null
}

/**
 * null when `author` may make every change in `touches` to the plugin document at the envelope's time.
 * Reasons starting with "invalid" are permanent (no authority history can allow them).
 */
export function pluginDocRules(
  touches: Touch[],
  ctx: RuleContext,
  pluginId: string,
  scope: string,
): string | null {
  const scoped = scopeProblem(ctx, pluginId, scope)
  if (scoped) return scoped
  if (!isMember(ctx.state, ctx.author)) return 'not a member at this time'
  if (isMuted(ctx.state, ctx.author, ctx.wallMs)) return 'muted: a muted member changes no plugin state'
  const panelId = scope === GROUP_SCOPE ? undefined : scope
  const perms = resolvePermissions(ctx.state, ctx.author, panelId, ctx.wallMs)
  const need = (point: Point, action: string): string | null =>
    perms.has(point) ? null : `permission denied: ${action} needs "${point}"`
  /**
   * In a panel: seeing it, and the name's guard point or else `message` there. Group-wide: the guard
   * point, or else `message` for one's own entries and `groupConfig` for what everyone shares.
   */
  const allowed = (name: string, fallback: Point, action: string): string | null => {
    if (panelId !== undefined) {
      const denied = need('viewPanel', action)
      if (denied) return denied
    }
    return need(guardOf(pluginId, name) ?? fallback, action)
  }

  for (const t of touches) {
    let reason: string | null
    if (t.sequence) {
      const name = t.root.slice(TEXT_ROOT_PREFIX.length)
      if (!t.root.startsWith(TEXT_ROOT_PREFIX) || !isPluginName(name)) reason = 'invalid text name'
      else if (t.nonJson) reason = 'invalid structure: plugin text holds plain text only'
      else reason = allowed(name, panelId === undefined ? 'groupConfig' : 'message', 'editing plugin text')
    } else if (t.root === PluginRoot.own) {
      const key = parseOwnKey(t.key)
      if (!key) reason = 'invalid key: an own entry is `<name>@<userId>`'
      else if (key.userId !== ctx.author) reason = 'invalid write: an own entry is written only by its member'
      else if (
        t.removedClients.size &&
        [...t.removedClients].some((c) => ctx.ownerOfClient(c) !== ctx.author)
      )
        reason = "invalid write: removes another member's struct"
      else
        reason = valueProblem(t, 'an own entry') ?? allowed(key.name, 'message', 'writing own plugin state')
    } else if (t.root === PluginRoot.shared) {
      if (!isPluginName(t.key)) reason = 'invalid key: not a plugin entry name'
      else
        reason =
          valueProblem(t, 'a shared entry') ??
          allowed(t.key, panelId === undefined ? 'groupConfig' : 'message', 'writing shared plugin state')
    } else reason = `invalid location: unknown map "${t.root}"`
    const where = t.sequence ? t.root : `${t.root}.${t.key}`
    if (reason) return reason.startsWith('invalid') ? reason : `${where}: ${reason}`
  }
  return null
}
