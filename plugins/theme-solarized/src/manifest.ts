import type { PluginManifest } from '@tailmesh/plugin-sdk'

export const manifest: PluginManifest = {
  id: 'com.tailmesh.theme-solarized',
  name: 'Solarized themes',
  'name.zh-CN': 'Solarized 主题',
  version: '1.0.0',
  description: "Ethan Schoonover's Solarized palette, light and dark.",
  'description.zh-CN': 'Ethan Schoonover 的 Solarized 配色，浅色与深色。',
  author: 'Tailmesh',
  entry: './index.js',
  permissions: [],
}
