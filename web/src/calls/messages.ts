// The calls area's strings, in both languages, merged into vue-i18n when the calls chunk loads (every
// component of calls/ imports this), so they weigh nothing in the app shell.
import { addMessages } from '../i18n'
import { callsEn } from '../i18n/calls.en'
import { callsZhCN } from '../i18n/calls.zh-CN'

addMessages({ en: { calls: callsEn }, 'zh-CN': { calls: callsZhCN } })
