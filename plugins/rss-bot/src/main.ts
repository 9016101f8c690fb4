// `tailmesh-rss-bot`: runs one RSS bot from the command line until SIGINT/SIGTERM.
//   node --import tsx plugins/rss-bot/src/main.ts --data ./data/rss --relay http://127.0.0.1:8787 \
//     --invite 'http://127.0.0.1:8787/#/join/…' --feed https://example.org/feed.xml [--panel general]
//     [--interval 300] [--name 'RSS'] [--backfill 3]
// --invite is needed the first time only (the bot keeps its groups); with one group kept, it is used.
import { runBotCli } from '@tailmesh/bot-kit'
import { RssBot } from './rss-bot'

await runBotCli({
  usage:
    'usage: tailmesh-rss-bot --data DIR --relay URL --feed URL [--invite LINK] [--group ID] [--panel NAME]',
  defaultName: 'RSS',
  options: {
    feed: { type: 'string' },
    interval: { type: 'string', default: '300' },
    backfill: { type: 'string', default: '3' },
  },
  complete: (values) => Boolean(values.feed),
  start: async (bot, groupId, values) => {
    const feedUrl = values.feed!
    const rss = new RssBot(bot, {
      feedUrl,
      groupId,
      intervalMs: Number(values.interval) * 1000,
      backfill: Number(values.backfill),
      ...(values.panel ? { panel: values.panel } : {}),
    })
    rss.start()
    console.warn(`tailmesh rss bot ${bot.userId} polling ${feedUrl} into group ${groupId}`)
    return () => rss.stop()
  },
})
