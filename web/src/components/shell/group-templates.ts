// Group templates: the panels a new group starts with, created through core's panel operations
// right after the group (whose genesis already made #general). Loaded with the create dialog's
// submit, so the plugin host it may ask for (the notes panel) stays out of the app shell.
import '../../i18n/late'
import { GroupManager, type GroupHandle } from '../../client'
import { announcement } from '../../manage/overrides'
import { grantOnFirstUse } from '../../plugins/first-use'
import { pluginPanelMeta } from '../../plugins/panel-plugin'
import { usePluginsStore } from '../../plugins/store'
import { originRelay, savedRelays } from '../../client/relays'
import type { TemplateId } from './template-ids'

const NOTES_PLUGIN = 'com.tailmesh.notes'
/**
 * The Community template's web page: the welcome page of the relay this device uses first (the
 * relay serves it for framing: relay/src/welcome-page.ts), so the sample panel always shows a page
 * (a site of the open web may refuse to be framed and leave it empty).
 */
export function guideUrl(): string {
  const relay = savedRelays()[0] ?? originRelay() ?? location.origin
  return `${relay}/welcome`
}

/** Panel names in the chosen language (layout.templates.panels). */
export type PanelNames = Record<
  'announcements' | 'offTopic' | 'resources' | 'guide' | 'homework' | 'notes',
  string
>

/** Creates the template's panels in `handle`'s group (Blank adds nothing). */
export async function applyTemplate(handle: GroupHandle, id: TemplateId, names: PanelNames): Promise<void> {
  if (id === 'blank') return
  const manager = new GroupManager(handle)
  if (id === 'community') {
    // Only the owner (and roles given `message` there later) may speak in announcements.
    await manager.createPanel({
      name: names.announcements,
      type: 'text',
      overrides: announcement(undefined, []),
    })
    await manager.createPanel({ name: names.offTopic, type: 'text' })
    const resources = await manager.createPanel({ name: names.resources, type: 'category' })
    await manager.createPanel({ name: names.guide, type: 'web', url: guideUrl(), parentId: resources })
    return
  }
  await manager.createPanel({ name: names.homework, type: 'text' })
  // Notes is built in; a device where it is switched off makes the group without it.
  const plugins = usePluginsStore()
  await plugins.start()
  const reg = plugins.panelTypes.find((r) => r.pluginId === NOTES_PLUGIN)
  if (!reg) return
  await manager.createPanel({
    name: names.notes,
    type: 'plugin',
    meta: pluginPanelMeta(reg, {}, plugins.find(NOTES_PLUGIN)),
  })
  await grantOnFirstUse(manager, NOTES_PLUGIN)
}
