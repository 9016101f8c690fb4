// The registry, the API scope and the loader through a real dynamic import: the template plugin
// bundled with esbuild into a temporary folder and imported by file URL, as the app imports a URL.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { CardActionEvent, MessageEvent, PluginManifest } from '@tailmesh/plugin-sdk'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { buildTemplate } from '@tailmesh/plugin-template/build'
import { manifest as templateManifest } from '@tailmesh/plugin-template/manifest'
import type { HostServices } from './api'
import { InstalledPlugins } from './installed'
import { PluginHost, importFromUrl, type PluginSource } from './loader'
import { PluginRegistry } from './registry'

let dir: string
let templateUrl: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tailmesh-plugins-'))
  const { entryFile } = await buildTemplate(dir)
  templateUrl = pathToFileURL(entryFile).href
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function services(): HostServices & {
  emit(e: MessageEvent): void
  press(pluginId: string, e: CardActionEvent): void
} {
  const listeners = new Set<(e: MessageEvent) => void>()
  const presses = new Map<string, (e: CardActionEvent) => void>()
  return {
    me: () => ({ userId: 'u', nickname: 'Me' }),
    locale: () => 'en',
    t: (s) => s.en,
    onMessage: (fn) => (listeners.add(fn), () => listeners.delete(fn)),
    onCardAction: (pluginId, fn) => (presses.set(pluginId, fn), () => presses.delete(pluginId)),
    openPanel: () => {},
    frame: () => {
      throw new Error('no DOM here')
    },
    panels: () => [],
    onPanelsChange: () => () => {},
    panelState: () => Promise.reject(new Error('no groups here')),
    notify: () => Promise.resolve(false),
    storage: () => ({ get: () => undefined, set: () => {}, remove: () => {} }),
    inbox: () => ({ push: () => {}, remove: () => {} }),
    emit: (e) => listeners.forEach((fn) => fn(e)),
    press: (pluginId, e) => presses.get(pluginId)?.(e),
  }
}

/** A plugin module on disk (plain JS, shaped as definePlugin makes it). */
function moduleFile(name: string, manifest: PluginManifest, activate: string): string {
  const file = join(dir, `${name}.mjs`)
  writeFileSync(
    file,
    `export default { kind: 'tailmesh.plugin/1', manifest: ${JSON.stringify(manifest)}, activate(api) { ${activate} } }`,
  )
  return pathToFileURL(file).href
}

const manifestOf = (id: string): PluginManifest => ({ ...templateManifest, id, name: id, permissions: [] })
const fromUrl = (manifest: PluginManifest, url: string): PluginSource => ({
  manifest,
  builtin: false,
  load: importFromUrl(url, (u) => import(/* @vite-ignore */ u)),
})

describe('plugin loader', () => {
  it('imports the bundled template by URL and registers its panel type, command and card', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const registry = new PluginRegistry()
    const host = new PluginHost(registry, services())
    expect(await host.activate(fromUrl(templateManifest, templateUrl))).toBe(true)
    expect(host.status(templateManifest.id).state).toBe('active')
    expect(registry.typed('panelType', templateManifest.id, 'guestbook')?.name.en).toBe('Guestbook')
    expect(registry.get('command', 'wave')?.pluginId).toBe(templateManifest.id)
    expect(registry.typed('card', templateManifest.id, 'wave')).toBeDefined()

    host.deactivate(templateManifest.id)
    expect(registry.ofPlugin(templateManifest.id)).toEqual([])
    expect(host.status(templateManifest.id).state).toBe('inactive')
  })

  it('reports a plugin that throws in activate, keeps nothing it registered, and others still load', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    const registry = new PluginRegistry()
    const host = new PluginHost(registry, services())
    const bad = manifestOf('com.example.bad')
    const url = moduleFile(
      'bad',
      bad,
      `api.registerCommand({ name: 'bad', description: { en: 'x' }, run() {} }); throw new Error('boom in activate')`,
    )
    expect(await host.activate(fromUrl(bad, url))).toBe(false)
    expect(host.status(bad.id)).toMatchObject({
      state: 'failed',
      problems: [{ phase: 'activate', message: 'boom in activate' }],
    })
    expect(registry.get('command', 'bad')).toBeUndefined()
    expect(errors).toHaveBeenCalled()
    expect(await host.activate(fromUrl(templateManifest, templateUrl))).toBe(true)
  })

  it('refuses a module that is not a plugin, one that does not match its manifest, and a missing one', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const host = new PluginHost(new PluginRegistry(), services())
    const m = manifestOf('com.example.plain')
    const plain = join(dir, 'plain.mjs')
    writeFileSync(plain, 'export const x = 1')
    expect(await host.activate(fromUrl(m, pathToFileURL(plain).href))).toBe(false)
    expect(host.status(m.id).problems[0]).toMatchObject({ phase: 'load', message: /definePlugin/ })

    const other = manifestOf('com.example.other')
    expect(await host.activate(fromUrl(other, templateUrl))).toBe(false)
    expect(host.status(other.id).problems[0]?.message).toMatch(/module is com.example.guestbook 1.0.0/)

    const gone = manifestOf('com.example.gone')
    expect(await host.activate(fromUrl(gone, pathToFileURL(join(dir, 'nope.mjs')).href))).toBe(false)
    expect(host.status(gone.id).state).toBe('failed')
  })

  it('a listener that throws is reported against its plugin and the feed goes on', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const svc = services()
    const host = new PluginHost(new PluginRegistry(), svc)
    const a = manifestOf('com.example.a')
    const b = manifestOf('com.example.b')
    await host.activate(
      fromUrl(a, moduleFile('a', a, `api.host.onMessage(() => { throw new Error('a broke') })`)),
    )
    await host.activate(
      fromUrl(b, moduleFile('b', b, `api.host.onMessage((e) => { globalThis.__seenByB = e.messageId })`)),
    )
    svc.emit({ messageId: 'm1' } as MessageEvent)
    expect((globalThis as { __seenByB?: string }).__seenByB).toBe('m1')
    expect(host.status(a.id)).toMatchObject({
      state: 'active',
      problems: [{ phase: 'runtime', message: 'a broke' }],
    })
  })

  it('a card-action handler that throws or rejects is reported against its plugin', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const svc = services()
    const host = new PluginHost(new PluginRegistry(), svc)
    const c = manifestOf('com.example.c')
    await host.activate(
      fromUrl(
        c,
        moduleFile(
          'c',
          c,
          `api.onCardAction(async (e) => { throw new Error('no answer to ' + e.actionId) })`,
        ),
      ),
    )
    svc.press(c.id, { actionId: 'approve' } as CardActionEvent)
    await expect
      .poll(() => host.status(c.id).problems)
      .toMatchObject([{ phase: 'runtime', message: 'no answer to approve' }])
    // Deactivated, it hears nothing more (its listener is taken back).
    host.deactivate(c.id)
    svc.press(c.id, { actionId: 'reject' } as CardActionEvent)
    await Promise.resolve()
    expect(host.status(c.id).problems).toEqual([])
  })
})

