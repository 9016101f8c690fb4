// A feed served by node:http on 127.0.0.1, whose items a test changes between polls. It answers
// conditional requests (ETag) as real feed servers do, and can be told to fail.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Item {
  id: string
  title: string
  link: string
  description: string
  date: Date
}

export interface FeedServer {
  url: string
  /** Newest first, as feeds list them. */
  items: Item[]
  format: 'rss' | 'atom'
  /** Next answers: a status (500) or a body that is not a feed. */
  failWith: number | 'garbage' | null
  requests: number
  notModified: number
  close(): Promise<void>
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

function rss(items: Item[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Harbour news</title><link>http://harbour.example/</link>
<description>Test feed</description>
${items
  .map(
    (i) => `<item><title>${esc(i.title)}</title><link>${esc(i.link)}</link><guid>${esc(i.id)}</guid>
<pubDate>${i.date.toUTCString()}</pubDate><description>${esc(i.description)}</description></item>`,
  )
  .join('\n')}
</channel></rss>`
}

function atom(items: Item[]): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour news</title><id>urn:harbour</id>
<link href="http://harbour.example/"/><updated>${new Date().toISOString()}</updated>
${items
  .map(
    (i) => `<entry><title>${esc(i.title)}</title><link href="${esc(i.link)}"/><id>${esc(i.id)}</id>
<updated>${i.date.toISOString()}</updated><summary type="html">${esc(i.description)}</summary></entry>`,
  )
  .join('\n')}
</feed>`
}

export async function serveFeed(format: 'rss' | 'atom' = 'rss'): Promise<FeedServer> {
  const state = {
    items: [] as Item[],
    format,
    failWith: null as FeedServer['failWith'],
    requests: 0,
    notModified: 0,
  }
  const server: Server = createServer((req, res) => {
    state.requests++
    if (state.failWith === 'garbage') {
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end('<html><body>not a feed')
      return
    }
    if (typeof state.failWith === 'number') {
      res.writeHead(state.failWith).end()
      return
    }
    const body = state.format === 'rss' ? rss(state.items) : atom(state.items)
    const etag = `"${Buffer.from(body).length}-${state.items.map((i) => i.id).join(',').length}-${state.items[0]?.id ?? ''}"`
    if (req.headers['if-none-match'] === etag) {
      state.notModified++
      res.writeHead(304).end()
      return
    }
    res
      .writeHead(200, {
        'content-type': state.format === 'rss' ? 'application/rss+xml' : 'application/atom+xml',
        etag,
      })
      .end(body)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/feed.xml`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  }) as FeedServer
}

let n = 0
/** A new item dated after every earlier one. */
export function item(title: string, description = `About ${title}.`): Item {
  n++
  return {
    id: `urn:item:${n}:${title}`,
    title,
    link: `http://harbour.example/posts/${n}`,
    description,
    date: new Date(Date.UTC(2026, 0, 1) + n * 60_000),
  }
}
