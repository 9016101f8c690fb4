// Text a bot does not control stays text in chat markdown.
import { describe, expect, it } from 'vitest'
import { cut, escapeMarkdown, link, linkUrl } from '../src/index'

describe('bot markdown helpers', () => {
  it('escapes markdown syntax so a source cannot add links, images or emphasis', () => {
    expect(escapeMarkdown('![x](http://e.example) *b* `c` <d> @all')).toBe(
      '\\!\\[x\\]\\(http\\://e\\.example\\) \\*b\\* \\`c\\` \\<d\\> \\@all',
    )
  })

  it('links only http(s) URLs, with characters that would end the link encoded', () => {
    expect(linkUrl('javascript:alert(1)')).toBeNull()
    expect(linkUrl('data:text/html,x')).toBeNull()
    expect(linkUrl(42)).toBeNull()
    expect(link('a [b]', 'https://e.example/p (1)')).toBe('[a \\[b\\]](https://e.example/p%20%281%29)')
    expect(link('plain', 'ftp://e.example/')).toBe('plain')
  })

  it('cuts at a word boundary with an ellipsis, counting code points', () => {
    expect(cut('short', 10)).toBe('short')
    expect(cut('one two three four', 12)).toBe('one two…')
    expect([...cut('😀'.repeat(20), 5)]).toHaveLength(5)
  })
})
