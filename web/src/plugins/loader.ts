// Loads plugins and keeps them apart from the app: a plugin's module comes in by dynamic import, its
// default export is checked, and `activate` runs with its own API scope. Whatever a plugin throws —
// while loading, activating, mounting UI or in a listener — is caught, recorded against that
// plugin and shown in the manager; the app and the other plugins go on.

import { pluginFromModule, type PluginManifest } from '@tailmesh/plugin-sdk'
import { createPluginApi, type HostServices, type PluginScope } from './api'
import type { PluginRegistry } from './registry'

export interface PluginSource {
  manifest: PluginManifest
  /** Bundled with the app (lazily imported) rather than installed from a URL. */
  builtin: boolean
  /** Imports the plugin's module (its namespace object). */
  load(): Promise<unknown>
}

/**
 * An installed plugin's module, one file (the SDK's template bundles a plugin so), fetched with CORS
 * as a module script would be and imported from a blob: URL made here: the app's
 * Content-Security-Policy (relay/src/csp.ts) runs scripts from its own origin and from blob: URLs
 * the app made, never straight from other hosts, which a policy the relay writes cannot name (the
 * installed plugins live on the device).
 */
export async function importViaBlob(url: string): Promise<unknown> {
  const response = await fetch(url, { credentials: 'omit', referrerPolicy: 'no-referrer' })
  if (!response.ok) throw new Error(`plugin module ${url}: HTTP ${response.status}`)
  const type = response.headers.get('content-type') ?? ''
  if (!/^(text|application)\/(javascript|ecmascript)\b/i.test(type))
    throw new Error(`plugin module ${url}: not JavaScript (${type || 'no content type'})`)
  const blobUrl = URL.createObjectURL(new Blob([await response.text()], { type: 'text/javascript' }))
  try {
    return (await import(/* @vite-ignore */ blobUrl)) as unknown
  } finally {
    URL.revokeObjectURL(blobUrl)
  }
}

/** Imports an installed plugin's entry, an ES module at an http(s) URL (tests in Node import directly). */
export function importFromUrl(
  url: string,
  importer: (url: string) => Promise<unknown> = importViaBlob,
): () => Promise<unknown> {
  return () => importer(url)
}

export type Phase = 'load' | 'activate' | 'mount' | 'runtime'

export interface PluginProblem {
  phase: Phase
  message: string
  at: number
}

export type PluginState = 'inactive' | 'loading' | 'active' | 'failed'

export interface PluginStatus {
  state: PluginState
  /** Newest last; a few are kept. */
  problems: PluginProblem[]
}

const KEEP_PROBLEMS = 5

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name
  return typeof error === 'string' ? error : 'unknown error'
}

export class PluginHost {
  private readonly scopes = new Map<string, PluginScope>()
  private readonly statuses = new Map<string, PluginStatus>()
  private readonly listeners = new Set<() => void>()

  constructor(
    readonly registry: PluginRegistry,
    private readonly services: HostServices,
  ) {}

  status(pluginId: string): PluginStatus {
    return this.statuses.get(pluginId) ?? { state: 'inactive', problems: [] }
  }

  isActive(pluginId: string): boolean {
    return this.status(pluginId).state === 'active'
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  /** Records a problem of `pluginId` (a failed load or activate also marks it failed). */
  report(pluginId: string, phase: Phase, error: unknown): void {
    const message = describeError(error)
    console.error(`plugin ${pluginId} failed (${phase}): ${message}`)
    const old = this.status(pluginId)
    const problems = [...old.problems, { phase, message, at: Date.now() }].slice(-KEEP_PROBLEMS)
    const state = phase === 'load' || phase === 'activate' ? 'failed' : old.state
    this.set(pluginId, { state, problems })
  }

  /** Loads and activates; resolves true if the plugin is active afterwards (never rejects). */
  async activate(source: PluginSource): Promise<boolean> {
    const id = source.manifest.id
    if (this.scopes.has(id)) return true
    this.set(id, { state: 'loading', problems: [] })
    let plugin
    try {
      plugin = pluginFromModule(await source.load())
      const m = plugin.manifest
      if (m.id !== id || m.version !== source.manifest.version)
        throw new Error(
          `the module is ${m.id} ${m.version}, but the installed manifest is ${id} ${source.manifest.version}`,
        )
    } catch (error) {
      this.report(id, 'load', error)
      return false
    }
    if (this.status(id).state !== 'loading') return false // deactivated while loading
    const scope = createPluginApi(source.manifest, this.registry, this.services, (e) =>
      this.report(id, 'runtime', e),
    )
    this.scopes.set(id, scope)
    try {
      await plugin.activate(scope.api)
    } catch (error) {
      // Half an activation is worse than none: take back what it registered before throwing.
      scope.dispose()
      this.scopes.delete(id)
      this.report(id, 'activate', error)
      return false
    }
    if (this.scopes.get(id) !== scope) return false
    this.set(id, { state: 'active', problems: this.status(id).problems })
    return true
  }

  /** Takes back everything the plugin registered; its UI unmounts as the registry changes. */
  deactivate(pluginId: string): void {
    const scope = this.scopes.get(pluginId)
    this.scopes.delete(pluginId)
    scope?.dispose()
    this.set(pluginId, { state: 'inactive', problems: [] })
  }

  /**
   * Runs plugin code on the app's behalf (a mount, a command, a match); a throw or rejection is
   * reported against the plugin and `fallback` is returned instead.
   */
  guard<T>(pluginId: string, phase: Phase, fn: () => T, fallback: T): T {
    try {
      const out = fn()
      if (out instanceof Promise)
        return out.catch((error: unknown) => {
          this.report(pluginId, phase, error)
          return fallback
        }) as T
      return out
    } catch (error) {
      this.report(pluginId, phase, error)
      return fallback
    }
  }

  private set(pluginId: string, status: PluginStatus): void {
    this.statuses.set(pluginId, status)
    for (const fn of this.listeners) fn()
  }
}
