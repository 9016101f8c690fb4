// 应用外框（左侧群组栏、右侧固定频道、窄屏切换、群组模板、系统消息）的简体中文（typed against layout.en.ts）。
import type { LayoutSchema } from './layout.en'

export const layoutZhCN: LayoutSchema = {
  rail: {
    label: '聊天',
    home: '首页',
    createGroup: '创建群组',
    unread: '{name}，有未读',
    unnamed: '群组尚未同步',
  },
  pin: {
    pin: '固定到右侧',
    unpin: '取消固定',
    unpinNamed: '取消固定 #{name}',
    region: '固定的频道：#{name}',
  },
  narrow: {
    panels: '频道列表',
    members: '成员',
  },
  templates: {
    legend: '模板',
    blank: '空白：#general',
    community: '社区：#公告、#general、#闲聊，以及带网页的“资源”分类',
    study: '学习小组：#general、#作业、共享笔记',
    studyNoNotes: '学习小组：#general、#作业',
    panels: {
      general: 'general',
      announcements: '公告',
      offTopic: '闲聊',
      resources: '资源',
      guide: 'Tailmesh 指南',
      homework: '作业',
      notes: '笔记',
    },
    partial: '群组已创建，但部分频道未能创建：{message}',
  },
  system: {
    joined: '{who} 加入了群组',
    joinedVia: '{who} 通过 {via} 的邀请加入了群组',
    muted: '{who} 被禁言 {n} 分钟',
    kicked: '{who} 被 {by} 移出了群组',
    banned: '{who} 被封禁',
  },
}
