import type { PluginManifest } from '@tailmesh/plugin-sdk'

export const manifest: PluginManifest = {
  id: 'com.tailmesh.calendar',
  name: 'Calendar',
  'name.zh-CN': '日历',
  version: '1.0.0',
  description:
    'A calendar panel: events with time zones and weekly repeats, RSVPs, reminders, and .ics export.',
  'description.zh-CN': '日历面板：带时区和每周重复的活动、出席回复、提醒以及 .ics 导出。',
  author: 'Tailmesh',
  entry: './index.js',
  permissions: [
    {
      point: 'plugin.com.tailmesh.calendar.createEvent',
      description: 'Create, edit and delete calendar events',
      'description.zh-CN': '创建、编辑和删除日历活动',
      defaultGranted: false,
    },
  ],
}
