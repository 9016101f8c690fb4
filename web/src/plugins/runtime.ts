// The app's one plugin runtime: the registry, the host that loads and isolates plugins, this
// device's installed list, and the services plugins get (me, language, new messages, sandboxed
// frames, storage, inbox). Vue-free; stores/plugins.ts (in this folder: store.ts) makes it reactive.

import { pickLocale, type FrameOptions, type FrameSource, type LocaleStrings } from '@tailmesh/plugin-sdk'
import { i18n } from '../i18n'
import { tailmesh } from '../tailmesh'
import type { HostServices } from './api'
import { CardActionFeed } from './card-action-feed'
import { composerContext, messageView } from './contexts'
import { createSandboxedFrame, isHttpUrl } from './frame'
import { PluginInbox } from './inbox'
import { InstalledPlugins } from './installed'
import { PluginHost } from './loader'
import { MessageFeed } from './message-feed'
import { drawsMessages, messagePartsFor, type Guard } from './message-parts'
import { pagesAt } from './pages'
import { offerPaste } from './paste'
import { notify } from './notify'
import { onPanelsChange, pluginPanelState, pluginPanels } from './plugin-panels'
import { pluginStorage } from './plugin-storage'
import { published } from './published'
import { PluginRegistry } from './registry'
import { offerSignIn } from './sign-in/sign-in-frame'

function webStorage(): Storage | null {
  try {
    return localStorage
  } catch {
    return null
  }
}

const locale = () => i18n.global.locale.value
const feed = new MessageFeed(tailmesh)
const cardActions = new CardActionFeed(tailmesh)

export const registry = new PluginRegistry()
export const installed = new InstalledPlugins(webStorage())
export const pluginInbox = new PluginInbox(webStorage())

const services: HostServices = {
  me: () => tailmesh.me,
  locale,
  t: (s: LocaleStrings) => pickLocale(s, locale()),
  onMessage: (fn) => feed.on(fn),
  onCardAction: (pluginId, fn) => cardActions.on(pluginId, fn),
  openPanel: (groupId, panelId) => {
    location.hash = `#/groups/${encodeURIComponent(groupId)}/${encodeURIComponent(panelId)}`
  },
  frame: (el: HTMLElement, source: FrameSource, title: string, options?: FrameOptions) => {
    if (!options?.signIn || !('url' in source) || !isHttpUrl(source.url))
      return createSandboxedFrame(el, source, title)
    const signIn = offerSignIn(source.url, options.signIn.groupId)
    const frame = createSandboxedFrame(el, { url: signIn.url }, title)
    signIn.attach(frame)
    return frame
  },
  panels: (pluginId) => pluginPanels(tailmesh, pluginId),
  onPanelsChange: (fn) => onPanelsChange(tailmesh, fn),
  panelState: (pluginId, groupId, panelId) => pluginPanelState(tailmesh, pluginId, groupId, panelId),
  notify,
  storage: (pluginId) => pluginStorage(pluginId, webStorage()),
  inbox: (pluginId) => pluginInbox.scoped(pluginId),
}

export const host = new PluginHost(registry, services)

const guard: Guard = (pluginId, phase, fn, fallback) => host.guard(pluginId, phase, fn, fallback)

// What the always-loaded screens read (published.ts), renewed on every registration change.
function publish(): void {
  published.value = {
    drawsMessages: drawsMessages(registry),
    messageParts: (message, handle) => messagePartsFor(registry, guard, messageView(handle, message)),
    drawsCard: (pluginId, type) => registry.typed('card', pluginId, type) !== undefined,
    groupSettings:
      registry.list('groupConfigItem').length > 0 || pagesAt(registry, 'group-detail').length > 0,
    inputActions: registry.list('inputAction').length,
    rootPages: pagesAt(registry, 'root').map((r) => ({
      pluginId: r.pluginId,
      id: r.def.id,
      title: r.def.title,
      icon: r.def.place === 'root' ? r.def.icon : undefined,
    })),
    sidebarSections: registry.list('sidebarSection').length,
    paste: (data, target) =>
      offerPaste(registry, guard, data, (pluginId) =>
        composerContext(target.handle, pluginId, target.panelId, target.text),
      ),
  }
}
registry.onChange(publish)
