// Words for the search index, in any language this app speaks. Chinese has no spaces between words,
// so splitting on white space would make a whole sentence one "word": Intl.Segmenter finds the words
// (dictionary-based in Chromium and Node), and each Han character is indexed too, so a search for one
// character still finds the longer words that hold it.

const HAN = /\p{Script=Han}/u

let segmenter: Intl.Segmenter | null = null

/** The searchable words of `text`, lower-cased, in order (repeats kept: the index counts them). */
export function tokenize(text: string): string[] {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'word' })
  const out: string[] = []
  for (const s of segmenter.segment(text)) {
    if (!s.isWordLike) continue
    const word = s.segment.toLowerCase()
    out.push(word)
    if (word.length > 1 && HAN.test(word)) for (const ch of word) if (HAN.test(ch)) out.push(ch)
  }
  return out
}
