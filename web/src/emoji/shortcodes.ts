// `:smile:` in a message becomes 😄 when it is sent. Code (`inline` and fenced blocks) is left as
// written: a shortcode there is text someone means literally. Pure: unit-tested.

/** A shortcode as written: letters, digits, _ + - between colons. */
const SHORTCODE = /:([a-z0-9_+-]+):/gi
/** Fenced blocks, then inline code spans (markdown's backtick runs). */
const CODE = /```[\s\S]*?(?:```|$)|`[^`\n]*`/g

/** The text might hold a shortcode (a cheap test before the emoji data is loaded for it). */
export function mayHaveShortcode(text: string): boolean {
  SHORTCODE.lastIndex = 0
  return SHORTCODE.test(text)
}

/** The text with every known `:code:` outside code replaced by its emoji (unknown ones stay). */
export function replaceShortcodes(text: string, lookup: (code: string) => string | undefined): string {
  let out = ''
  let at = 0
  const replace = (s: string) =>
    s.replace(SHORTCODE, (all, code: string) => lookup(code.toLowerCase()) ?? all)
  for (const m of text.matchAll(CODE)) {
    out += replace(text.slice(at, m.index)) + m[0]
    at = m.index + m[0].length
  }
  return out + replace(text.slice(at))
}
