// `tailmesh-email-bot`: runs one email bot from the command line until SIGINT/SIGTERM.
//   node --import tsx plugins/email-bot/src/main.ts --data ./data/mail --relay http://127.0.0.1:8787 \
//     --invite 'http://127.0.0.1:8787/#/join/…' [--panel mail] [--listen-port 2525] \
//     [--smtp-host 127.0.0.1 --smtp-port 25 --from bot@example.org]
// The outgoing server's login, if it needs one: SMTP_USER and SMTP_PASS in the environment (never flags).
import { runBotCli } from '@tailmesh/bot-kit'
import { EmailBot } from './email-bot'

await runBotCli({
  usage:
    'usage: tailmesh-email-bot --data DIR --relay URL [--invite LINK] [--group ID] [--panel NAME] [--listen-port N] [--smtp-host H --smtp-port N --from ADDR]',
  defaultName: 'Mail',
  options: {
    'listen-port': { type: 'string', default: '2525' },
    'smtp-host': { type: 'string' },
    'smtp-port': { type: 'string', default: '25' },
    from: { type: 'string' },
  },
  start: async (bot, groupId, values) => {
    const user = process.env.SMTP_USER
    const pass = process.env.SMTP_PASS
    const smtp =
      values['smtp-host'] && values.from
        ? {
            host: values['smtp-host'],
            port: Number(values['smtp-port']),
            from: values.from,
            ...(user && pass ? { auth: { user, pass } } : {}),
          }
        : undefined
    const mail = new EmailBot(bot, {
      groupId,
      listen: { port: Number(values['listen-port']) },
      ...(values.panel ? { panel: values.panel } : {}),
      ...(smtp ? { smtp } : {}),
    })
    await mail.start()
    console.warn(
      `tailmesh email bot ${bot.userId} receiving mail on port ${mail.smtpPort} for group ${groupId}`,
    )
    return () => mail.stop()
  },
})
