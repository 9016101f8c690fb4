// The emoji catalog the picker and `:shortcode:` completion work from, made from
// emoji-picker-element-data's files (Emojibase data, one per language): names and keywords in the
// reader's language, shortcodes always Emojibase's English ones (`:smile:` means 😄 whatever the
// language), skin-tone variants, and the categories in Unicode's order. Pure: unit-tested.

/** One entry of an emoji-picker-element-data file (the fields this app reads). */
export interface RawEmoji {
  emoji: string
  annotation?: string
  shortcodes?: string[]
  tags?: string[]
  group?: number
  order?: number
  version?: number
  skins?: { emoji: string; tone: number | number[] }[]
}

export interface Emoji {
  emoji: string
  /** In the reader's language (Emojibase's annotation). */
  name: string
  /** Emojibase's English shortcodes, without colons. */
  shortcodes: readonly string[]
  /** The name's words, the tags, and (in another language) the English name and tags: lowercased. */
  keywords: readonly string[]
  group: number
  version: number
  /** One variant per skin tone 1–5 (light … dark), when the emoji has them. */
  skins?: readonly string[]
}

/** Unicode's emoji groups, in order; group 2 (skin-tone and hair components) is not offered. */
export const EMOJI_GROUPS = [
  { id: 0, key: 'smileys', icon: '😀' },
  { id: 1, key: 'people', icon: '👋' },
  { id: 3, key: 'animals', icon: '🐱' },
  { id: 4, key: 'food', icon: '🍎' },
  { id: 5, key: 'travel', icon: '✈️' },
  { id: 6, key: 'activities', icon: '⚽' },
  { id: 7, key: 'objects', icon: '💡' },
  { id: 8, key: 'symbols', icon: '🔣' },
  { id: 9, key: 'flags', icon: '🏁' },
] as const
export type EmojiGroupKey = (typeof EMOJI_GROUPS)[number]['key']

export interface EmojiCatalog {
  /** Every offered emoji, in Unicode's order. */
  all: readonly Emoji[]
  byGroup: ReadonlyMap<number, readonly Emoji[]>
  /** By the emoji itself, a skin-tone variant included (mapped to its base). */
  byEmoji: ReadonlyMap<string, Emoji>
  /** By shortcode, lowercased. */
  byShortcode: ReadonlyMap<string, Emoji>
  /** Every (shortcode, emoji) pair, shortcodes sorted: what completion searches. */
  shortcodes: readonly { code: string; emoji: Emoji }[]
}

/**
 * The fully-qualified form Unicode lists (emoji-test.txt): Emojibase writes U+FE0F after some emoji
 * that are emoji already (👍️), and a reaction must be the same string whoever picks it.
 */
export const canonicalEmoji = (e: string): string => e.replace(/(\p{Emoji_Presentation})\uFE0F/gu, '$1')

