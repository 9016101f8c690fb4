// Cards with buttons in Simplified Chinese (typed against cards.en.ts).
import type { CardsSchema } from './cards.en'

export const cardsZhCN: CardsSchema = {
  controls: '此卡片上的操作',
  closed: '此卡片已关闭：作者已将其关闭。',
  notListed: '只有此卡片列出的角色和成员可以操作。',
  pending: '此卡片仍在同步中，同步完成后按钮即可使用。',
  noAccess: '你不能在此面板中操作卡片。',
  forwarded: '这是转发的副本：按钮只在原消息上有效。',
  pressed: '你选择了此项',
  sending: '正在发送…',
  failed: '发送失败：{reason}',
  choose: '请选择…',
}
