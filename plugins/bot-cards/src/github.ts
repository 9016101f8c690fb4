// GitHub cards: draws the webhook bot's `com.tailmesh.github` / `github` cards (issues, pull requests,
// releases, comments). Members without this plugin read the message's markdown, which says the same.
import { definePlugin } from '@tailmesh/plugin-sdk'
import { mountGithubCard } from './github-card'
import { manifest } from './github-manifest'

export { manifest }

export default definePlugin({
  manifest,
  activate(api) {
    api.registerCard({ type: 'github', mount: mountGithubCard })
  },
})
