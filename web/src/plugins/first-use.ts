// A plugin's first panel in a group was just created: give the everyone role the points the plugin
// grants by default (default-points.ts), through core's role operation, and say what happened.
import { EVERYONE_ROLE, type GroupManager } from '../client'
import { i18n } from '../i18n'
import { grantDefaultPoints } from './default-points'
import { panelPlugin } from './panel-plugin'
import { defaultPointsOf, pluginPointsFor } from './plugin-points'
import { registry } from './runtime'
import { usePluginsStore } from './store'

export interface FirstUseNote {
  ok: boolean
  text: string
}

export async function grantOnFirstUse(manager: GroupManager, pluginId: string): Promise<FirstUseNote | null> {
  const panels = manager.handle.panels().filter((p) => panelPlugin(p)?.pluginId === pluginId)
  if (panels.length !== 1) return null // not the first: roles are the admins' business by now
  const plugins = usePluginsStore()
  const manifest = plugins.find(pluginId)?.manifest
  const points = pluginPointsFor(
    registry.list('permission').filter((r) => r.pluginId === pluginId),
    manifest ? [manifest] : [],
  )
  const outcome = await grantDefaultPoints(
    {
      can: (point) => manager.permissions().points.has(point),
      everyonePoints: () => manager.roles().find((r) => r.everyone)?.points ?? [],
      setEveryonePoints: (next) => manager.updateRole(EVERYONE_ROLE, { points: next }),
    },
    defaultPointsOf(pluginId, points),
  )
  if (outcome.kind === 'none') return null
  const t = i18n.global.t
  const args = { name: plugins.displayName(pluginId), points: outcome.points.join(', ') }
  return outcome.kind === 'granted'
    ? { ok: true, text: t('plugins.defaults.granted', args) }
    : { ok: false, text: t('plugins.defaults.cannot', { ...args, reason: outcome.reason }) }
}
