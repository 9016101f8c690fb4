// vue-i18n in Composition mode. English is the default; the choice is kept in localStorage (a UI
// preference, not user data) and mirrored on <html lang> for screen readers. English (en.all.ts,
// where each *.en.ts part is listed) is built in; Simplified Chinese (zh-CN.all.ts) loads when
// chosen — before the first screen when it was the saved choice — so the app shell carries one
// language.
import { createI18n } from 'vue-i18n'
import { enAll, type AllMessages } from './en.all'

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

export const i18n = createI18n<[AllMessages], Locale, false>({
  legacy: false,
  locale: savedLocale(),
  fallbackLocale: 'en',
  messages: {
    en: enAll,
    // zh-CN is set (setLocaleMessage) before it is ever the locale: loadMessages below.
  } as Record<Locale, AllMessages>,
})

/**
 * Messages of a lazily loaded area (calls/), in every language, merged now and again whenever a
 * language's messages are (re)set, so the area's strings stay out of the app shell.
 */
const lateParts: Partial<Record<Locale, Record<string, unknown>>>[] = []
export function addMessages(part: Partial<Record<Locale, Record<string, unknown>>>): void {
  lateParts.push(part)
  for (const [locale, messages] of Object.entries(part))
    i18n.global.mergeLocaleMessage(locale as Locale, messages as never)
}

/** Loads a language's messages once (English is always there). */
const loading = new Map<Locale, Promise<void>>()
function loadMessages(locale: Locale): Promise<void> {
  if (locale === 'en') return Promise.resolve()
  let p = loading.get(locale)
  if (!p) {
    p = import('./zh-CN.all').then((m) => {
      i18n.global.setLocaleMessage(locale, m.zhCNAll)
      for (const part of lateParts)
        if (part[locale]) i18n.global.mergeLocaleMessage(locale, part[locale] as never)
    })
    // A failed load (chunk unreachable) is tried again by the next switch.
    p.catch(() => loading.delete(locale))
    loading.set(locale, p)
  }
  return p
}

/** Switches the language once its messages are loaded (at once for English or a loaded one). */
export async function setLocale(locale: Locale): Promise<void> {
  await loadMessages(locale)
  i18n.global.locale.value = locale
  document.documentElement.lang = locale
  try {
    localStorage.setItem(STORAGE_KEY, locale)
  } catch {
    // not kept: the switch still applies to this session
  }
}

// The saved language is in place before anything renders (the app waits for this module).
if (i18n.global.locale.value !== 'en') {
  try {
    await loadMessages(i18n.global.locale.value)
  } catch {
    i18n.global.locale.value = 'en' // its messages cannot be loaded: English rather than keys
  }
}

export { isLocale }
