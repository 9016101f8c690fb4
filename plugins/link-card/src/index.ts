// Link cards: a message extra (Tailchat's regMessageExtraParser) drawn under every message that
// carries an http(s) link — the hostname and the address, from the text alone.
import { definePlugin } from '@tailmesh/plugin-sdk'
import { mountLinkCards } from './card'
import { hasLink } from './links'
import { manifest } from './manifest'

export { manifest }

export default definePlugin({
  manifest,
  activate(api) {
    // A message with a card (a GitHub event, a poll) is drawn by that card, links included.
    api.registerMessageExtra({
      id: 'link-card',
      match: (m) => !m.card && hasLink(m.body),
      mount: mountLinkCards,
    })
  },
})
