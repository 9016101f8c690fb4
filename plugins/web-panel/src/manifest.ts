import type { PluginManifest } from '@tailmesh/plugin-sdk'

export const manifest: PluginManifest = {
  id: 'com.tailmesh.web-panel',
  name: 'Web panel',
  'name.zh-CN': '网页面板',
  version: '1.0.0',
  description: 'A group panel that shows a web page (in a sandboxed frame).',
  'description.zh-CN': '在群组面板中显示一个网页（沙箱隔离）。',
  author: 'Tailmesh',
  entry: './index.js',
  permissions: [],
}
