// 在线状态与“正在输入”的简体中文（typed against presence.en.ts）。
import type { PresenceSchema } from './presence.en'

export const presenceZhCN: PresenceSchema = {
  everyone: '所有人',
  roleHeading: '{role} — {online}/{total} 在线',
  online: '在线',
  offline: '离线',
  you: '（你）',
  owner: '群主',
  typingOne: '{name} 正在输入…',
  typingTwo: '{first} 和 {second} 正在输入…',
  typingMany: '多人正在输入…',
}
