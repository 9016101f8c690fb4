import type { PluginManifest } from '@tailmesh/plugin-sdk'

export const manifest: PluginManifest = {
  id: 'com.tailmesh.github',
  name: 'GitHub cards',
  'name.zh-CN': 'GitHub 卡片',
  version: '1.0.0',
  description:
    'Draws the webhook bot’s GitHub messages (issues, pull requests, releases, comments) as cards with links.',
  'description.zh-CN':
    '把 Webhook 机器人发来的 GitHub 消息（议题、拉取请求、版本发布、评论）显示为带链接的卡片。',
  author: 'Tailmesh',
  entry: './index.js',
  permissions: [],
}
