import { describe, expect, it } from 'vitest'
import { definePlugin, pluginFromModule } from './define'
import { ManifestError, validateManifest, type PluginManifest } from './manifest'

const good: PluginManifest = {
  id: 'com.example.hello',
  name: 'Hello',
  'name.zh-CN': '你好',
  version: '1.2.0-beta.1',
  description: 'Says hello',
  author: 'Example',
  entry: './hello.js',
  permissions: [{ point: 'plugin.com.example.hello.wave', description: 'Wave', defaultGranted: true }],
}

describe('validateManifest', () => {
  it('accepts a complete manifest and returns it', () => {
    expect(validateManifest(structuredClone(good))).toEqual(good)
  })

  it.each([
    ['id', { id: 'Hello' }, /id must look like/],
    ['one-part id', { id: 'hello' }, /id must look like/],
    ['version', { version: '1.0' }, /semantic version/],
    ['empty name', { name: ' ' }, /name must be non-empty/],
    ['author', { author: undefined }, /author must be non-empty/],
    ['javascript entry', { entry: 'javascript:alert(1)' }, /may not use "javascript:"/],
    ['data entry', { entry: 'data:text/javascript,1' }, /may not use "data:"/],
    ['unknown field', { extra: 1 }, /unknown field "extra"/],
    [
      "another plugin's point",
      { permissions: [{ point: 'plugin.com.other.x.y', description: 'd', defaultGranted: false }] },
      /must be "plugin.com.example.hello.<name>"/,
    ],
    ['duplicate point', { permissions: [good.permissions[0], good.permissions[0]] }, /listed twice/],
    [
      'defaultGranted missing',
      { permissions: [{ point: 'plugin.com.example.hello.x', description: 'd' }] },
      /defaultGranted must be true or false/,
    ],
  ])('refuses a bad %s with the reason', (_what, patch, reason) => {
    const m = { ...structuredClone(good), ...patch } as Record<string, unknown>
    for (const [k, v] of Object.entries(patch)) if (v === undefined) delete m[k]
    expect(() => validateManifest(m)).toThrow(ManifestError)
    expect(() => validateManifest(m)).toThrow(reason)
  })

  it('refuses what is not an object', () => {
    expect(() => validateManifest('nope')).toThrow('manifest must be an object')
  })
})

describe('pluginFromModule', () => {
  it('takes a definePlugin default export', () => {
    const plugin = definePlugin({ manifest: good, activate: () => {} })
    expect(pluginFromModule({ default: plugin })).toBe(plugin)
  })

  it('refuses a module without one, or with a broken manifest', () => {
    expect(() => pluginFromModule({ default: { manifest: good, activate() {} } })).toThrow(/definePlugin/)
    const broken = definePlugin({ manifest: { ...good, version: 'x' }, activate: () => {} })
    expect(() => pluginFromModule({ default: broken })).toThrow(/semantic version/)
  })
})
