// Puts the relay together: one HTTP server for the PWA and /healthz, WebSocket upgrades routed to
// /signal and /mailbox behind a connection cap and a per-IP connection rate, and an orderly close.
import { mkdir } from 'node:fs/promises'
import { createServer, type IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import type { AddressInfo, Socket } from 'node:net'
import type { WebSocketServer } from 'ws'
import type { RelayConfig } from './config'
import { createStaticHandler } from './http-static'
import { iceServers } from './ice-servers'
import type { RelayLibp2p, RelayLibp2pStats } from './libp2p-node'
import { ConnectionCount, ConnectionRate, NewTopicBudget } from './limits'
import type { Logger } from './logger'
import { MailboxServer } from './mailbox-server'
import type { MailboxStore, StoreHealth } from './mailbox-store'
import { RedisLink, redactUrl } from './redis-link'
import { RedisMailboxStore } from './redis-mailbox-store'
import { RedisSignalBus } from './redis-signal-bus'
import { LevelMailboxStore } from './level-mailbox-store'
import { SignalServer } from './signal-server'
import { clientIps } from './sockets'
import { WELCOME_PATH, serveWelcome } from './welcome-page'

export interface Relay {
  /** The port actually bound (useful with port 0). */
  port: number
  url: string
  /** Stops accepting, finishes in-flight writes, closes every socket and the database. */
  close(): Promise<void>
}

export interface Health {
  /** 'unavailable' (HTTP 503): the shared store (Redis) does not answer; appends are refused meanwhile. */
  status: 'ok' | 'closing' | 'unavailable'
  uptimeSeconds: number
  /** Open WebSockets per endpoint, and the relay output queued for them and not yet taken by the kernel. */
  connections: { signal: number; mailbox: number; bufferedBytes: number }
  topics: { signal: number; mailbox: number; mailboxSubscribed: number }
  /** Every byte the mailbox stores, as the quotas count it (records, keys, hashes, snapshots, overhead). */
  storedBytes: number
  /** Topics deleted after topicTtlSeconds without a write, since the relay started. */
  expiredTopics: number
  /** Background LevelDB compactions queued (after a snapshot or an expiry) and not yet done. */
  compactionsPending: number
  /** The libp2p node: peer id and the multiaddrs clients dial (null when disabled). */
  libp2p: RelayLibp2pStats | null
  /** The mailbox engine ('leveldb' embedded, or 'redis' shared by a cluster) and whether it answers. */
  store: StoreHealth
  /** The process's memory in bytes: resident, JS heap in use, and Buffers (where backlogs live). */
  memory: { rss: number; heapUsed: number; arrayBuffers: number }
}

function bufferedBytes(wss: WebSocketServer): number {
  let n = 0
  for (const ws of wss.clients) n += ws.bufferedAmount
  return n
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}

export async function startRelay(config: RelayConfig, log: Logger): Promise<Relay> {
  const { limits } = config
  let link: RedisLink | null = null
  let store: MailboxStore
  if (config.redisUrl !== null) {
    link = await RedisLink.connect(config.redisUrl, log)
    store = await RedisMailboxStore.open(link, limits, log)
    log.info({ redis: redactUrl(config.redisUrl) }, 'mailbox: shared store in redis')
  } else store = await LevelMailboxStore.open(config.dataDir, limits, log)
  const closeStore = async (): Promise<void> => {
    await store.close()
    await link?.close()
  }
  const signal = new SignalServer(limits, log, link === null ? null : new RedisSignalBus(link, log))
  const newTopics = new NewTopicBudget(limits)
  const mailbox = new MailboxServer(store, limits, log, newTopics)
  const connectionRate = new ConnectionRate(limits.connectionsPerSecondPerIp)
  const connectionsPerIp = new ConnectionCount(limits.maxConnectionsPerIp)
  const serveStatic = createStaticHandler(config.webDir, log)
  let libp2p: RelayLibp2p | null = null
  if (config.libp2p !== null) {
    // With Redis nothing else creates --data, where the libp2p identity lives.
    await mkdir(config.dataDir, { recursive: true })
    // libp2p loads only when enabled; Node 20 needs Promise.withResolvers before it does.
    const { ensurePromiseWithResolvers } = await import('@tailmesh/core/sync/libp2p')
    ensurePromiseWithResolvers()
    const { startRelayLibp2p } = await import('./libp2p-node')
    try {
      libp2p = await startRelayLibp2p({
        host: config.host,
        port: config.libp2p.port,
        dataDir: config.dataDir,
        store,
        limits,
        log,
        cluster: link,
      })
    } catch (err) {
      await closeStore()
      throw err
    }
  }
  const started = performance.now()
  let closing: Promise<void> | null = null

  const health = (): Health => {
    const s = store.stats()
    const storeHealth = store.health()
    return {
      status: closing !== null ? 'closing' : storeHealth.reachable ? 'ok' : 'unavailable',
      uptimeSeconds: Math.round((performance.now() - started) / 1000),
      connections: {
        signal: signal.connections,
        mailbox: mailbox.connections,
        bufferedBytes: bufferedBytes(signal.wss) + bufferedBytes(mailbox.wss),
      },
      topics: { signal: signal.topicCount, mailbox: s.topics, mailboxSubscribed: mailbox.subscribedTopics },
      storedBytes: s.storedBytes,
      expiredTopics: s.expiredTopics,
      compactionsPending: s.compactionsPending,
      libp2p: libp2p?.stats() ?? null,
      store: storeHealth,
      memory: (({ rss, heapUsed, arrayBuffers }) => ({ rss, heapUsed, arrayBuffers }))(process.memoryUsage()),
    }
  }

  // Slow-loris protection: Node checks headersTimeout and requestTimeout every
  // connectionsCheckingInterval (30 s by default: far too coarse), and a socket that never sends a
  // byte is closed by the timer below.
  const server = createServer(
    {
      connectionsCheckingInterval: 1000,
      headersTimeout: limits.requestTimeoutMs,
      requestTimeout: Math.max(30_000, limits.requestTimeoutMs),
      keepAliveTimeout: 5000,
    },
    (req, res) => {
      const path = (req.url ?? '/').split('?')[0]
      if (path === '/ice-servers') {
        // Fresh time-limited TURN credentials per request; never cached, never logged.
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' })
        res.end(JSON.stringify({ iceServers: iceServers(config.ice) }))
        return
      }
      if (path === WELCOME_PATH) {
        serveWelcome(req.method, res)
        return
      }
      if (path === '/healthz') {
        // Health is built from in-memory counters only: it cannot throw or wait on the disk.
        const h = health()
        const body = JSON.stringify(h)
        res.writeHead(h.status === 'ok' ? 200 : 503, {
          'Content-Type': 'application/json; charset=utf-8',
          'Cache-Control': 'no-store',
        })
        res.end(body)
        return
      }
      serveStatic(req, res).catch((err: unknown) => {
        log.error({ err }, 'http: request failed')
        if (!res.headersSent) res.writeHead(500)
        res.end()
      })
    },
  )
  // A new TCP connection has requestTimeoutMs to deliver a complete request (or upgrade) head.
  const preRequest = new WeakMap<Socket, NodeJS.Timeout>()
  const requestArrived = (socket: Socket): void => {
    clearTimeout(preRequest.get(socket))
    preRequest.delete(socket)
  }
  server.on('connection', (socket: Socket) => {
    const timer = setTimeout(() => socket.destroy(), limits.requestTimeoutMs)
    timer.unref()
    preRequest.set(socket, timer)
    socket.once('close', () => requestArrived(socket))
  })
  server.on('request', (req: IncomingMessage) => requestArrived(req.socket))
  server.on('clientError', (_err, socket: Duplex) => {
    if (socket.writable) refuse(socket, 400, 'Bad Request')
    else socket.destroy()
  })

  const endpoints: Record<string, WebSocketServer> = { '/signal': signal.wss, '/mailbox': mailbox.wss }
  /** The address the per-IP limits count: the peer, or with --trust-proxy the last X-Forwarded-For hop. */
  const clientIp = (req: IncomingMessage): string => {
    const direct = req.socket.remoteAddress ?? ''
    if (!config.trustProxy) return direct
    const header = req.headers['x-forwarded-for']
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',')
    const last = hops
      .map((h) => h.trim())
      .filter((h) => h.length > 0 && h.length <= 64)
      .at(-1)
    return last ?? direct
  }
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    requestArrived(req.socket)
    try {
      upgrade(req, socket, head)
    } catch (err) {
      log.error({ err }, 'upgrade failed')
      socket.destroy()
    }
  })
  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy())
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    const wss = endpoints[path]
    if (wss === undefined) return refuse(socket, 404, 'Not Found')
    if (closing !== null) return refuse(socket, 503, 'Service Unavailable')
    if (signal.connections + mailbox.connections >= limits.maxConnections) {
      log.warn('connection cap reached: refusing a WebSocket')
      return refuse(socket, 503, 'Service Unavailable')
    }
    const ip = clientIp(req)
    if (!connectionRate.allow(ip)) return refuse(socket, 429, 'Too Many Requests')
    if (!connectionsPerIp.take(ip)) return refuse(socket, 429, 'Too Many Requests')
    socket.once('close', () => connectionsPerIp.release(ip))
    wss.handleUpgrade(req, socket, head, (ws) => {
      clientIps.set(ws, ip)
      wss.emit('connection', ws, req)
    })
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.port, config.host, () => {
      server.off('error', reject)
      resolve()
    })
  }).catch(async (err: unknown) => {
    await libp2p?.close()
    await closeStore()
    throw err
  })
  server.on('error', (err) => log.error({ err }, 'http server error'))
  const port = (server.address() as AddressInfo).port
  const host = config.host.includes(':') ? `[${config.host}]` : config.host

  const close = (): Promise<void> =>
    (closing ??= (async () => {
      log.info('relay: shutting down')
      server.close()
      connectionRate.close()
      newTopics.close()
      await Promise.all([mailbox.close(), signal.close(), libp2p?.close()])
      server.closeAllConnections()
      await closeStore()
      log.info('relay: closed')
    })())

  return { port, url: `http://${host}:${port}`, close }
}
