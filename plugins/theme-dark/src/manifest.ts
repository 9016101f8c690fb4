import type { PluginManifest } from '@tailmesh/plugin-sdk'

export const manifest: PluginManifest = {
  id: 'com.tailmesh.theme-dark',
  name: 'Dark theme',
  'name.zh-CN': '深色主题',
  version: '1.0.0',
  description: 'A dark colour scheme, easy on the eyes at night.',
  'description.zh-CN': '深色配色，适合夜间使用。',
  author: 'Tailmesh',
  entry: './index.js',
  permissions: [],
}
