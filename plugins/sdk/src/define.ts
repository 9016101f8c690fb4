// What a plugin module's default export is. `definePlugin` only types and tags it: the host checks
// the tag and the manifest before calling `activate`, so a module that is not a plugin is refused
// with a reason instead of half-running.

import type { PluginApi } from './api'
import { validateManifest, type PluginManifest } from './manifest'

export interface PluginDefinition {
  manifest: PluginManifest
  activate(api: PluginApi): void | Promise<void>
}

const TAG = 'tailmesh.plugin/1'

export interface PluginModule extends PluginDefinition {
  readonly kind: typeof TAG
}

export function definePlugin(def: PluginDefinition): PluginModule {
  return { kind: TAG, manifest: def.manifest, activate: def.activate }
}

/** Checks what `import()` returned: a default export made by definePlugin with a valid manifest. */
export function pluginFromModule(mod: unknown): PluginModule {
  const value = (mod as { default?: unknown } | null)?.default
  if (typeof value !== 'object' || value === null || (value as { kind?: unknown }).kind !== TAG)
    throw new Error('the module has no default export made by definePlugin()')
  const plugin = value as PluginModule
  if (typeof plugin.activate !== 'function') throw new Error('the plugin has no activate() function')
  validateManifest(plugin.manifest)
  return plugin
}
