// The plugins that ship with the app. Only their manifests are in the app's code; each module is a
// separate chunk imported when the plugin is activated, so the first screen does not carry them.
// They register through the same PluginApi as any installed plugin.
import { manifest as githubCards } from '@tailmesh/plugin-bot-cards/github/manifest'
import { manifest as mailCards } from '@tailmesh/plugin-bot-cards/mail/manifest'
import { manifest as calendar } from '@tailmesh/plugin-calendar/manifest'
import { manifest as linkCard } from '@tailmesh/plugin-link-card/manifest'
import { manifest as notes } from '@tailmesh/plugin-notes/manifest'
import { manifest as notifications } from '@tailmesh/plugin-notifications/manifest'
import { manifest as poll } from '@tailmesh/plugin-poll/manifest'
import { manifest as themeDark } from '@tailmesh/plugin-theme-dark/manifest'
import { manifest as themeSolarized } from '@tailmesh/plugin-theme-solarized/manifest'
import { manifest as webPanel } from '@tailmesh/plugin-web-panel/manifest'
import { manifest as whiteboard } from '@tailmesh/plugin-whiteboard/manifest'
import type { PluginSource } from './loader'

export const BUILTIN_PLUGINS: readonly PluginSource[] = [
  { manifest: webPanel, builtin: true, load: () => import('@tailmesh/plugin-web-panel') },
  { manifest: themeDark, builtin: true, load: () => import('@tailmesh/plugin-theme-dark') },
  { manifest: themeSolarized, builtin: true, load: () => import('@tailmesh/plugin-theme-solarized') },
  { manifest: notifications, builtin: true, load: () => import('@tailmesh/plugin-notifications') },
  { manifest: poll, builtin: true, load: () => import('@tailmesh/plugin-poll') },
  { manifest: notes, builtin: true, load: () => import('@tailmesh/plugin-notes') },
  { manifest: linkCard, builtin: true, load: () => import('@tailmesh/plugin-link-card') },
  { manifest: calendar, builtin: true, load: () => import('@tailmesh/plugin-calendar') },
  { manifest: whiteboard, builtin: true, load: () => import('@tailmesh/plugin-whiteboard') },
  { manifest: githubCards, builtin: true, load: () => import('@tailmesh/plugin-bot-cards/github') },
  { manifest: mailCards, builtin: true, load: () => import('@tailmesh/plugin-bot-cards/mail') },
]

/** The plugin that draws panels of the pre-plugin type 'web' (meta { url }). */
export const WEB_PANEL_PLUGIN = webPanel.id
export const WEB_PANEL_TYPE = 'page'
