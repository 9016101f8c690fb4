// The one search index of this page, made the first time search is opened (this module and
// MiniSearch load with the search view, not with the app shell) and kept up to date from then on.
import { tailmesh } from '../tailmesh'
import { SearchFeed } from './feed'
import { MessageIndex } from './message-index'

let feed: SearchFeed | null = null

export function searchFeed(): SearchFeed {
  if (!feed) {
    feed = new SearchFeed(tailmesh, new MessageIndex())
    void feed.start()
  }
  return feed
}
