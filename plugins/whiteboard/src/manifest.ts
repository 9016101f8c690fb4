import type { PluginManifest } from '@tailmesh/plugin-sdk'

export const WHITEBOARD_ID = 'com.tailmesh.whiteboard'
/** The point every write to the board needs (with viewPanel): its entries are named `…#draw`. */
export const DRAW_POINT = `plugin.${WHITEBOARD_ID}.draw`

export const manifest: PluginManifest = {
  id: WHITEBOARD_ID,
  name: 'Whiteboard',
  'name.zh-CN': '白板',
  version: '1.0.0',
  description: 'A whiteboard panel the group draws on together: pen, shapes, text and sticky notes.',
  'description.zh-CN': '全群成员一起绘制的白板面板：画笔、图形、文字和便利贴。',
  author: 'Tailmesh',
  entry: './index.js',
  permissions: [
    {
      point: DRAW_POINT,
      description: 'Draw, write and move things on whiteboards',
      'description.zh-CN': '在白板上绘制、书写和移动内容',
      defaultGranted: true,
    },
  ],
}
