// Every text the notes panel shows, in English and Simplified Chinese (the plugin carries its own strings).
export const S = {
  panelName: { en: 'Notes', 'zh-CN': '笔记' },
  panelDescription: {
    en: 'Markdown notes the whole group edits together',
    'zh-CN': '全群成员共同编辑的 Markdown 笔记',
  },
  editor: { en: 'Notes (Markdown)', 'zh-CN': '笔记（Markdown）' },
  placeholder: {
    en: 'Write here: everyone in this panel sees and edits the same notes.',
    'zh-CN': '在此书写：此面板中的每个人都能看到并编辑同一份笔记。',
  },
  preview: { en: 'Preview', 'zh-CN': '预览' },
  readOnly: {
    en: 'You can read these notes but not edit them here.',
    'zh-CN': '你可以阅读这些笔记，但不能在此编辑。',
  },
  empty: { en: 'Nothing written yet.', 'zh-CN': '还没有内容。' },
} as const
