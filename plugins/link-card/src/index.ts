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
    api.registerMessageExtra({ id: 'link-card', match: (m) => hasLink(m.body), mount: mountLinkCards })
  },
})
