// Builds the PluginApi one plugin's `activate` receives. Every registration is checked (names a
// plugin picks become keys, meta fields and permission points) and remembered, so deactivating the
// plugin takes back everything it registered even if it never calls a Dispose itself.

import {
  THEME_VARIABLES,
  type CardActionEvent,
  type Dispose,
  type LocaleStrings,
  type PluginApi,
  type PluginInboxItem,
  type PluginManifest,
} from '@tailmesh/plugin-sdk'
import { RegistrationError, type Definitions, type Kind, type PluginRegistry } from './registry'

/** The host services a plugin sees as `api.host`, as the SDK declares them. */
type PluginHost = PluginApi['host']

/**
 * What the app provides to every plugin (implemented in host.ts; a stand-in in unit tests): the
 * SDK's host services, and storage and inbox for a plugin to be handed as its own.
 */
export interface HostServices extends Omit<PluginHost, 'panels' | 'panelState'> {
  /** Presses on `pluginId`'s cards that I sent (card-action-feed.ts). */
  onCardAction(pluginId: string, fn: (event: CardActionEvent) => void): Dispose
  /** `pluginId`'s panels in my groups. */
  panels(pluginId: string): ReturnType<PluginHost['panels']>
  /** `pluginId`'s state of one of its panels (refused for another plugin's panel). */
  panelState(pluginId: string, groupId: string, panelId: string): ReturnType<PluginHost['panelState']>
  /** Per-device storage, already namespaced to the plugin. */
  storage(pluginId: string): PluginApi['storage']
  inbox(pluginId: string): PluginApi['inbox']
}

