// Command-line flags and environment variables, parsed into one RelayConfig. Flags win over env.
import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defaultLimits, type Limits } from './limits'
import { iceUrlProblem, type IceConfig } from './ice-servers'

export interface RelayConfig {
  host: string
  port: number
  dataDir: string
  /** The built PWA; served when it exists. */
  webDir: string
  logLevel: string
  limits: Limits
  /** How long graceful shutdown may take before the process exits anyway. */
  shutdownTimeoutMs: number
  /** Take the client address from X-Forwarded-For (the last hop) for the per-IP limits. */
  trustProxy: boolean
  /** The relay's libp2p node (WebSockets listener on its own port), or null when disabled. */
  libp2p: { port: number } | null
  /** STUN / TURN servers advertised to clients for calls (GET /ice-servers). */
  ice: IceConfig
  /** A Redis shared by a cluster of relays (mailbox and fan-out), or null for the embedded LevelDB. */
  redisUrl: string | null
  /** Relay processes on this port (node:cluster); more than 1 needs redisUrl. */
  workers: number
}

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..')

export const usage = `Usage: npm start -- [options]   (or: npx tsx relay/src/main.ts [options])

Tailmesh relay: serves the PWA, WebRTC signaling at /signal, the encrypted mailbox at /mailbox.

Options (environment variable in brackets):
  --port <n>                 TCP port, 0 for any free port          [PORT]      default 8787
  --host <addr>              address to listen on                    [HOST]      default 127.0.0.1
  --data <dir>               mailbox database directory              [DATA_DIR]  default ./data
  --web <dir>                built PWA to serve                      [WEB_DIR]   default web/dist
  --log-level <level>        fatal|error|warn|info|debug|trace|silent [LOG_LEVEL] default info
  --max-frame-bytes <n>      largest WebSocket message               default ${defaultLimits.maxFrameBytes}
  --max-connections <n>      open WebSockets in total                default ${defaultLimits.maxConnections}
  --connection-rate <n>      new WebSockets per second per IP        default ${defaultLimits.connectionsPerSecondPerIp}
  --frame-rate <n>           frames per second per connection        default ${defaultLimits.framesPerSecond}
  --byte-rate <n>            bytes per second per connection         default ${defaultLimits.bytesPerSecond}
  --max-bad-frames <n>       malformed frames before a close         default ${defaultLimits.maxBadFrames}
  --max-subscriptions <n>    topics per connection                   default ${defaultLimits.maxSubscriptions}
  --topic-quota <bytes>      stored bytes per mailbox topic, plus twice its snapshot default ${defaultLimits.topicQuotaBytes}
  --max-topic-quota <bytes>  the most a topic's quota grows to       default ${defaultLimits.maxTopicQuotaBytes}
  --store-quota <bytes>      stored bytes in the whole mailbox       default ${defaultLimits.storeQuotaBytes}
  --max-buffered-bytes <n>   unread output per connection before a close default ${defaultLimits.maxBufferedBytes}
  --max-connections-per-ip <n> open WebSockets per IP address         default ${defaultLimits.maxConnectionsPerIp}
  --request-timeout <ms>     time to send a complete request         default ${defaultLimits.requestTimeoutMs}
  --ping-interval <ms>       WebSocket ping interval (missed pong: close) default ${defaultLimits.pingIntervalMs}
  --new-topic-fill <pct>     store fill (%) past which no new topic   default ${defaultLimits.newTopicFillPercent}
  --new-topics-per-connection <n> topics one connection may register default ${defaultLimits.newTopicsPerConnection}
  --new-topics-per-ip <n>    topics one IP may register per hour     default ${defaultLimits.newTopicsPerIpHour}
  --new-topic-bytes-per-connection <n> bytes into own new topics    default ${defaultLimits.newTopicBytesPerConnection}
  --new-topic-bytes-per-ip <n> bytes per hour into an IP's new topics default ${defaultLimits.newTopicBytesPerIpHour}
  --topic-ttl <seconds>      delete topics idle (no write) this long [TOPIC_TTL] default ${defaultLimits.topicTtlSeconds} (90 days)
  --trust-proxy              client address from X-Forwarded-For     [TRUST_PROXY=on] default off
  --libp2p-port <n>          libp2p WebSocket port, 0 for any free   [LIBP2P_PORT] default --port + 1 (0 if --port is 0)
  --no-libp2p                no libp2p node (gossipsub, circuit relay) [LIBP2P=off]
  --ice-server <url>         STUN/TURN server for calls, repeatable   [ICE_SERVERS, space-separated]
                             TURN credentials: [TURN_SECRET] (coturn static-auth-secret: time-limited,
                             [TURN_TTL] seconds, default 3600) or [TURN_USERNAME] + [TURN_CREDENTIAL]
  --redis <url>              share mailbox and fan-out through Redis [REDIS_URL] default none (LevelDB)
  --workers <n>              relay processes on this port (needs --redis) [WORKERS] default 1
  --help                     print this and exit
`

