import type { PluginManifest } from '@tailmesh/plugin-sdk'

export const manifest: PluginManifest = {
  id: 'com.tailmesh.poll',
  name: 'Polls',
  'name.zh-CN': '投票',
  version: '1.0.0',
  description: 'Ask the group a question: a poll card in the chat, one vote per member.',
  'description.zh-CN': '向群组提问：在聊天中发出投票卡片，每位成员一票。',
  author: 'Tailmesh',
  entry: './index.js',
  permissions: [],
}