const NAME = /^[A-Za-z0-9_-]{1,64}$/
const COMMAND = /^[a-z0-9][a-z0-9-]{0,31}$/
const META_KEY = /^[A-Za-z0-9_]{1,32}$/
const COLOR = /^(#[0-9a-fA-F]{3,8}|rgba?\([\d\s.,%]+\)|hsla?\([\d\s.,%deg]+\))$/

function needName(value: unknown, what: string, re = NAME): void {
  if (typeof value !== 'string' || !re.test(value))
    throw new RegistrationError(`${what} "${String(value)}" is not allowed`)
}

function needStrings(value: unknown, what: string): void {
  const v = value as Partial<LocaleStrings> | undefined
  if (typeof v?.en !== 'string' || v.en.length === 0)
    throw new RegistrationError(`${what} needs an English text (en)`)
}

function needFunction(value: unknown, what: string): void {
  if (typeof value !== 'function') throw new RegistrationError(`${what} must be a function`)
}

/** Checks what a plugin hands to register*: only names the registry and the DOM can take safely. */
function check<K extends Kind>(kind: K, def: Definitions[K]): void {
  const d = def as unknown as Record<string, unknown>
  if (typeof d !== 'object' || d === null) throw new RegistrationError(`${kind} needs a definition object`)
  switch (kind) {
    case 'panelType':
      needName(d.type, 'panel type')
      needStrings(d.name, 'panel type name')
      needFunction(d.mount, 'panel type mount')
      for (const f of (d.config as Definitions['panelType']['config']) ?? []) {
        needName(f.key, 'panel config key', META_KEY)
        if (['pluginId', 'panelType', 'manifestUrl', 'pluginName'].includes(f.key))
          throw new RegistrationError(`panel config key "${f.key}" is reserved`)
        needStrings(f.label, `panel config "${f.key}" label`)
      }
      return
    case 'card':
    case 'inboxItemType':
      needName(d.type, `${kind} type`)
      if (kind === 'card') needFunction(d.mount, 'card mount')
      else needStrings(d.name, 'inbox item type name')
      return
    case 'command':
      needName(d.name, 'command name', COMMAND)
      needStrings(d.description, 'command description')
      needFunction(d.run, 'command run')
      return
    case 'permission': {
      needName(d.name, 'permission name', /^[A-Za-z0-9_-]{1,32}$/)
      needStrings(d.description, 'permission description')
      // The manifest's id was checked, so `plugin.<id>.<name>` is a well-formed point.
      return
    }
    case 'theme': {
      needName(d.id, 'theme id')
      needStrings(d.name, 'theme name')
      if (d.scheme !== 'light' && d.scheme !== 'dark')
        throw new RegistrationError('theme scheme must be light or dark')
      const colors = d.colors as Record<string, unknown> | undefined
      for (const v of THEME_VARIABLES)
        if (typeof colors?.[v] !== 'string' || !COLOR.test(colors[v] as string))
          throw new RegistrationError(`theme colour "${v}" must be a CSS colour (#rgb, rgb(), hsl())`)
      return
    }
    case 'groupConfigItem':
      needName(d.key, 'group config key', META_KEY)
      needStrings(d.label, 'group config label')
      return
    case 'sidebarSection':
      needName(d.id, 'sidebar section id')
      needStrings(d.title, 'sidebar section title')
      needFunction(d.mount, 'sidebar section mount')
      return
    case 'settingsPage':
      needStrings(d.title, 'settings page title')
      needFunction(d.mount, 'settings page mount')
      return
    case 'page':
      needName(d.id, 'page id')
      if (!['settings', 'personal', 'root', 'group-detail'].includes(d.place as string))
        throw new RegistrationError('page place must be settings, personal, root or group-detail')
      needStrings(d.title, 'page title')
      if (d.icon !== undefined && (typeof d.icon !== 'string' || [...d.icon].length > 2))
        throw new RegistrationError('page icon must be one character or emoji')
      needFunction(d.mount, 'page mount')
      return
    default:
      needName(d.id, `${kind} id`)
  }
}

export interface PluginScope {
  api: PluginApi
  /** Takes back every registration and runs the plugin's onDispose callbacks (each once; errors reported). */
  dispose(): void
}

export function createPluginApi(
  manifest: PluginManifest,
  registry: PluginRegistry,
  host: HostServices,
  report: (error: unknown) => void,
): PluginScope {
  const disposers: Dispose[] = []
  let disposed = false
  const keep = (d: Dispose): Dispose => {
    if (disposed) {
      d()
      return () => {}
    }
    disposers.push(d)
    return d
  }
  const register =
    <K extends Kind>(kind: K) =>
    (def: Definitions[K]): Dispose => {
      if (disposed) throw new RegistrationError(`${manifest.id} is no longer active`)
      check(kind, def)
      return keep(registry.add(kind, manifest.id, def))
    }

  const api: PluginApi = {
    manifest,
    onDispose: (fn) => void keep(fn),
    registerPanelType: register('panelType'),
    registerMessageRenderer: register('messageRenderer'),
    registerMessageExtra: register('messageExtra'),
    registerCard: register('card'),
    registerInputAction: register('inputAction'),
    registerPasteHandler: register('pasteHandler'),
    registerInboxItemType: register('inboxItemType'),
    registerTheme: register('theme'),
    registerSettingsPage: register('settingsPage'),
    registerPage: register('page'),
    registerPermission: register('permission'),
    registerProfileField: register('profileField'),
    registerGroupConfigItem: register('groupConfigItem'),
    registerCommand: register('command'),
    registerSidebarSection: register('sidebarSection'),
    // A handler that throws or rejects is this plugin's fault: reported, the other plugins go on.
    onCardAction: (fn) =>
      keep(
        host.onCardAction(manifest.id, (e) => {
          try {
            void Promise.resolve(fn(e)).catch(report)
          } catch (error) {
            report(error)
          }
        }),
      ),
    host: {
      me: () => host.me(),
      locale: () => host.locale(),
      t: (s) => host.t(s),
      // A listener that throws is this plugin's fault: report it, keep the feed going for others.
      onMessage: (fn) =>
        keep(
          host.onMessage((e) => {
            try {
              fn(e)
            } catch (error) {
              report(error)
            }
          }),
        ),
      openPanel: (g, p) => host.openPanel(g, p),
      frame: (el, source, title, options) => host.frame(el, source, title, options),
      panels: () => host.panels(manifest.id),
      onPanelsChange: (fn) =>
        keep(
          host.onPanelsChange(() => {
            try {
              fn()
            } catch (error) {
              report(error)
            }
          }),
        ),
      panelState: (groupId, panelId) => host.panelState(manifest.id, groupId, panelId),
      notify: (title, options) => host.notify(title, options),
    },
    storage: host.storage(manifest.id),
    inbox: host.inbox(manifest.id),
  }

  return {
    api,
    dispose() {
      if (disposed) return
      disposed = true
      for (const d of disposers.splice(0).reverse()) {
        try {
          d()
        } catch (error) {
          report(error)
        }
      }
    },
  }
}

export type { PluginInboxItem }
