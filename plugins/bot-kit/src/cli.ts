// The command-line life of one bot, shared by the bots' `main.ts`: the common flags (--data --relay
// --invite --group --panel --name), the bot's group (joined by --invite the first time, then kept),
// and a clean stop on SIGINT/SIGTERM. Each bot adds only its own flags and its work in the group.
// LOG_LEVEL=debug (as for the relay) shows, as JSON lines on stderr, what core did not say before.
import { parseArgs } from 'node:util'
import { pino } from 'pino'
import { Bot } from './bot'

/** A bot's own flags: all take a string, optionally with a default. */
export type BotCliOptions = Record<string, { type: 'string'; default?: string }>

type Common = 'data' | 'relay' | 'invite' | 'group' | 'panel' | 'name'

/** The parsed flags: a flag with a default (and --name) is always there. */
export type BotCliValues<O extends BotCliOptions> = { [K in Exclude<Common, 'name'>]: string | undefined } & {
  name: string
} & { [K in keyof O]: O[K] extends { default: string } ? string : string | undefined }

export interface BotCli<O extends BotCliOptions> {
  /** Printed when the flags are not enough to run. */
  usage: string
  /** --name's default: the nickname members see. */
  defaultName: string
  options: O
  /** Whether the values (and the environment) are enough to run, beyond --data and --relay. */
  complete?: (values: BotCliValues<O>) => boolean
  /** Starts the bot's work in its group; the returned function stops that work before the bot stops. */
  start: (bot: Bot, groupId: string, values: BotCliValues<O>) => Promise<() => Promise<void>>
}

/** Runs one bot from `process.argv` until SIGINT/SIGTERM; exits 2 on unusable flags. */
export async function runBotCli<O extends BotCliOptions>(cli: BotCli<O>): Promise<void> {
  const { values: parsed } = parseArgs({
    options: {
      data: { type: 'string' },
      relay: { type: 'string' },
      invite: { type: 'string' },
      group: { type: 'string' },
      panel: { type: 'string' },
      name: { type: 'string', default: cli.defaultName },
      ...cli.options,
    },
  })
  // parseArgs cannot type options spread from a generic: every flag here is a string, and those with
  // a default are always set, which is what BotCliValues says.
  const values = parsed as unknown as BotCliValues<O>
  if (!values.data || !values.relay || (cli.complete && !cli.complete(values))) {
    console.error(cli.usage)
    process.exit(2)
  }

  const log = pino(
    { level: process.env.LOG_LEVEL ?? 'info', base: { bot: values.name } },
    pino.destination(2),
  )
  const bot = await Bot.start({ dataDir: values.data, relay: values.relay, name: values.name, log })
  let groupId = values.group
  if (values.invite) groupId = (await bot.join(values.invite)).groupId
  groupId ??= bot.groups().length === 1 ? bot.groups()[0]!.groupId : undefined
  if (!groupId) {
    console.error('Give --invite (first run) or --group (the bot is in several groups).')
    await bot.stop()
    process.exit(2)
  }
  const stopWork = await cli.start(bot, groupId, values)

  const shutdown = async () => {
    await stopWork()
    await bot.stop()
    process.exit(0)
  }
  process.once('SIGINT', () => void shutdown())
  process.once('SIGTERM', () => void shutdown())
}
