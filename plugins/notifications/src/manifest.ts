import type { PluginManifest } from '@tailmesh/plugin-sdk'

export const manifest: PluginManifest = {
  id: 'com.tailmesh.notifications',
  name: 'Desktop notifications',
  'name.zh-CN': '桌面通知',
  version: '1.0.0',
  description:
    'Shows a desktop notification for mentions and direct messages while Tailmesh is in the background.',
  'description.zh-CN': '当 Tailmesh 在后台时，为提及和私信显示桌面通知。',
  author: 'Tailmesh',
  entry: './index.js',
  permissions: [],
}
