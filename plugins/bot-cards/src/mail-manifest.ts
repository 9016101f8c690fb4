import type { PluginManifest } from '@tailmesh/plugin-sdk'

export const manifest: PluginManifest = {
  id: 'com.tailmesh.email',
  name: 'Mail cards',
  'name.zh-CN': '邮件卡片',
  version: '1.0.0',
  description: 'Draws the mail the email bot posts as a card: subject, sender, date and the text.',
  'description.zh-CN': '把邮件机器人发来的邮件显示为卡片：主题、发件人、日期和正文。',
  author: 'Tailmesh',
  entry: './index.js',
  permissions: [],
}
