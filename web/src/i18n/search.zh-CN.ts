import type { SearchSchema } from './search.en'

export const searchZhCN: SearchSchema = {
  link: '搜索',
  title: '搜索消息',
  intro: '在本设备上的消息中搜索，涵盖所有群组。不会发送到任何地方。',
  query: '搜索内容',
  panel: '频道',
  anyPanel: '所有频道',
  author: '发送者',
  anyAuthor: '任何人',
  indexing: '正在读取本设备上的消息…',
  indexed: '本设备上还没有消息 | 本设备上有 1 条消息 | 本设备上有 {n} 条消息',
  results: '没有结果 | 1 条结果 | {n} 条结果',
  where: '{group} › #{panel}',
  open: '打开 {author} 在 {group} #{panel} 中的消息：{excerpt}',
}
