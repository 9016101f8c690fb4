// Friends and direct messages: Simplified Chinese, typed against the English (a missing key fails).
import type { FriendsSchema } from './friends.en'

export const friendsZhCN: FriendsSchema = {
  link: '好友',
  title: '好友',
  starting: '正在连接好友通道…',
  unavailable: '好友只保存在持有你身份密钥的设备上。',
  myCode: {
    title: '你的好友码',
    intro:
      '任何拿到此好友码或链接的人都可以向你发送好友请求，请只分享给认识的人。好友码部分不会发送到中继服务器。',
    code: '好友码',
    link: '好友链接',
    copyCode: '复制好友码',
    copyLink: '复制好友链接',
    copied: '已复制。',
    copyFailed: '无法复制：请选中文本后自行复制。',
    regenerate: '生成新的好友码',
    regenerateConfirm: '生成新的好友码？当前的好友码和链接将失效，你的好友会收到通知。',
    regenerated: '已生成新的好友码，旧的已失效。',
  },
  add: {
    title: '添加好友',
    label: '好友码或链接',
    send: '发送好友请求',
    sent: '请求已发送，对方下次上线时会看到。',
    invalid: '这不是有效的好友码或链接。',
    own: '这是你自己的好友码。',
    fromLink: '有人向你分享了好友链接。要向对方发送好友请求吗？',
    askFor: '向 {name} 要好友码或好友链接，然后粘贴到这里。',
  },
  requests: {
    incomingTitle: '好友请求',
    noIncoming: '没有好友请求。',
    wants: '{name} 想加你为好友',
    accept: '接受 {name}',
    deny: '拒绝 {name}',
    outgoingTitle: '已发送的请求',
    noOutgoing: '没有等待回复的请求。',
    waiting: '发给 {name}：等待回复',
    declined: '发给 {name}：已被拒绝',
  },
  list: {
    title: '你的好友',
    empty: '还没有好友。分享你的链接，或粘贴好友的链接。',
    message: '给 {name} 发消息',
  },
  groupDm: {
    title: '新建群聊私信',
    intro: '选择两位或更多好友一起聊天。',
    pick: '加入群聊私信的好友',
    create: '创建群聊私信',
  },
  dms: {
    title: '私信',
    empty: '还没有私信。可以在“好友”中添加好友。',
  },
}
