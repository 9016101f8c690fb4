// Reading a plugin's manifest from the URL a member pasted, before any of its code runs: the manager
// shows who made it, what it is and which permission points it asks for, and installs only on
// confirmation. No cookies or referrer go with the request.
import { validateManifest, type PluginManifest } from '@tailmesh/plugin-sdk'
import { isHttpUrl } from './frame'

const MAX_BYTES = 64 * 1024

export class InstallError extends Error {
  override name = 'InstallError'
}

export interface FetchedManifest {
  manifest: PluginManifest
  manifestUrl: string
  /** The entry, resolved against the manifest's URL. */
  entryUrl: string
}

export async function fetchManifest(url: string, fetcher: typeof fetch = fetch): Promise<FetchedManifest> {
  const trimmed = url.trim()
  if (!isHttpUrl(trimmed)) throw new InstallError('The address must start with http:// or https://.')
  let response: Response
  try {
    response = await fetcher(trimmed, {
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      cache: 'no-cache',
    })
  } catch {
    throw new InstallError('The manifest could not be fetched (offline, or the server does not allow it).')
  }
  if (!response.ok) throw new InstallError(`The server answered ${response.status} for the manifest.`)
  const text = await response.text()
  if (text.length > MAX_BYTES) throw new InstallError('The manifest is too large.')
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new InstallError('The address does not hold a JSON manifest.')
  }
  let manifest: PluginManifest
  try {
    manifest = validateManifest(json)
  } catch (e) {
    throw new InstallError(`The manifest is not valid: ${(e as Error).message}.`)
  }
  const manifestUrl = response.url || trimmed
  const entryUrl = new URL(manifest.entry, manifestUrl).href
  if (!isHttpUrl(entryUrl)) throw new InstallError('The plugin entry must be an http(s) URL.')
  return { manifest, manifestUrl, entryUrl }
}
