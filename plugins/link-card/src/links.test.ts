import { describe, expect, it } from 'vitest'
import { MAX_LINKS, hasLink, linksIn } from './links'

describe('linksIn', () => {
  it('finds http(s) links with their hostname, without trailing punctuation, once each', () => {
    expect(
      linksIn(
        'See https://www.example.org/a?b=1, and (http://docs.test/x_(y)). Again: https://www.example.org/a?b=1!',
      ),
    ).toEqual([
      { url: 'https://www.example.org/a?b=1', hostname: 'example.org' },
      { url: 'http://docs.test/x_(y)', hostname: 'docs.test' },
    ])
  })

  it('ignores other schemes and text that only looks like a link', () => {
    expect(linksIn('javascript:alert(1) ftp://files.test mailto:a@b.test http:// https://')).toEqual([])
    expect(hasLink('no links here')).toBe(false)
    expect(hasLink('go to https://tailmesh.test')).toBe(true)
  })

  it(`draws at most ${MAX_LINKS} cards`, () => {
    const body = Array.from({ length: 6 }, (_, i) => `https://site${i}.test/`).join(' ')
    expect(linksIn(body).map((l) => l.hostname)).toEqual(['site0.test', 'site1.test', 'site2.test'])
  })
})
