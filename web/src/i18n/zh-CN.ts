// 简体中文. Typed against the English messages, so a missing or extra key fails the type check.
import type { MessageSchema } from './en'

export const zhCN: MessageSchema = {
  app: {
    name: 'Tailmesh',
    home: 'Tailmesh 首页',
    skipToContent: '跳到主要内容',
    signedInAs: '当前身份：{nickname}',
  },
  language: {
    label: '语言',
  },
  welcome: {
    title: '欢迎使用 Tailmesh',
    intro: '点对点地与你的群组聊天。先选一个昵称吧。',
    nickname: '昵称',
    nicknameHint: '1 到 32 个字符，群组中的其他人会看到它。',
    continue: '继续',
    creating: '正在创建你的身份…',
    keptHere: '你的身份是一把只保存在本设备上的密钥。如果丢失了所有设备又没有备份，它就无法找回。',
  },
  home: {
    title: '我的群组',
    groups: '群组',
    empty: '还没有群组。创建一个，或打开邀请链接。',
    createGroup: '创建群组',
    notKept: '预览版：群组只保留到页面重新加载为止。你的身份会被保留。',
  },
  createGroup: {
    title: '创建群组',
    name: '群组名称',
    nameHint: '1 到 100 个字符。',
    create: '创建',
    cancel: '取消',
  },
  group: {
    panels: '面板',
    members: '成员',
    notHere: '这个群组没有在本设备上打开。',
    backHome: '返回我的群组',
    messagesIn: '{panel} 中的消息',
    noMessages: '还没有消息，打个招呼吧！',
    pending: '待发送',
    pendingHint: '尚未送达：在到达其他节点之前，它保存在本设备上。',
    recalled: '此消息已撤回。',
    deleted: '此消息已删除。',
    connection: '连接',
    relayOnline: '已连接中继',
    relayOffline: '无法连接中继：新消息保存在本设备上',
    peers: '没有直连的节点 | 直连 1 个节点 | 直连 {n} 个节点',
  },
  composer: {
    label: '发送消息到 #{panel}',
    placeholder: '发送消息到 #{panel}（Enter 发送，Shift+Enter 换行）',
    placeholderShort: '发送到 #{panel}',
    send: '发送',
  },
  invite: {
    copy: '复制邀请链接',
    link: '邀请链接',
    copied: '邀请链接已复制。',
    copyFailed: '无法复制：请选中链接后手动复制。',
  },
  join: {
    title: '加入群组',
    invalid: '这个邀请链接无效。',
    waiting: '正在查找群组… 需要有成员在线才能让你加入。',
    groupName: '你被邀请加入 {name}',
    waitingInvite: '正在群组中查找你的邀请…',
    join: '加入',
    joining: '正在加入…',
    alreadyMember: '你已是 {name} 的成员。',
    open: '打开群组',
  },
  errors: {
    generic: '出错了：{message}',
  },
}
