// Local search: English, and the shape the other languages must have. Merged under `search` in
// i18n/index.ts.
export const searchEn = {
  link: 'Search',
  title: 'Search messages',
  intro: 'Searches the messages on this device, in every group. Nothing is sent anywhere.',
  query: 'Search for',
  panel: 'Panel',
  anyPanel: 'All panels',
  author: 'Author',
  anyAuthor: 'Anyone',
  indexing: 'Reading the messages on this device…',
  indexed: 'No messages on this device yet | 1 message on this device | {n} messages on this device',
  results: 'No results | 1 result | {n} results',
  where: '{group} › #{panel}',
  open: 'Open message from {author} in {group}, #{panel}: {excerpt}',
}
export type SearchSchema = typeof searchEn
