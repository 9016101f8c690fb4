// `tailmesh-webhook-bot`: runs one webhook bot from the command line until SIGINT/SIGTERM.
//   WEBHOOK_SECRET=… node --import tsx plugins/webhook-bot/src/main.ts --data ./data/hook \
//     --relay http://127.0.0.1:8787 --invite 'http://127.0.0.1:8787/#/join/…' [--panel general] \
//     [--port 8788] [--host 127.0.0.1] [--path /webhook]
// The secret comes from the environment (WEBHOOK_SECRET, for X-Hub-Signature-256) and/or
// WEBHOOK_PATH_TOKEN (a secret path): never from the command line, where `ps` would show it.
import { parseArgs } from 'node:util'
import { Bot } from '@tailmesh/bot-kit'
import { WebhookBot } from './webhook-bot'

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    relay: { type: 'string' },
    invite: { type: 'string' },
    group: { type: 'string' },
    panel: { type: 'string' },
    port: { type: 'string', default: '8788' },
    host: { type: 'string', default: '127.0.0.1' },
    path: { type: 'string', default: '/webhook' },
    name: { type: 'string', default: 'Webhook' },
  },
})

const secret = process.env.WEBHOOK_SECRET || undefined
const pathToken = process.env.WEBHOOK_PATH_TOKEN || undefined
if (!values.data || !values.relay || (!secret && !pathToken)) {
  console.error(
    'usage: WEBHOOK_SECRET=… tailmesh-webhook-bot --data DIR --relay URL [--invite LINK] [--group ID] [--panel NAME] [--port N]',
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
const hook = new WebhookBot(bot, {
  groupId,
  port: Number(values.port),
  host: values.host,
  path: values.path,
  ...(values.panel ? { panel: values.panel } : {}),
  ...(secret ? { secret } : {}),
  ...(pathToken ? { pathToken } : {}),
})
await hook.start()
// The URL holds the path token when there is one: print only where it listens.
console.warn(
  `tailmesh webhook bot ${bot.userId} listening on ${values.host}:${values.port} for group ${groupId}`,
)

const shutdown = async () => {
  await hook.stop()
  await bot.stop()
  process.exit(0)
}
process.once('SIGINT', () => void shutdown())
process.once('SIGTERM', () => void shutdown())