const limitFlags = {
  'max-frame-bytes': 'maxFrameBytes',
  'max-connections': 'maxConnections',
  'connection-rate': 'connectionsPerSecondPerIp',
  'frame-rate': 'framesPerSecond',
  'byte-rate': 'bytesPerSecond',
  'max-bad-frames': 'maxBadFrames',
  'max-subscriptions': 'maxSubscriptions',
  'topic-quota': 'topicQuotaBytes',
  'max-topic-quota': 'maxTopicQuotaBytes',
  'store-quota': 'storeQuotaBytes',
  'max-buffered-bytes': 'maxBufferedBytes',
  'max-connections-per-ip': 'maxConnectionsPerIp',
  'request-timeout': 'requestTimeoutMs',
  'ping-interval': 'pingIntervalMs',
  'new-topic-fill': 'newTopicFillPercent',
  'new-topics-per-connection': 'newTopicsPerConnection',
  'new-topics-per-ip': 'newTopicsPerIpHour',
  'new-topic-bytes-per-connection': 'newTopicBytesPerConnection',
  'new-topic-bytes-per-ip': 'newTopicBytesPerIpHour',
  'topic-ttl': 'topicTtlSeconds',
} as const satisfies Record<string, keyof Limits>

export class ConfigError extends Error {}

function positiveInt(name: string, text: string, allowZero = false): number {
  const n = Number(text)
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || (n === 0 && !allowZero))
    throw new ConfigError(
      `--${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got "${text}"`,
    )
  return n
}

/** Parses argv (without node and script) and env; returns 'help' when --help was asked. */
export function parseConfig(argv: string[], env: NodeJS.ProcessEnv): RelayConfig | 'help' {
  const options = {
    port: { type: 'string' },
    host: { type: 'string' },
    data: { type: 'string' },
    web: { type: 'string' },
    'log-level': { type: 'string' },
    'libp2p-port': { type: 'string' },
    'no-libp2p': { type: 'boolean' },
    'trust-proxy': { type: 'boolean' },
    'ice-server': { type: 'string', multiple: true },
    redis: { type: 'string' },
    workers: { type: 'string' },
    help: { type: 'boolean' },
    ...Object.fromEntries(Object.keys(limitFlags).map((k) => [k, { type: 'string' }])),
  } as const
  let values: Record<string, string | boolean | string[] | undefined>
  try {
    values = parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values
  } catch (e) {
    throw new ConfigError(e instanceof Error ? e.message : String(e))
  }
  if (values.help === true) return 'help'
  const str = (flag: string, envName: string, fallback: string): string => {
    const v = values[flag]
    return typeof v === 'string' ? v : (env[envName] ?? fallback)
  }
  const limits: Limits = { ...defaultLimits }
  for (const [flag, key] of Object.entries(limitFlags)) {
    const v = values[flag]
    if (typeof v === 'string') limits[key] = positiveInt(flag, v)
  }
  if (typeof values['topic-ttl'] !== 'string' && env.TOPIC_TTL !== undefined)
    limits.topicTtlSeconds = positiveInt('topic-ttl', env.TOPIC_TTL)
  if (limits.newTopicFillPercent > 100)
    throw new ConfigError(`--new-topic-fill must be at most 100, got ${limits.newTopicFillPercent}`)
  const level = str('log-level', 'LOG_LEVEL', 'info')
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(level))
    throw new ConfigError(`--log-level must be one of fatal, error, warn, info, debug, trace, silent`)
  const port = positiveInt('port', str('port', 'PORT', '8787'), true)
  if (port > 65535) throw new ConfigError(`--port must be at most 65535, got ${port}`)
  const libp2pOff = values['no-libp2p'] === true || ['off', '0', 'false'].includes(env.LIBP2P ?? '')
  const libp2pPort = positiveInt(
    'libp2p-port',
    str('libp2p-port', 'LIBP2P_PORT', String(port === 0 ? 0 : port + 1)),
    true,
  )
  if (libp2pPort > 65535) throw new ConfigError(`--libp2p-port must be at most 65535, got ${libp2pPort}`)
  if (!libp2pOff && libp2pPort !== 0 && libp2pPort === port)
    throw new ConfigError('--libp2p-port must differ from --port')
  const iceUrls = Array.isArray(values['ice-server'])
    ? values['ice-server']
    : (env.ICE_SERVERS ?? '').split(/\s+/).filter(Boolean)
  for (const url of iceUrls) {
    const problem = iceUrlProblem(url)
    if (problem) throw new ConfigError(problem)
  }
  const ice: IceConfig = {
    urls: iceUrls,
    turnTtlSeconds: positiveInt('turn-ttl (TURN_TTL)', env.TURN_TTL ?? '3600'),
    ...(env.TURN_SECRET ? { turnSecret: env.TURN_SECRET } : {}),
    ...(env.TURN_USERNAME ? { turnUsername: env.TURN_USERNAME } : {}),
    ...(env.TURN_CREDENTIAL ? { turnCredential: env.TURN_CREDENTIAL } : {}),
  }
  const redisUrl = str('redis', 'REDIS_URL', '') || null
  if (redisUrl !== null && !/^rediss?:\/\/[^\s]+$/.test(redisUrl))
    throw new ConfigError('--redis must be a redis:// or rediss:// URL')
  const workers = positiveInt('workers', str('workers', 'WORKERS', '1'))
  if (workers > 1 && redisUrl === null)
    throw new ConfigError('--workers needs --redis: processes share the mailbox through Redis')
  return {
    ice,
    host: str('host', 'HOST', '127.0.0.1'),
    port,
    dataDir: resolve(str('data', 'DATA_DIR', './data')),
    webDir: resolve(str('web', 'WEB_DIR', resolve(repoRoot, 'web/dist'))),
    logLevel: level,
    limits,
    shutdownTimeoutMs: 10_000,
    trustProxy: values['trust-proxy'] === true || ['on', '1', 'true'].includes(env.TRUST_PROXY ?? ''),
    libp2p: libp2pOff ? null : { port: libp2pPort },
    redisUrl,
    workers,
  }
}
