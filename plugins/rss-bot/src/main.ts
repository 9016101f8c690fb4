// `tailmesh-rss-bot`: runs one RSS bot from the command line until SIGINT/SIGTERM.
//   node --import tsx plugins/rss-bot/src/main.ts --data ./data/rss --relay http://127.0.0.1:8787 \
//     --invite 'http://127.0.0.1:8787/#/join/…' --feed https://example.org/feed.xml [--panel general]
//     [--interval 300] [--name 'RSS'] [--backfill 3]
// --invite is needed the first time only (the bot keeps its groups); with one group kept, it is used.
import { parseArgs } from 'node:util'
import { Bot } from '@tailmesh/bot-kit'
import { RssBot } from './rss-bot'

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    relay: { type: 'string' },
    invite: { type: 'string' },
    group: { type: 'string' },
    feed: { type: 'string' },
    panel: { type: 'string' },
    interval: { type: 'string', default: '300' },
    backfill: { type: 'string', default: '3' },
    name: { type: 'string', default: 'RSS' },
  },
})

if (!values.data || !values.relay || !values.feed) {
  console.error(
    'usage: tailmesh-rss-bot --data DIR --relay URL --feed URL [--invite LINK] [--group ID] [--panel NAME]',
  )
  process.exit(2)
}

const bot = await Bot.start({ dataDir: values.data, relay: values.relay, name: values.name })
let groupId = values.group
if (values.invite) groupId = (await bot.join(values.invite)).groupId
groupId ??= bot.groups().length === 1 ? bot.groups()[0]!.groupId : undefined
if (!groupId) {
  console.error('Give --invite (first run) or --group (the bot is in several groups).')
  await bot.stop()
  process.exit(2)
}
const rss = new RssBot(bot, {
  feedUrl: values.feed,
  groupId,
  intervalMs: Number(values.interval) * 1000,
  backfill: Number(values.backfill),
  ...(values.panel ? { panel: values.panel } : {}),
})
rss.start()
console.warn(`tailmesh rss bot ${bot.userId} polling ${values.feed} into group ${groupId}`)

const shutdown = async () => {
  await rss.stop()
  await bot.stop()
  process.exit(0)
}
process.once('SIGINT', () => void shutdown())
process.once('SIGTERM', () => void shutdown())
