// The app's one plugin runtime: the registry, the host that loads and isolates plugins, this
// device's installed list, and the services plugins get (me, language, new messages, sandboxed
// frames, storage, inbox). Vue-free; stores/plugins.ts (in this folder: store.ts) makes it reactive.

import { pickLocale, type FrameSource, type LocaleStrings } from '@tailmesh/plugin-sdk'
import { i18n } from '../i18n'
import { tailmesh } from '../tailmesh'
import type { HostServices } from './api'
import { createSandboxedFrame } from './frame'
import { PluginInbox } from './inbox'
import { InstalledPlugins } from './installed'
import { PluginHost } from './loader'
import { MessageFeed } from './message-feed'
import { pluginStorage } from './plugin-storage'
import { PluginRegistry } from './registry'

function webStorage(): Storage | null {
  try {
    return localStorage
  } catch {
    return null
  }
}

const locale = () => i18n.global.locale.value
const feed = new MessageFeed(tailmesh)

export const registry = new PluginRegistry()
export const installed = new InstalledPlugins(webStorage())
export const pluginInbox = new PluginInbox(webStorage())

const services: HostServices = {
  me: () => tailmesh.me,
  locale,
  t: (s: LocaleStrings) => pickLocale(s, locale()),
  onMessage: (fn) => feed.on(fn),
  openPanel: (groupId, panelId) => {
    location.hash = `#/groups/${encodeURIComponent(groupId)}/${encodeURIComponent(panelId)}`
  },
  frame: (el: HTMLElement, source: FrameSource, title: string) => createSandboxedFrame(el, source, title),
  storage: (pluginId) => pluginStorage(pluginId, webStorage()),
  inbox: (pluginId) => pluginInbox.scoped(pluginId),
}

export const host = new PluginHost(registry, services)
