// The relay's command line: `npm start -- [flags]` or `npx tsx relay/src/main.ts [flags]`.
// Exits 0 after a graceful shutdown on SIGTERM / SIGINT, 2 on bad flags, 1 if it cannot start.
import { ConfigError, parseConfig, usage } from './config'
import { createLogger } from './logger'
import { startRelay } from './server'
import { reportListening, runPrimary, workerConfig, workerIndex } from './workers'

let config
try {
  config = parseConfig(process.argv.slice(2), process.env)
} catch (e) {
  if (!(e instanceof ConfigError)) throw e
  console.error(`${e.message}\n\n${usage}`)
  process.exit(2)
}
if (config === 'help') {
  process.stdout.write(usage)
  process.exit(0)
}

const log = createLogger(config.logLevel)
// Every handler catches its own errors; these are the last line, so that a bug in one request is a
// log line and not an outage for everyone else.
process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'))
process.on('uncaughtException', (err) => log.error({ err }, 'uncaught exception'))

const worker = workerIndex()
if (worker !== null) config = workerConfig(config, worker, log.child({ worker }))
const primary = config.workers > 1 && worker === null

try {
  const relay = primary
    ? await runPrimary(config, log).then(({ port, stop }) => ({
        port,
        url: `http://${config.host}:${port}`,
        close: stop,
      }))
    : await startRelay(config, worker === null ? log : log.child({ worker }))
  if (worker !== null) reportListening(relay.port)
  log.info(
    { url: relay.url, port: relay.port, dataDir: config.dataDir, workers: config.workers, worker },
    worker === null ? 'relay listening' : 'relay worker listening',
  )
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    log.info({ signal }, 'relay: stopping')
    const force = setTimeout(() => {
      log.error('relay: shutdown took too long, exiting')
      process.exit(1)
    }, config.shutdownTimeoutMs)
    force.unref()
    relay.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'relay: shutdown failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
} catch (err) {
  log.fatal({ err }, 'relay: cannot start')
  process.exit(1)
}
