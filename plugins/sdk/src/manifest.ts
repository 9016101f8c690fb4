// A plugin's manifest: who made it, what it is, where its code lives and which permission points it
// asks for. The host shows it before the plugin's code ever runs (install from URL), so validation
// is strict: unknown fields are refused and every text is bounded.

import { isPoint } from '@tailmesh/core'

/** A permission point the plugin defines: `plugin.<pluginId>.<name>`, held through roles. */
export interface PluginPermission {
  /** The full point, `plugin.<pluginId>.<name>`; its id part must be the manifest's id. */
  point: `plugin.${string}.${string}`
  description: string
  'description.zh-CN'?: string
  /** Whether a new group's "everyone" role should hold it (the group's owner decides in the end). */
  defaultGranted: boolean
}

export interface PluginManifest {
  /** Reverse-domain id, e.g. `com.example.name`: lower case, at least two dot-separated parts. */
  id: string
  name: string
  'name.zh-CN'?: string
  /** Semantic version, e.g. `1.2.0`. */
  version: string
  description: string
  'description.zh-CN'?: string
  author: string
  /** An http(s) or data: URL of an image. */
  icon?: string
  /** URL of the plugin's ES module (relative URLs resolve against the manifest's URL). */
  entry: string
  permissions: PluginPermission[]
}

export class ManifestError extends Error {
  override name = 'ManifestError'
}

export const MANIFEST_LIMITS = {
  id: 60,
  name: 64,
  description: 500,
  author: 100,
  url: 2048,
  permissions: 32,
} as const

// Letters, digits and hyphens per part, at least two parts: `com.example.name`, `dev.alice.poll`.
const PLUGIN_ID = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/
// semver.org's recommended expression.
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/

export function isPluginId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MANIFEST_LIMITS.id && PLUGIN_ID.test(value)
}

export function isSemver(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 64 && SEMVER.test(value)
}

/** The permission point `plugin.<pluginId>.<name>`. */
export function pluginPoint(pluginId: string, name: string): `plugin.${string}.${string}` {
  return `plugin.${pluginId}.${name}`
}

type Obj = Record<string, unknown>

function fields(v: unknown, what: string, allowed: readonly string[]): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new ManifestError(`${what} must be an object`)
  for (const k of Object.keys(v))
    if (!allowed.includes(k)) throw new ManifestError(`${what} has unknown field "${k}"`)
  return v as Obj
}

function text(o: Obj, key: string, what: string, max: number, optional = false): void {
  const v = o[key]
  if (v === undefined && optional) return
  if (typeof v !== 'string' || v.trim().length === 0)
    throw new ManifestError(`${what} must be non-empty text`)
  if ([...v].length > max) throw new ManifestError(`${what} must be at most ${max} characters`)
}

function url(o: Obj, key: string, what: string, schemes: RegExp, optional = false): void {
  const v = o[key]
  if (v === undefined && optional) return
  if (typeof v !== 'string' || v.length === 0 || v.length > MANIFEST_LIMITS.url)
    throw new ManifestError(`${what} must be a URL of at most ${MANIFEST_LIMITS.url} characters`)
  // Relative URLs are allowed (they resolve against the manifest's own URL); an absolute one must
  // use an allowed scheme, so `javascript:` and friends never get near an import() or <img>.
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(v)?.[1]?.toLowerCase()
  if (scheme !== undefined && !schemes.test(scheme))
    throw new ManifestError(`${what} may not use "${scheme}:"`)
}

/** Checks an untrusted value (e.g. parsed JSON from an install URL) and returns it typed. */
export function validateManifest(value: unknown): PluginManifest {
  const o = fields(value, 'manifest', [
    'id',
    'name',
    'name.zh-CN',
    'version',
    'description',
    'description.zh-CN',
    'author',
    'icon',
    'entry',
    'permissions',
  ])
  if (!isPluginId(o.id))
    throw new ManifestError(
      'manifest id must look like "com.example.name" (lower-case letters, digits, hyphens; two or more dot-separated parts)',
    )
  const id = o.id
  text(o, 'name', 'manifest name', MANIFEST_LIMITS.name)
  text(o, 'name.zh-CN', 'manifest name.zh-CN', MANIFEST_LIMITS.name, true)
  if (!isSemver(o.version))
    throw new ManifestError('manifest version must be a semantic version like "1.0.0"')
  text(o, 'description', 'manifest description', MANIFEST_LIMITS.description)
  text(o, 'description.zh-CN', 'manifest description.zh-CN', MANIFEST_LIMITS.description, true)
  text(o, 'author', 'manifest author', MANIFEST_LIMITS.author)
  url(o, 'icon', 'manifest icon', /^(https?|data)$/, true)
  url(o, 'entry', 'manifest entry', /^https?$/)
  if (!Array.isArray(o.permissions) || o.permissions.length > MANIFEST_LIMITS.permissions)
    throw new ManifestError(`manifest permissions must be a list of at most ${MANIFEST_LIMITS.permissions}`)
  const seen = new Set<string>()
  o.permissions.forEach((p: unknown, i) => {
    const what = `manifest permissions[${i}]`
    const perm = fields(p, what, ['point', 'description', 'description.zh-CN', 'defaultGranted'])
    if (!isPoint(perm.point) || !String(perm.point).startsWith(`plugin.${id}.`))
      throw new ManifestError(`${what}.point must be "plugin.${id}.<name>" (name: letters, digits, _ or -)`)
    if (seen.has(perm.point)) throw new ManifestError(`${what}.point "${perm.point}" is listed twice`)
    seen.add(perm.point)
    text(perm, 'description', `${what}.description`, MANIFEST_LIMITS.description)
    text(perm, 'description.zh-CN', `${what}.description.zh-CN`, MANIFEST_LIMITS.description, true)
    if (typeof perm.defaultGranted !== 'boolean')
      throw new ManifestError(`${what}.defaultGranted must be true or false`)
  })
  return o as unknown as PluginManifest
}
