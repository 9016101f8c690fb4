// Fetching and reading a feed (RSS 0.9x/2.0, RDF, Atom: @rowanmanning/feed-parser) into the few
// fields a chat post needs, each item with a key that stays the same across polls.
import { parseFeed } from '@rowanmanning/feed-parser'
import { sha256, toBase64Url, utf8 } from '@tailmesh/core'
import { htmlToText } from './html-text'

export interface FeedEntry {
  /** Stable across polls: hash of the item's id, else its link, else its title and summary. */
  key: string
  title: string
  url: string | null
  /** Plain text. */
  summary: string
  published: Date | null
}

export interface ParsedFeed {
  title: string | null
  items: FeedEntry[]
}

export class FeedError extends Error {
  override name = 'FeedError'
}

export interface FetchOptions {
  /** Default 15 s. */
  timeoutMs?: number
  /** Larger bodies are refused (default 5 MiB). */
  maxBytes?: number
  /** Validators from the last fetch: an unchanged feed answers 304 and costs nothing to read. */
  etag?: string | null
  lastModified?: string | null
}

export type FetchResult =
  { changed: false } | { changed: true; xml: string; etag: string | null; lastModified: string | null }

export async function fetchFeed(url: string, options: FetchOptions = {}): Promise<FetchResult> {
  const target = new URL(url)
  if (target.protocol !== 'http:' && target.protocol !== 'https:')
    throw new FeedError(`A feed URL is http(s): ${target.protocol} is not fetched.`)
  const headers: Record<string, string> = {
    accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5',
    'user-agent': 'tailmesh-rss-bot',
  }
  if (options.etag) headers['if-none-match'] = options.etag
  if (options.lastModified) headers['if-modified-since'] = options.lastModified
  const response = await fetch(target, {
    headers,
    redirect: 'follow',
    signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
  })
  if (response.status === 304) return { changed: false }
  if (!response.ok) throw new FeedError(`The feed answered ${response.status} ${response.statusText}.`)
  const xml = await readCapped(response, options.maxBytes ?? 5 * 1024 * 1024)
  return {
    changed: true,
    xml,
    etag: response.headers.get('etag'),
    lastModified: response.headers.get('last-modified'),
  }
}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'))
  if (declared > maxBytes) {
    await response.body?.cancel()
    throw new FeedError(`The feed is larger than ${maxBytes} bytes.`)
  }
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = response.body?.getReader()
  if (!reader) return ''
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.length
    if (size > maxBytes) {
      await reader.cancel()
      throw new FeedError(`The feed is larger than ${maxBytes} bytes.`)
    }
    chunks.push(value)
  }
  return new TextDecoder().decode(Buffer.concat(chunks))
}

export async function readFeed(xml: string): Promise<ParsedFeed> {
  let feed: ReturnType<typeof parseFeed>
  try {
    feed = parseFeed(xml)
  } catch (e) {
    throw new FeedError(`Not an RSS or Atom feed: ${(e as Error).message}`)
  }
  const items: FeedEntry[] = []
  for (const item of feed.items) {
    const summary = htmlToText(item.description ?? item.content ?? '')
    const title = htmlToText(item.title ?? '')
    const identity = item.id ? `id:${item.id}` : item.url ? `url:${item.url}` : `text:${title}\n${summary}`
    items.push({
      key: toBase64Url((await sha256(utf8(identity))).subarray(0, 18)),
      title,
      url: item.url,
      summary,
      published: item.published ?? item.updated,
    })
  }
  return { title: feed.title ? htmlToText(feed.title) : null, items }
}
