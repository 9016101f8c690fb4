// 应用外框（左侧群组栏、右侧固定频道、窄屏切换、群组模板、系统消息）的简体中文（typed against layout.en.ts）。
import type { LayoutSchema } from './layout.en'

export const layoutZhCN: LayoutSchema = {
  rail: {
    label: '聊天',
    home: '首页',
    homeTip: '首页与私信',
    createGroup: '创建群组',
    join: '打开邀请链接',
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
    groups: '群组',
  },
  header: {
    search: '搜索',
    friends: '好友',
  },
  update: {
    available: 'Tailmesh 的新版本已就绪。',
    reload: '重新加载',
    later: '稍后',
  },
  me: {
    open: '账户菜单：{name}',
    prefix: '账户菜单：',
    label: '我的账户',
    profile: '个人资料与状态',
    signOut: '在此设备上退出',
    signOutConfirm:
      '要在此设备上退出吗？你的身份、群组和设置将从此浏览器中删除。你的其他设备和群组不受影响。如果没有备份或其他已关联的设备，你的身份将会丢失。',
  },
  join: {
    title: '打开邀请链接',
    link: '邀请链接',
    hint: '粘贴别人发给你的链接。加入前可以先看到群组。',
    invalid: '这不是邀请链接：其中没有 #/join/ 部分。',
    open: '打开邀请',
  },
  members: {
    search: '搜索成员',
    noMatch: '没有与“{query}”匹配的成员。',
    matches: '没有匹配的成员 | 1 名成员匹配 | {n} 名成员匹配',
    count: '{total} 名成员，{online} 人在线',
    offline: '{n} 人离线',
    keys: '按下方向键进入成员列表；用方向键、Home 和 End 在成员之间移动。',
  },
  card: {
    label: '{name} 的资料',
    open: '{name} 的资料',
    roles: '角色',
    noRoles: '没有角色',
    message: '发消息',
    addFriend: '加为好友',
    friendAdded: '好友请求已发送。',
    moderate: '在群组设置中管理',
    close: '关闭',
    you: '这是你自己。',
  },
  message: {
    more: '更多消息操作',
    copyLink: '复制链接',
    linkCopied: '链接已复制。',
  },
  dm: {
    title: '与 {name} 的私信',
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
