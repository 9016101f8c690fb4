// Mail cards: draws the email bot's `com.tailmesh.email` / `mail` cards. Members without this plugin
// read the message's markdown (subject, sender and text), which says the same.
import { definePlugin } from '@tailmesh/plugin-sdk'
import { mountMailCard } from './mail-card'
import { manifest } from './mail-manifest'

export { manifest }

export default definePlugin({
  manifest,
  activate(api) {
    api.registerCard({ type: 'mail', mount: mountMailCard })
  },
})
