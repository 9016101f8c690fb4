// Local search: the index (words, prefixes, Chinese, filters, edits, deletions), the excerpt, and the
// feed that keeps the index in step with a real client's groups (core's gate and documents, in memory).
import { describe, expect, it } from 'vitest'
import { createTailmeshClient, memoryKeystore, memoryOnlySync } from '../client'
import { excerpt, plainText } from './excerpt'
import { SearchFeed } from './feed'
import { MessageIndex, type IndexedMessage } from './message-index'
import { tokenize } from './tokenize'

const msg = (over: Partial<IndexedMessage> & { messageId: string; body: string }): IndexedMessage => ({
  groupId: 'g1',
  panelId: 'p1',
  author: 'alice',
  wallMs: 1000,
  ...over,
})

const ids = (hits: { message: IndexedMessage }[]) => hits.map((h) => h.message.messageId)

describe('MessageIndex', () => {
  it('finds messages by every word of the query, also as the start of a word', () => {
    const index = new MessageIndex()
    index.put(msg({ messageId: 'a', body: 'The release plan is ready' }))
    index.put(msg({ messageId: 'b', body: 'Lunch at noon?' }))
    index.put(msg({ messageId: 'c', body: 'Releasing **tomorrow** morning' }))
    expect(ids(index.search('release plan'))).toEqual(['a'])
    expect(ids(index.search('relea')).sort()).toEqual(['a', 'c'])
    expect(ids(index.search('LUNCH'))).toEqual(['b'])
    expect(index.search('dinner')).toEqual([])
    expect(index.search('   ')).toEqual([])
  })

  it('finds Chinese words and single characters', () => {
    const index = new MessageIndex()
    index.put(msg({ messageId: 'zh', body: '我们明天下午开会讨论发布计划' }))
    index.put(msg({ messageId: 'en', body: 'meeting tomorrow' }))
    expect(ids(index.search('开会'))).toEqual(['zh'])
    expect(ids(index.search('计划'))).toEqual(['zh'])
    expect(ids(index.search('会'))).toEqual(['zh'])
    expect(tokenize('Hello, 世界!')).toContain('hello')
  })

  it('an edit replaces the entry and a removal takes it out', () => {
    const index = new MessageIndex()
    index.put(msg({ messageId: 'a', body: 'see you at the station' }))
    expect(ids(index.search('station'))).toEqual(['a'])
    index.put(msg({ messageId: 'a', body: 'see you at the airport' }))
    expect(index.search('station')).toEqual([])
    expect(ids(index.search('airport'))).toEqual(['a'])
    index.remove('g1', 'a')
    expect(index.search('airport')).toEqual([])
    expect(index.size).toBe(0)
    index.remove('g1', 'a') // twice: nothing happens
  })

  it('filters by group, panel and author', () => {
    const index = new MessageIndex()
    index.put(msg({ messageId: '1', body: 'deploy now', groupId: 'g1', panelId: 'p1', author: 'alice' }))
    index.put(msg({ messageId: '2', body: 'deploy later', groupId: 'g1', panelId: 'p2', author: 'bob' }))
    index.put(msg({ messageId: '3', body: 'deploy never', groupId: 'g2', panelId: 'p1', author: 'bob' }))
    expect(ids(index.search('deploy')).sort()).toEqual(['1', '2', '3'])
    expect(ids(index.search('deploy', { groupId: 'g1' })).sort()).toEqual(['1', '2'])
    expect(ids(index.search('deploy', { groupId: 'g1', panelId: 'p1' }))).toEqual(['1'])
    expect(ids(index.search('deploy', { author: 'bob' })).sort()).toEqual(['2', '3'])
    expect(ids(index.search('deploy', { groupId: 'g2', author: 'alice' }))).toEqual([])
    expect(
      index
        .authors('g1')
        .map((a) => a.author)
        .sort(),
    ).toEqual(['alice', 'bob'])
    index.removeGroup('g1')
    expect(ids(index.search('deploy'))).toEqual(['3'])
  })
})

describe('excerpt', () => {
  it('marks the matched words in plain text around the first match', () => {
    const long = `${'word '.repeat(40)}the **release** is [here](https://example.org) ${'tail '.repeat(40)}`
    const parts = excerpt(long, ['release'], 20)
    expect(parts[0]).toEqual({ text: '…', match: false })
    expect(parts.at(-1)).toEqual({ text: '…', match: false })
    expect(parts.filter((p) => p.match).map((p) => p.text)).toEqual(['release'])
    const text = parts.map((p) => p.text).join('')
    expect(text).toContain('release is here')
    expect(text).not.toContain('**')
    expect(text).not.toContain('https://')
  })

  it('keeps the sender’s text as text and marks every occurrence, in any case', () => {
    const parts = excerpt('<b>Plan</b>: plan B', ['plan'])
    expect(parts.filter((p) => p.match).map((p) => p.text)).toEqual(['Plan', 'plan'])
    expect(parts.map((p) => p.text).join('')).toBe('<b>Plan</b>: plan B')
    expect(plainText('# Title\n\n> quote')).toBe('Title quote')
  })
})

describe('SearchFeed', () => {
  it('indexes what a client holds and follows new, edited, recalled and deleted messages', async () => {
    const client = createTailmeshClient({ keystore: memoryKeystore(), sync: memoryOnlySync() })
    await client.createIdentity('Alice')
    const g1 = await client.createGroup('Team')
    const p1 = g1.panels()[0]!.id
    const first = await g1.send(p1, 'the quarterly report is due')
    const feed = new SearchFeed(client, new MessageIndex())
    await feed.start()
    expect(ids(feed.index.search('quarterly'))).toEqual([first])

    // A second group made after the feed started, and a live message in the first.
    const g2 = await client.createGroup('Friends')
    const p2 = g2.panels()[0]!.id
    const other = await g2.send(p2, 'report from the hike')
    const live = await g1.send(p1, 'another report draft')
    await feed.idle()
    expect(ids(feed.index.search('report')).sort()).toEqual([first, other, live].sort())
    expect(ids(feed.index.search('report', { groupId: g2.groupId }))).toEqual([other])

    await g1.edit(p1, live, 'another summary draft')
    await feed.idle()
    expect(ids(feed.index.search('report')).sort()).toEqual([first, other].sort())
    expect(ids(feed.index.search('summary'))).toEqual([live])

    await g1.recall(p1, first)
    await g2.deleteMessage(p2, other)
    await feed.idle()
    expect(feed.index.search('report')).toEqual([])
    expect(feed.index.size).toBe(1)
    feed.stop()
  })
})
