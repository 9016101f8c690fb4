// The emoji catalog for a language, loaded once on first use (the picker opening, `:` completion or
// a shortcode in a sent message): emoji-picker-element-data's JSON files are build assets of the
// app, fetched from its own origin (and precached by the service worker for offline use), never from
// a CDN. English carries the shortcodes; another language adds its names and keywords.
import enUrl from 'emoji-picker-element-data/en/emojibase/data.json?url'
import zhUrl from 'emoji-picker-element-data/zh/cldr/data.json?url'
import { buildCatalog, type EmojiCatalog, type RawEmoji } from './catalog'
import { supportedVersion } from './font-support'

const LOCAL_FILES: Record<string, string> = { 'zh-CN': zhUrl }

async function fetchJson(url: string): Promise<RawEmoji[]> {
  const res = await fetch(url)
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`)
  return (await res.json()) as RawEmoji[]
}

/** Each version's first emoji, versions ascending: what the font check draws. */
function samples(raw: readonly RawEmoji[]): { version: number; emoji: string }[] {
  const first = new Map<number, string>()
  for (const e of raw)
    if (e.version !== undefined && e.group !== 2 && !first.has(e.version)) first.set(e.version, e.emoji)
  return [...first].sort((a, b) => a[0] - b[0]).map(([version, emoji]) => ({ version, emoji }))
}

let english: Promise<RawEmoji[]> | null = null
const catalogs = new Map<string, Promise<EmojiCatalog>>()
let maxVersion: number | null = null

/** The catalog in a language (English for any without its own file). A failed load is tried again next time. */
export function loadEmojiCatalog(locale: string): Promise<EmojiCatalog> {
  const key = LOCAL_FILES[locale] ? locale : 'en'
  let p = catalogs.get(key)
  if (!p) {
    english ??= fetchJson(enUrl)
    const local = LOCAL_FILES[key]
    p = Promise.all([english, local ? fetchJson(local) : undefined]).then(([base, here]) => {
      maxVersion ??= supportedVersion(samples(base))
      return buildCatalog(base, here, maxVersion)
    })
    p.catch(() => {
      english = null
      catalogs.delete(key)
    })
    catalogs.set(key, p)
  }
  return p
}
