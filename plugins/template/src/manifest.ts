import type { PluginManifest } from '@tailmesh/plugin-sdk'

// What the manager shows before installing, and what the built manifest.json holds.
export const manifest: PluginManifest = {
  id: 'com.example.guestbook',
  name: 'Guestbook',
  'name.zh-CN': '留言簿',
  version: '1.0.0',
  description: 'A panel where every member signs once, a /wave command and its card. The plugin template.',
  'description.zh-CN': '每位成员签名一次的面板、/wave 命令及其卡片。插件模板。',
  author: 'Tailmesh examples',
  entry: './index.js',
  permissions: [
    {
      point: 'plugin.com.example.guestbook.pin',
      description: "Pin a note to the top of the group's guestbooks",
      'description.zh-CN': '在群组留言簿顶部置顶一条留言',
      defaultGranted: true,
    },
  ],
}
