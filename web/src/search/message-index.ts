// The full-text index of the messages this device holds (MiniSearch: small, no dependencies, runs in
// the page). One entry per message that can be read (recalled and deleted messages are left out),
// keyed by group and message id; an edit replaces the entry. Filters (group, panel, author) are
// applied to each match, so the index holds one field only: the body.
import MiniSearch from 'minisearch'
import { tokenize } from './tokenize'

export interface IndexedMessage {
  groupId: string
  panelId: string
  messageId: string
  author: string
  /** Markdown, as sent. */
  body: string
  wallMs: number
}

export interface SearchFilters {
  groupId?: string
  panelId?: string
  author?: string
}

export interface SearchHit {
  message: IndexedMessage
  /** The words of the message that matched (lower case), for highlighting. */
  terms: string[]
  score: number
}

interface Entry {
  key: string
  body: string
}

const keyOf = (groupId: string, messageId: string) => `${groupId}/${messageId}`

/** Past this length a word is matched loosely (one or two typos); shorter ones exactly or as a prefix. */
const FUZZY_FROM = 5

export class MessageIndex {
  private readonly search_ = new MiniSearch<Entry>({
    idField: 'key',
    fields: ['body'],
    storeFields: [],
    tokenize,
    processTerm: (term) => term.toLowerCase(),
    searchOptions: {
      combineWith: 'AND',
      prefix: true,
      fuzzy: (term) => (term.length >= FUZZY_FROM ? 0.2 : false),
    },
  })
  private readonly messages = new Map<string, IndexedMessage>()

  get size(): number {
    return this.messages.size
  }

  /** Adds a message or replaces its earlier version (an edit). */
  put(message: IndexedMessage): void {
    const key = keyOf(message.groupId, message.messageId)
    const known = this.messages.get(key)
    if (known && known.body === message.body) {
      this.messages.set(key, message)
      return
    }
    const entry = { key, body: message.body }
    if (known) this.search_.replace(entry)
    else this.search_.add(entry)
    this.messages.set(key, message)
  }

  remove(groupId: string, messageId: string): void {
    const key = keyOf(groupId, messageId)
    if (!this.messages.delete(key)) return
    this.search_.discard(key)
  }

  /** Every message of a group leaves the index (the group left this device). */
  removeGroup(groupId: string): void {
    for (const m of [...this.messages.values()]) if (m.groupId === groupId) this.remove(groupId, m.messageId)
  }

  /** Authors with at least one indexed message (in the group, when given). */
  authors(groupId?: string): { groupId: string; author: string }[] {
    const seen = new Map<string, { groupId: string; author: string }>()
    for (const m of this.messages.values())
      if (!groupId || m.groupId === groupId) seen.set(`${m.groupId}/${m.author}`, m)
    return [...seen.values()].map(({ groupId: g, author }) => ({ groupId: g, author }))
  }

  /**
   * Messages matching every word of `query` (a word also matches as the start of a longer one),
   * best first, newest first among equals; at most `limit`.
   */
  search(query: string, filters: SearchFilters = {}, limit = 100): SearchHit[] {
    if (!query.trim()) return []
    const hits: SearchHit[] = []
    for (const r of this.search_.search(query, {
      filter: (r) => matches(this.messages.get(r.id as string), filters),
    })) {
      const message = this.messages.get(r.id as string)
      if (message) hits.push({ message, terms: r.terms, score: r.score })
    }
    return hits.sort((a, b) => b.score - a.score || b.message.wallMs - a.message.wallMs).slice(0, limit)
  }
}

function matches(m: IndexedMessage | undefined, f: SearchFilters): boolean {
  return (
    m !== undefined &&
    (!f.groupId || m.groupId === f.groupId) &&
    (!f.panelId || m.panelId === f.panelId) &&
    (!f.author || m.author === f.author)
  )
}
