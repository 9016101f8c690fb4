// Every text the poll shows, in English and Simplified Chinese (the plugin carries its own strings).
import type { LocaleStrings } from '@tailmesh/plugin-sdk'

export const S = {
  cardLabel: (q: string): LocaleStrings => ({ en: `Poll: ${q}`, 'zh-CN': `投票：${q}` }),
  optionLabel: (option: string, n: number, mine: boolean): LocaleStrings => ({
    en: `${option}, ${n} ${n === 1 ? 'vote' : 'votes'}${mine ? ', your vote' : ''}`,
    'zh-CN': `${option}，${n} 票${mine ? '，你的选择' : ''}`,
  }),
  total: (n: number): LocaleStrings => ({
    en: n === 1 ? '1 person voted' : `${n} people voted`,
    'zh-CN': `${n} 人已投票`,
  }),
  closed: { en: 'This poll is closed.', 'zh-CN': '此投票已结束。' },
  copy: {
    en: 'A forwarded copy: vote on the original.',
    'zh-CN': '这是转发的副本：请在原投票中投票。',
  },
  withdraw: { en: 'Withdraw my vote', 'zh-CN': '撤回我的投票' },
  close: { en: 'Close poll', 'zh-CN': '结束投票' },
  broken: {
    en: 'This poll card is damaged and cannot be shown.',
    'zh-CN': '此投票卡片已损坏，无法显示。',
  },
  loading: { en: 'Loading votes…', 'zh-CN': '正在加载投票…' },
  commandDescription: { en: 'Start a poll', 'zh-CN': '发起投票' },
  commandArgs: { en: '<question> | <option> | <option> …', 'zh-CN': '<问题> | <选项> | <选项> …' },
  actionLabel: { en: 'New poll', 'zh-CN': '新建投票' },
  template: { en: '/poll Question? | Option 1 | Option 2', 'zh-CN': '/poll 问题？| 选项 1 | 选项 2' },
} as const
