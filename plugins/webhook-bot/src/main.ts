// `tailmesh-webhook-bot`: runs one webhook bot from the command line until SIGINT/SIGTERM.
//   WEBHOOK_SECRET=… node --import tsx plugins/webhook-bot/src/main.ts --data ./data/hook \
//     --relay http://127.0.0.1:8787 --invite 'http://127.0.0.1:8787/#/join/…' [--panel general] \
//     [--port 8788] [--host 127.0.0.1] [--path /webhook]
// The secret comes from the environment (WEBHOOK_SECRET, for X-Hub-Signature-256) and/or
// WEBHOOK_PATH_TOKEN (a secret path): never from the command line, where `ps` would show it.
import { runBotCli } from '@tailmesh/bot-kit'
import { WebhookBot } from './webhook-bot'

const secret = process.env.WEBHOOK_SECRET || undefined
const pathToken = process.env.WEBHOOK_PATH_TOKEN || undefined

await runBotCli({
  usage:
    'usage: WEBHOOK_SECRET=… tailmesh-webhook-bot --data DIR --relay URL [--invite LINK] [--group ID] [--panel NAME] [--port N]',
  defaultName: 'Webhook',
  options: {
    port: { type: 'string', default: '8788' },
    host: { type: 'string', default: '127.0.0.1' },
    path: { type: 'string', default: '/webhook' },
  },
  complete: () => Boolean(secret || pathToken),
  start: async (bot, groupId, values) => {
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
    return () => hook.stop()
  },
})
