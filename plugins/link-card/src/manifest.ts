import type { PluginManifest } from '@tailmesh/plugin-sdk'

export const manifest: PluginManifest = {
  id: 'com.tailmesh.link-card',
  name: 'Link cards',
  'name.zh-CN': '链接卡片',
  version: '1.0.0',
  description:
    'Under a message with a web link, a small card with the site and the address. Nothing is fetched: the page never learns you saw the link.',
  'description.zh-CN':
    '在含网页链接的消息下方显示一张小卡片，列出网站和网址。不抓取任何内容：对方网页不会知道你看到了链接。',
  author: 'Tailmesh',
  entry: './index.js',
  permissions: [],
}
