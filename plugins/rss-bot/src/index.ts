export { RssBot, type PollResult, type RssBotOptions } from './rss-bot'
export { FeedError, fetchFeed, readFeed, type FeedEntry, type ParsedFeed } from './feed'
export { formatItem, type FormatOptions } from './format'
export { htmlToText } from './html-text'
