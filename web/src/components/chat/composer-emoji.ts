// The composer's emoji (ChatComposer.vue): the catalog for `:smi` completion, loaded the first time a
// shortcode is typed or sent; `:shortcode:`s made emoji on send; and the picker, which inserts at the
// caret (or over the selection) as it was when the picker opened.
import { nextTick, shallowRef, type Ref, type ShallowRef } from 'vue'
import { completeShortcode, withTone, type EmojiCatalog } from '../../emoji/catalog'
import { loadEmojiCatalog } from '../../emoji/data'
import { rememberEmoji, skinTone } from '../../emoji/recent'
import { mayHaveShortcode, replaceShortcodes } from '../../emoji/shortcodes'

export function useComposerEmoji(
  text: ShallowRef<string>,
  box: Readonly<ShallowRef<HTMLTextAreaElement | null>>,
  locale: Ref<string>,
) {
  const catalog = shallowRef<EmojiCatalog | null>(null)
  async function load(): Promise<EmojiCatalog | null> {
    try {
      catalog.value ??= await loadEmojiCatalog(locale.value)
    } catch {
      // unreachable data: shortcodes stay text, completion offers nothing
    }
    return catalog.value
  }

  /** `:query` completions as candidates: id the shortcode, label the emoji in my skin tone. */
  function suggestions(query: string): { id: string; label: string }[] {
    if (!catalog.value) return []
    return completeShortcode(catalog.value, query).map((s) => ({
      id: s.code,
      label: withTone(s.emoji, skinTone.value),
    }))
  }

  /** The body with its known `:shortcode:`s as emoji (outside code). */
  async function withEmoji(body: string): Promise<string> {
    if (!mayHaveShortcode(body)) return body
    const c = await load()
    return c ? replaceShortcodes(body, (code) => c.byShortcode.get(code)?.emoji) : body
  }

  const picking = shallowRef(false)
  let selection = { start: 0, end: 0 }
  function togglePicker(): void {
    const el = box.value
    const end = text.value.length
    selection = el ? { start: el.selectionStart, end: el.selectionEnd } : { start: end, end }
    picking.value = !picking.value
  }
  async function insert(emoji: string): Promise<void> {
    picking.value = false
    const { start, end } = selection
    text.value = text.value.slice(0, start) + emoji + text.value.slice(end)
    const caret = start + emoji.length
    selection = { start: caret, end: caret }
    await nextTick()
    box.value?.focus()
    box.value?.setSelectionRange(caret, caret)
  }

  return { load, suggestions, withEmoji, picking, togglePicker, insert, remember: rememberEmoji }
}
