// `tailmesh-hr-bot`: runs the HR bot from the command line until SIGINT/SIGTERM.
//   node --import tsx plugins/hr-bot/src/main.ts --data ./data/hr --relay http://127.0.0.1:8787 \
//     --invite 'http://127.0.0.1:8787/#/join/…' [--panel hiring] [--reviewers 'Team leads,Founders']
//     [--name 'HR Bot'] [--time-zone Europe/Berlin]
// --invite is needed the first time only (the bot keeps its groups); with one group kept, it is used.
// The bot's role needs managePanel (and groupDetail) to build interview panels.
import { runBotCli } from '@tailmesh/bot-kit'
import { HrBot } from './hr-bot'

await runBotCli({
  usage:
    'usage: tailmesh-hr-bot --data DIR --relay URL [--invite LINK] [--group ID] [--panel NAME] [--reviewers ROLES]',
  defaultName: 'HR Bot',
  options: {
    reviewers: { type: 'string' },
    'time-zone': { type: 'string' },
  },
  start: async (bot, groupId, values) => {
    const reviewers = values.reviewers
      ?.split(',')
      .map((r) => r.trim())
      .filter(Boolean)
    const hr = new HrBot(bot, {
      groupId,
      ...(values.panel ? { panel: values.panel } : {}),
      ...(reviewers?.length ? { reviewers } : {}),
      ...(values['time-zone'] ? { timeZone: values['time-zone'] } : {}),
    })
    await hr.start()
    console.warn(`tailmesh hr bot ${bot.userId} in group ${groupId}: say !candidate Name | Role`)
    return () => hr.stop()
  },
})
