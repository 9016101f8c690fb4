// Feed text to chat markdown, and both feed formats to entries (no network).
import { describe, expect, it } from 'vitest'
import { LIMITS } from '@tailmesh/core'
import { formatItem, htmlToText, readFeed, FeedError } from '../src/index'

describe('feed items as messages', () => {
  it('turns HTML into plain text', () => {
    expect(htmlToText('<p>Hello <b>world</b> &amp; friends</p><p>Two</p><script>x()</script>')).toBe(
      'Hello world & friends\nTwo',
    )
  })

  it('links only http(s) URLs and keeps the whole message within core limit', () => {
    const base = { key: 'k', title: 'T', summary: 's', published: null }
    expect(formatItem({ ...base, url: 'javascript:alert(1)' })).toBe('**T**\n\ns')
    expect(formatItem({ ...base, url: 'https://x.example/a (b)' })).toBe(
      '**[T](https://x.example/a%20%28b%29)**\n\ns',
    )
    const huge = formatItem({ ...base, url: null, title: '*'.repeat(5000) }, { summaryChars: 10_000 })
    expect([...huge].length).toBeLessThanOrEqual(LIMITS.messageBody)
  })

  it('reads RSS 2.0 and Atom with keys stable across reads', async () => {
    const rss = `<rss version="2.0"><channel><title>R</title><link>http://r.example/</link>
      <item><title>One</title><link>/one</link><guid>g-1</guid><description>&lt;i&gt;hi&lt;/i&gt;</description></item>
      <item><title>No id</title><link>http://r.example/two</link></item></channel></rss>`
    const a = await readFeed(rss)
    const b = await readFeed(rss)
    expect(a.items.map((i) => i.key)).toEqual(b.items.map((i) => i.key))
    expect(a.items[0]).toMatchObject({ title: 'One', url: 'http://r.example/one', summary: 'hi' })
    expect(new Set(a.items.map((i) => i.key)).size).toBe(2)

    const atom = `<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:a</id>
      <entry><title type="html">E &lt;b&gt;1&lt;/b&gt;</title><link href="http://a.example/e1"/><id>urn:e1</id>
      <updated>2026-01-01T00:00:00Z</updated><summary>Sum</summary></entry></feed>`
    const f = await readFeed(atom)
    expect(f.title).toBe('A')
    expect(f.items[0]).toMatchObject({ title: 'E 1', url: 'http://a.example/e1', summary: 'Sum' })
    expect(f.items[0]!.published?.toISOString()).toBe('2026-01-01T00:00:00.000Z')
  })

  it('refuses what is not a feed with FeedError', async () => {
    await expect(readFeed('<html><body>nope')).rejects.toBeInstanceOf(FeedError)
    await expect(readFeed('')).rejects.toBeInstanceOf(FeedError)
  })
})