describe('plugin registry and API checks', () => {
  it('one slash command per name across plugins; the second plugin is told who has it', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const registry = new PluginRegistry()
    const host = new PluginHost(registry, services())
    await host.activate(fromUrl(templateManifest, templateUrl))
    const rival = manifestOf('com.example.rival')
    const url = moduleFile(
      'rival',
      rival,
      `api.registerCommand({ name: 'wave', description: { en: 'x' }, run() {} })`,
    )
    expect(await host.activate(fromUrl(rival, url))).toBe(false)
    expect(host.status(rival.id).problems[0]?.message).toBe(
      'command "wave" is already registered by com.example.guestbook',
    )
  })

  it.each([
    [
      'a panel type with markup in its name',
      `api.registerPanelType({ type: '<b>', name: { en: 'x' }, mount() {} })`,
      /panel type "<b>" is not allowed/,
    ],
    [
      'a theme colour that is not a colour',
      `api.registerTheme({ id: 't', name: { en: 't' }, scheme: 'dark', colors: { accent: 'url(evil)' } })`,
      /theme colour "accent"/,
    ],
    [
      'a reserved panel config key',
      `api.registerPanelType({ type: 'p', name: { en: 'x' }, config: [{ key: 'pluginId', label: { en: 'x' }, kind: 'text' }], mount() {} })`,
      /reserved/,
    ],
    [
      'a command with capitals',
      `api.registerCommand({ name: 'Wave', description: { en: 'x' }, run() {} })`,
      /command name "Wave"/,
    ],
  ])('refuses %s', async (_what, code, reason) => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const host = new PluginHost(new PluginRegistry(), services())
    const m = manifestOf(`com.example.check${Math.random().toString(36).slice(2, 8)}`)
    expect(await host.activate(fromUrl(m, moduleFile(m.id, m, code)))).toBe(false)
    expect(host.status(m.id).problems[0]?.message).toMatch(reason)
  })
})

describe('installed plugins (per device)', () => {
  it('keeps installs and switches in storage, and drops an entry that no longer validates', () => {
    const data = new Map<string, string>()
    const store = {
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => void data.set(k, v),
    }
    const a = new InstalledPlugins(store)
    a.add({ manifest: templateManifest, manifestUrl: 'http://x.test/p/manifest.json', installedAt: 1 })
    a.setEnabled(templateManifest.id, false)
    a.setEnabled('com.tailmesh.theme-dark', false)
    const b = new InstalledPlugins(store)
    expect(b.get(templateManifest.id)?.manifestUrl).toBe('http://x.test/p/manifest.json')
    expect(b.isEnabled(templateManifest.id)).toBe(false)
    expect(b.isEnabled('com.tailmesh.theme-dark')).toBe(false)
    expect(b.isEnabled('com.tailmesh.web-panel')).toBe(true)

    const saved = JSON.parse(data.get('tailmesh.plugins')!)
    saved.installed[0].manifest.entry = 'javascript:alert(1)'
    data.set('tailmesh.plugins', JSON.stringify(saved))
    expect(new InstalledPlugins(store).list()).toEqual([])
  })
})
