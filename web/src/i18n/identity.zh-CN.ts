// 身份备份与恢复：简体中文，按英文的结构定型。
import type { IdentitySchema } from './identity.en'

export const identityZhCN: IdentitySchema = {
  link: '备份',
  title: '身份备份',
  intro:
    '你的身份是一把只保存在本设备上的密钥。没有备份而失去所有设备，身份就会丢失。文件中不含群组：恢复后请通过邀请重新加入。',
  yourId: '你的 ID',
  passphrase: '口令',
  repeat: '再次输入口令',
  download: '下载备份',
  working: '处理中…',
  mismatch: '两次输入的口令不一致。',
  empty: '请设置口令。',
  saved: '备份已保存为 {file}。',
  restoreTitle: '从备份恢复',
  restoreIntro: '已经有身份了？从备份文件恢复。',
  file: '备份文件',
  restore: '恢复',
  noFile: '请选择备份文件。',
}
