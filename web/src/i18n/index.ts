// vue-i18n in Composition mode. English is the default; the choice is kept in localStorage (a UI
// preference, not user data) and mirrored on <html lang> for screen readers.
import { createI18n } from 'vue-i18n'
import { en, type MessageSchema } from './en'
import { enMessagesUi, type MessagesUiSchema } from './messages-ui.en'
import { zhCNMessagesUi } from './messages-ui.zh-CN'
import { zhCN } from './zh-CN'

export const LOCALES = [
  { code: 'en', label: 'English' },
  { code: 'zh-CN', label: '中文' },
] as const
export type Locale = (typeof LOCALES)[number]['code']

const STORAGE_KEY = 'tailmesh.locale'

const isLocale = (v: unknown): v is Locale => LOCALES.some((l) => l.code === v)

function savedLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY)
    if (isLocale(saved)) return saved
  } catch {
    // storage unavailable: fall through to the default
  }
  return 'en'
}

export const i18n = createI18n<[MessageSchema & MessagesUiSchema], Locale, false>({
  legacy: false,
  locale: savedLocale(),
  fallbackLocale: 'en',
  messages: { en: { ...en, ...enMessagesUi }, 'zh-CN': { ...zhCN, ...zhCNMessagesUi } },
})

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale
  document.documentElement.lang = locale
  try {
    localStorage.setItem(STORAGE_KEY, locale)
  } catch {
    // not kept: the switch still applies to this session
  }
}

export { isLocale }
