import type { PluginManifest } from '@tailmesh/plugin-sdk'

export const manifest: PluginManifest = {
  id: 'com.tailmesh.notes',
  name: 'Notes',
  'name.zh-CN': '笔记',
  version: '1.0.0',
  description: 'A notes panel in markdown that the whole group edits together.',
  'description.zh-CN': '一个全群成员共同编辑的 Markdown 笔记面板。',
  author: 'Tailmesh',
  entry: './index.js',
  permissions: [],
}