const words = (s: string | undefined): string[] =>
  s
    ? s
        .toLocaleLowerCase()
        .split(/[\s_\-:,.()“”"']+/)
        .filter(Boolean)
    : []

/**
 * The catalog from the English file (`base`: shortcodes and English names) and, for another language,
 * its file (`local`: names and tags in it, joined by emoji). Emoji newer than `maxVersion` (what this
 * device's font draws) are left out.
 */
export function buildCatalog(
  base: readonly RawEmoji[],
  local?: readonly RawEmoji[],
  maxVersion = Infinity,
): EmojiCatalog {
  const localBy = new Map((local ?? []).map((e) => [canonicalEmoji(e.emoji), e]))
  const all: Emoji[] = []
  for (const raw of base) {
    if (raw.group === undefined || raw.group === 2 || (raw.version ?? 0) > maxVersion) continue
    const here = localBy.get(canonicalEmoji(raw.emoji))
    const english = [...words(raw.annotation), ...(raw.tags ?? []).map((t) => t.toLocaleLowerCase())]
    const localWords = here ? [...words(here.annotation), ...(here.tags ?? [])] : []
    const skins = raw.skins
      ?.filter((s) => typeof s.tone === 'number')
      .sort((a, b) => (a.tone as number) - (b.tone as number))
      .map((s) => canonicalEmoji(s.emoji))
    all.push({
      emoji: canonicalEmoji(raw.emoji),
      name: here?.annotation ?? raw.annotation ?? raw.emoji,
      shortcodes: raw.shortcodes ?? [],
      keywords: [...new Set([...localWords, ...english])],
      group: raw.group,
      version: raw.version ?? 0,
      ...(skins?.length === 5 ? { skins } : {}),
    })
  }
  const byGroup = new Map<number, Emoji[]>()
  const byEmoji = new Map<string, Emoji>()
  const byShortcode = new Map<string, Emoji>()
  for (const e of all) {
    const list = byGroup.get(e.group)
    if (list) list.push(e)
    else byGroup.set(e.group, [e])
    byEmoji.set(e.emoji, e)
    // Variation selector 16 is often left off (❤ for ❤️), or added (👍️): every form finds the entry.
    const bare = e.emoji.replace(/\uFE0F/g, '')
    if (!byEmoji.has(bare)) byEmoji.set(bare, e)
    if (!byEmoji.has(`${bare}\uFE0F`)) byEmoji.set(`${bare}\uFE0F`, e)
    for (const s of e.skins ?? []) byEmoji.set(s, e)
    for (const c of e.shortcodes) if (!byShortcode.has(c.toLowerCase())) byShortcode.set(c.toLowerCase(), e)
  }
  const shortcodes = [...byShortcode]
    .map(([code, emoji]) => ({ code, emoji }))
    .sort((a, b) => a.code.localeCompare(b.code))
  return { all, byGroup, byEmoji, byShortcode, shortcodes }
}

/** The emoji in a skin tone (1–5), or as is for tone 0 or an emoji without tones. */
export function withTone(e: Emoji, tone: number): string {
  return (tone > 0 && e.skins?.[tone - 1]) || e.emoji
}

/**
 * Emoji matching a search, best first: the name starts with it, then a shortcode, then a word of the
 * name or a keyword starts with it, then any of them contains it (for Chinese, which has no spaces).
 * Every word of a query of several must match.
 */
export function searchCatalog(catalog: EmojiCatalog, query: string, limit = 96): Emoji[] {
  const terms = query.toLocaleLowerCase().replace(/:/g, ' ').split(/\s+/).filter(Boolean)
  if (!terms.length) return []
  const scored: { e: Emoji; score: number }[] = []
  for (const e of catalog.all) {
    let total = 0
    for (const q of terms) {
      const name = e.name.toLocaleLowerCase()
      let score: number
      if (name.startsWith(q)) score = 0
      else if (e.shortcodes.some((c) => c.startsWith(q))) score = 1
      else if (e.keywords.some((k) => k.startsWith(q))) score = 2
      else if (name.includes(q) || e.keywords.some((k) => k.includes(q))) score = 3
      else {
        total = -1
        break
      }
      total += score
    }
    if (total >= 0) scored.push({ e, score: total })
  }
  // A stable sort keeps Unicode's order within a score.
  scored.sort((a, b) => a.score - b.score)
  return scored.slice(0, limit).map((s) => s.e)
}

/** Shortcodes starting with the query (then containing it), for `:smi` completion. */
export function completeShortcode(
  catalog: EmojiCatalog,
  query: string,
  limit = 8,
): { code: string; emoji: Emoji }[] {
  const q = query.toLowerCase()
  const starts = catalog.shortcodes.filter((s) => s.code.startsWith(q))
  const contains =
    starts.length >= limit
      ? []
      : catalog.shortcodes.filter((s) => !s.code.startsWith(q) && s.code.includes(q))
  // One row per emoji: its first matching shortcode.
  const seen = new Set<Emoji>()
  const out: { code: string; emoji: Emoji }[] = []
  for (const s of [
    ...starts.sort((a, b) => a.code.length - b.code.length || a.code.localeCompare(b.code)),
    ...contains,
  ]) {
    if (seen.has(s.emoji)) continue
    seen.add(s.emoji)
    out.push(s)
    if (out.length === limit) break
  }
  return out
}
