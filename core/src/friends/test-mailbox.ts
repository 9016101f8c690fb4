// An in-process stand-in for the relay's mailbox (store-and-forward per topic, with cursors) for the
// friend channel's unit tests; the real relay is exercised by relay/test/friends.test.ts.
import type { Link, LinkHandlers, TopicAccess, Transport } from '../sync/transport'

export class TestMailbox {
  readonly topics = new Map<string, Uint8Array[]>()
  private readonly readers = new Map<string, Set<LinkHandlers>>()
  /** When false, nothing is delivered or accepted (the relay is unreachable). */
  online = true

  transport(): Transport {
    const append = (id: string, sealed: Uint8Array) => this.append(id, sealed)
    const isOnline = () => this.online
    const topics = this.topics
    const allReaders = this.readers
    const links = new Set<string>()
    return {
      id: 'test-mailbox',
      kind: 'mailbox',
      durable: true,
      sameUser: false,
      async open(access: TopicAccess, handlers: LinkHandlers, resumeAfter = 0): Promise<Link> {
        const id = access.topic.id
        if (links.has(id)) throw new Error('This transport already has a link for that topic.')
        links.add(id)
        const entries = topics.get(id) ?? []
        entries.forEach((sealed, i) => {
          if (i + 1 > resumeAfter) handlers.frame(sealed, null, i + 1)
        })
        let readers = allReaders.get(id)
        if (!readers) allReaders.set(id, (readers = new Set()))
        readers.add(handlers)
        let open = true
        return {
          async broadcast(sealed) {
            if (!isOnline()) throw new Error('offline')
            append(id, sealed)
          },
          peers: () => [],
          online: () => open && isOnline(),
          async close() {
            open = false
            links.delete(id)
            readers.delete(handlers)
          },
        }
      },
      async close() {},
    }
  }

  append(topicId: string, sealed: Uint8Array): void {
    let entries = this.topics.get(topicId)
    if (!entries) this.topics.set(topicId, (entries = []))
    entries.push(sealed.slice())
    const cursor = entries.length
    for (const r of this.readers.get(topicId) ?? []) r.frame(sealed.slice(), null, cursor)
  }
}
