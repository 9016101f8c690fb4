import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { applyCompletion, findTrigger } from '../chat/autocomplete'
import { COMMON_EMOJI } from '../chat/emoji'
import { buildCatalog, completeShortcode, searchCatalog, withTone, type RawEmoji } from './catalog'
import { mayHaveShortcode, replaceShortcodes } from './shortcodes'

const require = createRequire(import.meta.url)
const file = (path: string): RawEmoji[] =>
  JSON.parse(readFileSync(require.resolve(`emoji-picker-element-data/${path}`), 'utf8')) as RawEmoji[]
const en = file('en/emojibase/data.json')
const zh = file('zh/cldr/data.json')
const catalog = buildCatalog(en)
const chinese = buildCatalog(en, zh)

describe('emoji catalog', () => {
  it('offers every group but the skin-tone components, in Unicode order', () => {
    expect([...catalog.byGroup.keys()]).toEqual([0, 1, 3, 4, 5, 6, 7, 8, 9])
    expect(catalog.byGroup.get(0)![0]!.emoji).toBe('😀')
    expect(catalog.all.some((e) => e.group === 2)).toBe(false)
  })

  it('finds by name, shortcode and keyword, best match first', () => {
    expect(searchCatalog(catalog, 'rocket')[0]!.emoji).toBe('🚀')
    expect(searchCatalog(catalog, 'thumbs up')[0]!.emoji).toBe('👍')
    expect(searchCatalog(catalog, 'tada').map((e) => e.emoji)).toContain('🎉')
    expect(searchCatalog(catalog, 'no such emoji anywhere')).toEqual([])
  })

  it('names emoji in Chinese and still finds them by Chinese or English words and shortcodes', () => {
    const rocket = chinese.byEmoji.get('🚀')!
    expect(rocket.name).toBe('火箭')
    expect(searchCatalog(chinese, '火箭')[0]!.emoji).toBe('🚀')
    expect(searchCatalog(chinese, 'rocket')[0]!.emoji).toBe('🚀')
    expect(chinese.byShortcode.get('smile')!.emoji).toBe('😄')
  })

  it('writes each emoji as reactions do, whichever form is asked for', () => {
    for (const e of COMMON_EMOJI) expect(catalog.byEmoji.get(e)?.emoji).toBe(e)
    expect(catalog.byEmoji.get('👍\uFE0F')?.emoji).toBe('👍')
  })

  it('has skin tones for the emoji that take them', () => {
    const wave = catalog.byEmoji.get('👋')!
    expect(withTone(wave, 0)).toBe('👋')
    expect(withTone(wave, 5)).toBe('👋🏿')
    expect(catalog.byEmoji.get('👋🏽')).toBe(wave)
    expect(withTone(catalog.byEmoji.get('🚀')!, 3)).toBe('🚀')
  })

  it('leaves out emoji newer than the font draws', () => {
    const old = buildCatalog(en, undefined, 13)
    expect(old.all.every((e) => e.version <= 13)).toBe(true)
    expect(old.all.length).toBeLessThan(catalog.all.length)
  })
})

describe(':shortcode: completion and replacement', () => {
  it('a colon after a space with two shortcode characters starts completion', () => {
    expect(findTrigger('hi :smi', 7)).toEqual({ kind: ':', query: 'smi', start: 3, end: 7 })
    expect(findTrigger(':+1', 3)).toMatchObject({ kind: ':', query: '+1' })
    expect(findTrigger('hi :s', 5)).toBeNull()
    expect(findTrigger('at 10:30', 8)).toBeNull()
    expect(findTrigger('see https://x', 13)).toBeNull()
    expect(findTrigger('done :smile:', 12)).toBeNull()
    // @ and # are found as before.
    expect(findTrigger('hi @ann', 7)).toMatchObject({ kind: '@', query: 'ann' })
  })

  it('suggests shortcodes that start with the query, the shortest first, one per emoji', () => {
    const found = completeShortcode(catalog, 'smi')
    expect(found[0]).toMatchObject({ code: 'smile' })
    expect(found[0]!.emoji.emoji).toBe('😄')
    expect(new Set(found.map((f) => f.emoji)).size).toBe(found.length)
    expect(found.length).toBeLessThanOrEqual(8)
  })

  it('completion inserts the emoji itself', () => {
    const text = 'hi :smi there'
    const tr = findTrigger(text, 7)!
    expect(applyCompletion(text, tr, '😄')).toEqual({ text: 'hi 😄 there', caret: 6 })
  })

  it('replaces known shortcodes outside code on send', () => {
    const lookup = (c: string) => catalog.byShortcode.get(c)?.emoji
    expect(replaceShortcodes('great :smile: :tada: :nope: 10:30:45', lookup)).toBe(
      'great 😄 🎉 :nope: 10:30:45',
    )
    expect(replaceShortcodes(':SMILE:', lookup)).toBe('😄')
    expect(replaceShortcodes('run `:smile:` and\n```\n:tada:\n```\n:tada:', lookup)).toBe(
      'run `:smile:` and\n```\n:tada:\n```\n🎉',
    )
    expect(mayHaveShortcode('no codes here: none')).toBe(false)
    expect(mayHaveShortcode('a :smile:')).toBe(true)
  })
})
