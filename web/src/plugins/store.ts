// The plugins as the views see them: built-in and installed, enabled or not, their status and
// problems, and what the active ones registered. `version` moves on every change of the registry, the
// host or the installed list, and every getter reads it so views re-render then.

import { manifestName, type PluginManifest } from '@tailmesh/plugin-sdk'
import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import { i18n } from '../i18n'
import { BUILTIN_PLUGINS } from './builtin'
import { fetchManifest, type FetchedManifest } from './fetch-manifest'
import { entryUrl, type InstalledPlugin } from './installed'
import { importFromUrl, type PluginSource, type PluginStatus } from './loader'
import { host, installed, pluginInbox, registry } from './runtime'
import { applyTheme, saveTheme, savedTheme } from './theme'

export interface PluginEntry {
  manifest: PluginManifest
  builtin: boolean
  enabled: boolean
  status: PluginStatus
  /** For installed plugins: where the code comes from, and where its manifest was read. */
  entryUrl?: string
  manifestUrl?: string
}

function sourceOf(p: InstalledPlugin): PluginSource {
  return { manifest: p.manifest, builtin: false, load: importFromUrl(entryUrl(p)) }
}

function sources(): PluginSource[] {
  return [...BUILTIN_PLUGINS, ...installed.list().map(sourceOf)]
}

export const usePluginsStore = defineStore('plugins', () => {
  const version = shallowRef(0)
  const bump = () => version.value++
  registry.onChange(bump)
  host.onChange(bump)
  pluginInbox.onChange(bump)
  let started: Promise<void> | null = null

  /** Activates every enabled plugin (once; later calls wait for the same start). */
  function start(): Promise<void> {
    return (started ??= (async () => {
      await Promise.all(
        sources()
          .filter((s) => installed.isEnabled(s.manifest.id))
          .map((s) => host.activate(s)),
      )
      // The saved theme painted at boot; if its plugin is gone or off now, go back to the default.
      const saved = savedTheme()
      if (saved && !themes.value.some((t) => t.key === saved.key)) setTheme(null)
    })())
  }

  const plugins = computed<PluginEntry[]>(() => {
    void version.value
    return sources().map((s) => {
      const stored = s.builtin ? undefined : installed.get(s.manifest.id)
      return {
        manifest: s.manifest,
        builtin: s.builtin,
        enabled: installed.isEnabled(s.manifest.id),
        status: host.status(s.manifest.id),
        entryUrl: stored ? entryUrl(stored) : undefined,
        manifestUrl: stored?.manifestUrl,
      }
    })
  })

  function find(pluginId: string): PluginEntry | undefined {
    return plugins.value.find((p) => p.manifest.id === pluginId)
  }

  function displayName(pluginId: string): string {
    const p = find(pluginId)
    return p ? manifestName(p.manifest, i18n.global.locale.value) : pluginId
  }

  async function setEnabled(pluginId: string, enabled: boolean): Promise<void> {
    const source = sources().find((s) => s.manifest.id === pluginId)
    if (!source) return
    installed.setEnabled(pluginId, enabled)
    bump()
    if (enabled) await host.activate(source)
    else {
      host.deactivate(pluginId)
      if (savedTheme()?.key.startsWith(`${pluginId}/`)) setTheme(null)
    }
  }

  /** Step one of installing: read and check the manifest (no code runs). */
  function preview(url: string): Promise<FetchedManifest> {
    return fetchManifest(url)
  }

  /** Step two, after the member agreed: keep it, then load and activate it. */
  async function install(fetched: FetchedManifest): Promise<boolean> {
    const id = fetched.manifest.id
    if (BUILTIN_PLUGINS.some((b) => b.manifest.id === id)) throw new Error(`${id} is built in`)
    host.deactivate(id)
    installed.add({ manifest: fetched.manifest, manifestUrl: fetched.manifestUrl, installedAt: Date.now() })
    bump()
    return host.activate(sourceOf(installed.get(id)!))
  }

  function uninstall(pluginId: string): void {
    host.deactivate(pluginId)
    installed.remove(pluginId)
    if (savedTheme()?.key.startsWith(`${pluginId}/`)) setTheme(null)
    bump()
  }

  const themes = computed(() => {
    void version.value
    return registry
      .list('theme')
      .map((r) => ({ key: `${r.pluginId}/${r.def.id}`, pluginId: r.pluginId, def: r.def }))
  })
  const themeKey = shallowRef<string | null>(savedTheme()?.key ?? null)

  function setTheme(key: string | null): void {
    const theme = key ? themes.value.find((t) => t.key === key) : undefined
    const chosen = theme ? { key: theme.key, scheme: theme.def.scheme, colors: theme.def.colors } : null
    saveTheme(chosen)
    applyTheme(chosen)
    themeKey.value = chosen?.key ?? null
  }

  const panelTypes = computed(() => {
    void version.value
    return registry.list('panelType')
  })

  return {
    version,
    start,
    plugins,
    find,
    displayName,
    setEnabled,
    preview,
    install,
    uninstall,
    themes,
    themeKey,
    setTheme,
    panelTypes,
  }
})
