// Which plugins this device has installed and enabled, kept in localStorage (a device preference,
// like the language: another device of mine chooses its own). An installed plugin keeps the
// manifest the member agreed to, so its entry URL cannot change behind their back; updating means
// installing again. Built-in plugins are not stored, only whether they are switched off.

import { validateManifest, type PluginManifest } from '@tailmesh/plugin-sdk'

export interface InstalledPlugin {
  manifest: PluginManifest
  /** Where the manifest was read from; the entry resolves against it. */
  manifestUrl: string
  installedAt: number
}

interface Saved {
  installed: InstalledPlugin[]
  /** Plugin id -> enabled; absent means enabled (a fresh install or a built-in). */
  enabled: Record<string, boolean>
}

export const INSTALLED_KEY = 'tailmesh.plugins'

/** Web Storage, or anything shaped like it (tests). */
export type KeyValue = Pick<Storage, 'getItem' | 'setItem'>

export class InstalledPlugins {
  private saved: Saved

  constructor(private readonly store: KeyValue | null) {
    this.saved = this.read()
  }

  private read(): Saved {
    try {
      const raw = this.store?.getItem(INSTALLED_KEY)
      if (!raw) return { installed: [], enabled: {} }
      const parsed = JSON.parse(raw) as Partial<Saved>
      // A stored entry that no longer validates (edited by hand, older format) is dropped, not run.
      const installed = (Array.isArray(parsed.installed) ? parsed.installed : []).filter((p) => {
        try {
          validateManifest(p.manifest)
          return typeof p.manifestUrl === 'string'
        } catch {
          return false
        }
      })
      const enabled = typeof parsed.enabled === 'object' && parsed.enabled !== null ? parsed.enabled : {}
      return { installed, enabled }
    } catch {
      return { installed: [], enabled: {} }
    }
  }

  private write(): void {
    try {
      this.store?.setItem(INSTALLED_KEY, JSON.stringify(this.saved))
    } catch {
      // storage full or blocked: the change holds for this session only
    }
  }

  list(): readonly InstalledPlugin[] {
    return this.saved.installed
  }

  get(id: string): InstalledPlugin | undefined {
    return this.saved.installed.find((p) => p.manifest.id === id)
  }

  isEnabled(id: string): boolean {
    return this.saved.enabled[id] !== false
  }

  setEnabled(id: string, enabled: boolean): void {
    this.saved.enabled[id] = enabled
    this.write()
  }

  /** Adds (or replaces, on reinstall) a plugin; it starts enabled. */
  add(plugin: InstalledPlugin): void {
    this.saved.installed = [
      ...this.saved.installed.filter((p) => p.manifest.id !== plugin.manifest.id),
      plugin,
    ]
    delete this.saved.enabled[plugin.manifest.id]
    this.write()
  }

  remove(id: string): void {
    this.saved.installed = this.saved.installed.filter((p) => p.manifest.id !== id)
    delete this.saved.enabled[id]
    this.write()
  }
}

/** The entry module's absolute URL (the manifest may name it relative to itself). */
export function entryUrl(plugin: InstalledPlugin): string {
  return new URL(plugin.manifest.entry, plugin.manifestUrl).href
}
