// Polls: `/poll Lunch? | Pizza | Soup` (or "New poll" in the composer's menu) sends a message with a
// poll card; members vote by clicking an option. A vote is a card action (one per member by
// construction), and closing the poll closes the card: every peer's gate refuses later votes.
import { definePlugin } from '@tailmesh/plugin-sdk'
import { mountPollCard } from './card'
import { manifest } from './manifest'
import { POLL_CARD, POLL_VERSION, VOTE_ACTION, parsePollCommand, pollBody } from './poll'
import { S } from './strings'

export { manifest }

export default definePlugin({
  manifest,
  activate(api) {
    api.registerCard({ type: POLL_CARD, mount: mountPollCard })
    api.registerCommand({
      name: 'poll',
      description: S.commandDescription,
      args: S.commandArgs,
      async run(args, ctx) {
        const parsed = parsePollCommand(args)
        if (!parsed.ok) throw new Error(ctx.t(parsed.problem))
        const { question, options } = parsed.poll
        await ctx.send(pollBody(parsed.poll), {
          card: { type: POLL_CARD, data: { question, options, v: POLL_VERSION }, actions: [VOTE_ACTION] },
        })
      },
    })
    api.registerInputAction({
      id: 'new-poll',
      label: S.actionLabel,
      placement: 'menu',
      run(ctx) {
        ctx.setText(ctx.t(S.template))
      },
    })
  },
})
