// Picking a plugin's text for the app's language; `en` is always there and the fallback.
import type { Locale, LocaleStrings } from './context'

export function pickLocale(strings: LocaleStrings, locale: Locale): string {
  return (locale === 'zh-CN' ? strings['zh-CN'] : undefined) ?? strings.en
}

/** A manifest's name in the app's language. */
export function manifestName(manifest: { name: string; 'name.zh-CN'?: string }, locale: Locale): string {
  return (locale === 'zh-CN' ? manifest['name.zh-CN'] : undefined) ?? manifest.name
}
